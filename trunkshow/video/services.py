from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TASK_MAX_PRIORITY

from trunkshow.common.jobs import enqueue_bulk
from trunkshow.common.local_cache import forget
from trunkshow.engines.text import clean_display_name
from trunkshow.engines.video.house import HOUSE
from trunkshow.engines.video.normalize import normalize
from trunkshow.engines.video.stitch import probe, to_mpegts
from trunkshow.video import files
from trunkshow.video.message_files import RENDER_VERSION, render_message_files
from trunkshow.video.models import DesignerClip, VideoMessage
from trunkshow.video.selectors import READY_CLIPS_KEY, composition_parts

logger = logging.getLogger(__name__)
# A render queued when its result was stored runs before renders queued again
# (a retry, the sweep, a fresh one that came too late); see _enqueue.
FRESH_PRIORITY = TASK_MAX_PRIORITY
# Wall time a card's render takes on a busy worker (bench/video.py: p50
# 0.2-0.8 s, 2 s on a starved machine): a fresh job that starts later than
# the intro's length less this would be late anyway, so it yields to one
# that can still be in time. Each worker uses the larger of this and its
# own last render's time (_last_render).
CARD_RENDER_BUDGET = timedelta(seconds=0.5)
_last_render = CARD_RENDER_BUDGET
MAX_ATTEMPTS = 3


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=256)
def _probed_frames(digest: str, path: str) -> int:
    """Frames in an encoded clip, decoded once per content (the digest is the key)."""
    return probe(Path(path)).video_frames


