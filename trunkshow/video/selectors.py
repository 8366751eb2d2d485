from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from trunkshow.common.local_cache import cached, cached_from
from trunkshow.common.locales import supported_locales
from trunkshow.video.models import DesignerClip, VideoMessage

READY_CLIPS_KEY = ("video.ready_clips",)


@dataclass(frozen=True)
class ReadyClip:
    pk: int
    kind: str
    profile_key: str
    product_slug: str
    source_sha256: str


def _ready_clips() -> dict[tuple[str, str], ReadyClip]:
    """The newest ready clip per (kind, profile or product); one query per process per TTL."""

    def build() -> dict[tuple[str, str], ReadyClip]:
        index: dict[tuple[str, str], ReadyClip] = {}
        rows = (
            DesignerClip.objects.filter(status=DesignerClip.Status.READY)
            .order_by("created_at", "pk")
            .values_list("pk", "kind", "profile_key", "product_slug", "source_sha256")
        )
        for pk, kind, profile_key, product_slug, sha in rows:
            clip = ReadyClip(pk, kind, profile_key, product_slug, sha)
            # Later rows win: the newest upload replaces an older one.
            if kind == DesignerClip.Kind.PRODUCT:
                index[(kind, product_slug)] = clip
            elif kind == DesignerClip.Kind.INTRO:
                index[(kind, profile_key)] = clip
            else:
                index[(kind, "")] = clip
        return index

    seconds = float(getattr(settings, "CATALOG_CACHE_SECONDS", 10))
    return cached(READY_CLIPS_KEY, seconds, build)


def composition(*, profile_key: str, product_slugs: Sequence[str]) -> list[ReadyClip]:
    """Intro for the profile (or the general one), the products' segments, the outro."""
    index = _ready_clips()
    clips: list[ReadyClip] = []
    intro = index.get((DesignerClip.Kind.INTRO, profile_key)) or index.get(
        (DesignerClip.Kind.INTRO, "")
    )
    if intro:
        clips.append(intro)
    for slug in product_slugs:
        segment = index.get((DesignerClip.Kind.PRODUCT, slug))
        if segment and segment not in clips:
            clips.append(segment)
    outro = index.get((DesignerClip.Kind.OUTRO, ""))
    if outro:
        clips.append(outro)
    return clips


def composition_parts(
    *, profile_key: str, product_slugs: tuple[str, ...], locale: str, title: str, subtitle: str,
    render_version: str,
) -> tuple[tuple[int, ...], str]:  # fmt: skip
    """The clips of a composition and the digest of all that makes its render but the name.

    Kept with the ready-clips snapshot it was made from: a clip uploaded
    since makes a new composition (and a new render).
    """

    def build() -> tuple[tuple[int, ...], str]:
        clips = composition(profile_key=profile_key, product_slugs=product_slugs)
        key_data = {
            "v": render_version,
            "clips": [(c.pk, c.source_sha256) for c in clips],
            "locale": locale,
            "title": title,
            "subtitle": subtitle,
        }
        digest = hashlib.sha256(json.dumps(key_data, sort_keys=True).encode()).hexdigest()
        return tuple(c.pk for c in clips), digest

    key = ("video.composition", profile_key, product_slugs, locale, title, subtitle, render_version)
    seconds = float(getattr(settings, "CATALOG_CACHE_SECONDS", 10))
    clips, digest = cached_from(key, seconds, _ready_clips(), build)
    return clips, digest


def message_by_token(token: str) -> VideoMessage | None:
    if not 10 <= len(token) <= 32:
        return None
    return VideoMessage.objects.filter(token=token).first()


def message_payload(message: VideoMessage, *, absolute: Callable[[str], str]) -> dict[str, Any]:
    """The API's view of a message.

    The HLS playlist is playable at once: it opens on the shared intro, and
    the personal card it lists next is served the moment it is rendered
    (well before the intro ends). The MP4, poster and subtitles appear when
    the whole render is ready.
    """
    base = f"/v/{message.token}"
    ready = message.status == VideoMessage.Status.READY
    failed = message.status in (VideoMessage.Status.FAILED, VideoMessage.Status.EXPIRED)
    return {
        "id": message.token,
        "status": message.status,
        "hls_url": None if failed else absolute(f"{base}/index.m3u8"),
        "mp4_url": absolute(f"{base}/message.mp4") if ready else None,
        "poster_url": absolute(f"{base}/poster.jpg") if ready else None,
        "subtitles_url": absolute(f"{base}/{message.locale}.vtt") if ready else None,
        # Every shop language, the shopper's own first.
        "subtitles": (
            {
                locale: absolute(f"{base}/{locale}.vtt")
                for locale in dict.fromkeys([message.locale, *supported_locales()])
            }
            if ready
            else {}
        ),
    }


@dataclass(frozen=True)
class RenderBacklog:
    queued: int
    rendering: int
    oldest_queued_seconds: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "queued": self.queued,
            "rendering": self.rendering,
            "oldest_queued_seconds": self.oldest_queued_seconds,
        }


def render_backlog() -> RenderBacklog:
    """Renders waiting for a worker, and how long the oldest has waited.

    Counted on the messages, not the job rows: the same on any queue backend,
    and a job that was lost still shows as a message waiting.
    """
    queued = Q(status=VideoMessage.Status.QUEUED)
    row = VideoMessage.objects.filter(
        status__in=[VideoMessage.Status.QUEUED, VideoMessage.Status.RENDERING]
    ).aggregate(
        queued=Count("pk", filter=queued),
        rendering=Count("pk", filter=Q(status=VideoMessage.Status.RENDERING)),
        oldest=Min("created_at", filter=queued),
    )
    oldest = row["oldest"]
    age = None if oldest is None else round((timezone.now() - oldest).total_seconds(), 1)
    return RenderBacklog(
        queued=row["queued"], rendering=row["rendering"], oldest_queued_seconds=age
    )
