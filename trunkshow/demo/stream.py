"""The demo campaign's livestream: a short show cut from the demo clips, served as HLS.

The clips are drawn by code and encoded once (demo/clips.py); the show joins a few of them
and packages them as HLS without decoding a frame (a remux), so `demo_brand` spends a
fraction of a second here. It goes on air with a bag pinned, so `make run` shows a live
stream with its shoppable card at once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from trunkshow.campaigns.models import Campaign, Stream
from trunkshow.campaigns.streams import stream_pin, stream_set_status
from trunkshow.catalog.selectors import sellable_skus
from trunkshow.demo.art import draw_bag
from trunkshow.engines.video.stitch import stitch_mp4
from trunkshow.video import files
from trunkshow.video.models import DesignerClip
from trunkshow.video.recordings import recording_package

TITLES = {"en": "Live from the atelier", "zh-Hans": "工作室直播"}
# The show: the designer's hello, three bags, her goodbye (about 12 s).
PROFILE = "jet-setter"
PRODUCTS = ["signature-tote", "metro-satchel", "gallery-crossbody"]
PINNED_SKU_PREFIX = "TOTE-"


def _parts() -> list[Path]:
    ready = DesignerClip.objects.filter(status=DesignerClip.Status.READY)
    picks = [ready.filter(kind="intro", profile_key=PROFILE).first()]
    picks += [ready.filter(kind="product", product_slug=slug).first() for slug in PRODUCTS]
    picks.append(ready.filter(kind="outro").first())
    return [files.media_root() / str(c.segment.name) for c in picks if c is not None and c.segment]


def _playable(stream: Stream) -> bool:
    return bool(stream.hls_path) and (files.media_root() / stream.hls_path).exists()


def ensure_demo_stream(*, campaign_slug: str) -> Stream | None:
    """Put the demo show on air in the campaign, a bag pinned; re-runs keep what is there."""
    campaign = Campaign.objects.filter(slug=campaign_slug).first()
    parts = _parts()
    if campaign is None or not parts:
        return None
    stream = campaign.streams.filter(hls_url="").exclude(status=Stream.Status.ENDED).first()
    if stream is None:
        stream = Stream.objects.create(
            campaign=campaign, titles=TITLES, scheduled_at=timezone.now()
        )
    if not _playable(stream):
        with tempfile.TemporaryDirectory() as work:
            show = stitch_mp4(parts, Path(work) / "show.mp4")
            stream.hls_path, _package = recording_package(source=show, name="demo-live")
        if not stream.poster:
            stream.poster.save(
                "demo-live.webp", ContentFile(draw_bag("tote", "#B3261E")), save=False
            )
        stream.save()
    if stream.status != Stream.Status.LIVE:
        stream = stream_set_status(stream_id=stream.pk, status=Stream.Status.LIVE)
    sku = _pinnable_sku()
    if sku and not stream.pins.filter(unpinned_at__isnull=True).exists():
        stream_pin(stream_id=stream.pk, sku=sku)
    return stream


def _pinnable_sku() -> str:
    """The signature tote, sold in both markets (or any bag that is)."""
    both = sellable_skus(market_code="CN") & sellable_skus(market_code="US")
    totes = sorted(s for s in both if s.startswith(PINNED_SKU_PREFIX))
    return totes[0] if totes else min(both, default="")