def clip_normalize(*, clip_id: int) -> DesignerClip:
    """Encode an uploaded clip once in the house format (and as MPEG-TS for HLS)."""
    clip = DesignerClip.objects.get(pk=clip_id)
    DesignerClip.objects.filter(pk=clip.pk).update(status=DesignerClip.Status.PROCESSING)
    source = Path(clip.source.path)
    try:
        digest = _sha256(source)
        segment = files.clip_dir() / f"{digest[:32]}.mp4"
        stream = segment.with_suffix(".ts")
        info = normalize(source, segment)
        to_mpegts(segment, stream)
    except Exception as exc:
        DesignerClip.objects.filter(pk=clip.pk).update(
            status=DesignerClip.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    DesignerClip.objects.filter(pk=clip.pk).update(
        status=DesignerClip.Status.READY,
        source_sha256=digest,
        segment=files.relative(segment),
        stream=files.relative(stream),
        frames=info.frames,
        error="",
    )
    forget(READY_CLIPS_KEY)
    clip.refresh_from_db()
    return clip


def clip_store_rendered(
    *, kind: str, profile_key: str = "", product_slug: str = "", segment: Path,
    subtitles: dict[str, str],
) -> DesignerClip:  # fmt: skip
    """Register a clip already encoded in the house format (the demo brand draws its own)."""
    digest = _sha256(segment)
    stream = segment.with_suffix(".ts")
    if not stream.exists():
        to_mpegts(segment, stream)
    frames = _probed_frames(digest, str(segment))
    clip, _created = DesignerClip.objects.update_or_create(
        kind=kind,
        profile_key=profile_key,
        product_slug=product_slug,
        defaults={
            "source": files.relative(segment),
            "source_sha256": digest,
            "segment": files.relative(segment),
            "stream": files.relative(stream),
            "frames": frames,
            "subtitles": subtitles,
            "status": DesignerClip.Status.READY,
            "error": "",
        },
    )
    forget(READY_CLIPS_KEY)
    return clip


def message_compose(
    *, name: str, locale: str, profile_key: str, card_title: str, card_subtitle: str,
    product_slugs: Sequence[str], card_titles: Mapping[str, str] | None = None,
) -> VideoMessage:  # fmt: skip
    """The message for this composition, not yet stored (its token is already drawn)."""
    name = clean_display_name(name)
    clips, shared_key = composition_parts(
        profile_key=profile_key, product_slugs=tuple(product_slugs), locale=locale,
        title=card_title, subtitle=card_subtitle, render_version=RENDER_VERSION,
    )  # fmt: skip
    # Everything but the name is the same for every shopper with these picks:
    # its digest is made once, and the name is hashed onto it.
    key = hashlib.sha256(f"{shared_key}\x00{name}".encode()).hexdigest()
    return VideoMessage(
        composition_key=key,
        name=name,
        locale=locale,
        card_title=card_title[:120],
        card_subtitle=card_subtitle[:200],
        card_titles={code: title[:120] for code, title in (card_titles or {}).items()},
        clip_ids=list(clips),
    )


def render_allowance_take(*, clients: Sequence[str]) -> bool:
    """Count one personal render for each of `clients`; False once any is past its limit.

    Counted in the rate limits' cache, shared by every web process: at most
    VIDEO_RENDER_LIMIT per address or session in VIDEO_RENDER_LIMIT_SECONDS.
    Past it a result gets the nameless card that every shopper with the same
    picks shares, so a flood renders nothing new.
    """
    limit = int(settings.VIDEO_RENDER_LIMIT)
    if limit <= 0 or not clients:
        return True
    window = int(settings.VIDEO_RENDER_LIMIT_SECONDS)
    cache = caches[settings.RATELIMIT_USE_CACHE]
    allowed = True
    for client in clients:
        key = f"video.renders:{hashlib.sha256(client.encode()).hexdigest()[:32]}"
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.set(key, 1, timeout=window)
            count = 1
        allowed = allowed and count <= limit
    return allowed


def message_request(
    *, name: str, locale: str, profile_key: str, card_title: str, card_subtitle: str,
    product_slugs: Sequence[str], card_titles: Mapping[str, str] | None = None,
) -> VideoMessage:  # fmt: skip
    """Return the message for this composition, queuing its render the first time.

    The same request twice reuses the same render: the composition's hash
    is unique. Returns the existing message whatever its state.
    """
    message = message_compose(
        name=name, locale=locale, profile_key=profile_key, card_title=card_title,
        card_subtitle=card_subtitle, product_slugs=product_slugs, card_titles=card_titles,
    )  # fmt: skip
    # The message and its render job commit together or not at all (on RQ
    # the job is sent at the commit, see common.jobs). get_or_create tries
    # the insert in a savepoint, so two shoppers racing for one composition share it.
    with transaction.atomic():
        stored, created = VideoMessage.objects.get_or_create(
            composition_key=message.composition_key,
            defaults={
                field: getattr(message, field)
                for field in ("token", "name", "locale", "card_title", "card_subtitle",
                              "card_titles", "clip_ids")
            },
        )  # fmt: skip
        if created:
            _enqueue(stored.pk, fresh=True)
    return stored


def _enqueue(message_id: int, *, fresh: bool = False) -> None:
    """Queue a render; `fresh` (its shopper is watching the intro now) goes before the rest.

    On campaign day results arrive faster than two cores render, and a card
    is worth most before the shopper's player gets to it (the intro's
    length). In arrival order, once the backlog is longer than the intro
    every card is late; with the fresh ones first (the newest first on RQ)
    the cards that can still be in time are rendered first, and the ones
    whose player has already shown the nameless card follow for the MP4.
    """
    if fresh:
        enqueue_bulk(render_video_message, message_id, True, priority=FRESH_PRIORITY)
    else:
        enqueue_bulk(render_video_message, message_id)


def message_player_passed_card(*, message_id: int) -> bool:
    """True when a queued message's player has reached its card (or will before a render ends).

    The player reaches the card when the intro has played; a result's page
    starts the video at once at the earliest, so that is the message's age.
    """
    row = (
        VideoMessage.objects.filter(pk=message_id, status=VideoMessage.Status.QUEUED)
        .values_list("created_at", "clip_ids")
        .first()
    )
    if row is None:
        return False
    created_at, clip_ids = row
    intro_frames = (
        DesignerClip.objects.filter(pk=clip_ids[0]).values_list("frames", flat=True).first()
        if clip_ids
        else None
    )
    budget = max(CARD_RENDER_BUDGET, _last_render)
    lead = timedelta(seconds=(intro_frames or 0) / HOUSE.fps) - budget
    return timezone.now() >= created_at + lead


def message_claim(*, message_id: int) -> bool:
    """Take the render lease; False when another worker holds a live one or it is done.

    At-least-once delivery means a job may run twice; the lease makes the
    second run a no-op while the first is alive, and lets a run take over
    from a worker that died (its lease expires).
    """
    now = timezone.now()
    claimable = Q(status=VideoMessage.Status.QUEUED) | Q(
        status=VideoMessage.Status.RENDERING, lease_until__lt=now
    )
    taken = VideoMessage.objects.filter(claimable, pk=message_id, attempts__lt=MAX_ATTEMPTS).update(
        status=VideoMessage.Status.RENDERING,
        lease_until=now + timedelta(seconds=settings.VIDEO_RENDER_LEASE_SECONDS),
    )
    if taken:
        VideoMessage.objects.filter(pk=message_id).update(attempts=F("attempts") + 1)
    return bool(taken)


def message_render(*, message_id: int) -> VideoMessage:
    """Render the personal card and stitch the message; safe to run more than once."""
    if not message_claim(message_id=message_id):
        return VideoMessage.objects.get(pk=message_id)
    message = VideoMessage.objects.get(pk=message_id)
    try:
        card_frames = render_message_files(message)
    except Exception as exc:
        logger.exception("video message %s failed", message.token)
        status = (
            VideoMessage.Status.FAILED
            if message.attempts >= MAX_ATTEMPTS
            else VideoMessage.Status.QUEUED
        )
        VideoMessage.objects.filter(pk=message.pk).update(
            status=status, error=str(exc)[:2000], lease_until=None
        )
        if status == VideoMessage.Status.QUEUED:
            transaction.on_commit(lambda: _enqueue(message.pk))
        raise
    VideoMessage.objects.filter(pk=message.pk).update(
        status=VideoMessage.Status.READY,
        ready_at=timezone.now(),
        lease_until=None,
        error="",
        card_frames=card_frames,
    )
    message.refresh_from_db()
    return message


@task(queue_name="video")
def render_video_message(message_id: int, fresh: bool = False) -> str:
    if fresh and message_player_passed_card(message_id=message_id):
        # Too late for this player (it got the nameless card): behind the
        # renders whose shoppers are still watching their intro.
        _enqueue(message_id)
        return VideoMessage.Status.QUEUED
    global _last_render
    started = time.monotonic()
    status = message_render(message_id=message_id).status
    if status == VideoMessage.Status.READY:
        # Until the card is ready is what counts; the stitching after it is
        # a small share of the job, and counting it errs on the safe side.
        _last_render = timedelta(seconds=time.monotonic() - started)
    return status


def message_reclaim_if_stuck(*, message: VideoMessage) -> bool:
    """Queue a render again when its worker died (lease expired); True if requeued."""
    now = timezone.now()
    stuck = message.status == VideoMessage.Status.RENDERING and (
        message.lease_until is None or message.lease_until < now
    )
    if stuck and message.attempts < MAX_ATTEMPTS:
        _enqueue(message.pk)
        return True
    return False


SWEEP_BATCH = 500


def messages_sweep() -> dict[str, int]:
    """Requeue renders whose worker died or whose job went missing; give up on hopeless ones.

    Run every minute by `manage.py serve`, so a stuck render is delivered
    even when nobody polls it.
    """
    now = timezone.now()
    lease_gone = Q(status=VideoMessage.Status.RENDERING) & (
        Q(lease_until__lt=now) | Q(lease_until__isnull=True)
    )
    failed = VideoMessage.objects.filter(lease_gone, attempts__gte=MAX_ATTEMPTS).update(
        status=VideoMessage.Status.FAILED,
        lease_until=None,
        error=f"Gave up after {MAX_ATTEMPTS} attempts.",
    )
    # A message queued this long is asked for again: its job may have been lost
    # with a queue that was reset (Redis restarted empty). The time it was last
    # asked for is kept in lease_until, so a long backlog is asked for once per
    # period, not on every sweep. A duplicate job is harmless (the lease).
    asked_before = now - timedelta(seconds=settings.VIDEO_RENDER_STALE_SECONDS)
    stale = Q(status=VideoMessage.Status.QUEUED) & (
        Q(lease_until__isnull=True, created_at__lt=asked_before) | Q(lease_until__lt=asked_before)
    )
    again = VideoMessage.objects.filter(lease_gone | stale, attempts__lt=MAX_ATTEMPTS)
    ids = list(again.order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    # A render whose worker died goes back to the queue, marked as asked for now.
    again.filter(pk__in=ids).update(status=VideoMessage.Status.QUEUED, lease_until=now)
    for message_id in ids:
        _enqueue(message_id)
    return {"requeued": len(ids), "failed": failed}


OPENED_RESOLUTION = timedelta(hours=1)


def message_mark_opened(*, message: VideoMessage) -> None:
    """Note that someone opened the message (at most one write an hour per message)."""
    now = timezone.now()
    if message.opened_at is not None and message.opened_at > now - OPENED_RESOLUTION:
        return
    VideoMessage.objects.filter(pk=message.pk).filter(
        Q(opened_at__isnull=True) | Q(opened_at__lte=now - OPENED_RESOLUTION)
    ).update(opened_at=now)


def messages_expire() -> int:
    """Remove the files of messages nobody opened for VIDEO_RETENTION_DAYS; return how many.

    A message counts as opened when it was made, played, or its result was
    opened. Its row stays (status "expired"), so a late visitor's player
    says the video is gone instead of waiting for it.
    """
    cutoff = timezone.now() - timedelta(days=float(settings.VIDEO_RETENTION_DAYS))
    old = VideoMessage.objects.filter(
        Q(opened_at__lt=cutoff) | Q(opened_at__isnull=True, created_at__lt=cutoff),
        status__in=[VideoMessage.Status.READY, VideoMessage.Status.FAILED],
    )
    ids = list(old.order_by("created_at").values_list("pk", "token")[:SWEEP_BATCH])
    for _pk, token in ids:
        shutil.rmtree(files.media_root() / "video" / "messages" / token, ignore_errors=True)
    return VideoMessage.objects.filter(pk__in=[pk for pk, _token in ids]).update(
        status=VideoMessage.Status.EXPIRED, lease_until=None
    )
