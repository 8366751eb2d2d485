"""The files of a personal video message: its card, poster, stitched MP4 and
subtitles, and the nameless card a player gets while the render is queued.

trunkshow/video/services.py runs the render as a job (queue, lease, sweep);
this module only makes files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from trunkshow.common.locales import supported_locales
from trunkshow.engines.text import chinese_punctuation
from trunkshow.engines.video.card import card_poster
from trunkshow.engines.video.card_video import card_video_frames
from trunkshow.engines.video.encode import SegmentInfo, encode_segment
from trunkshow.engines.video.house import HOUSE
from trunkshow.engines.video.playlist import Cue, webvtt
from trunkshow.engines.video.stitch import stitch_mp4, to_mpegts
from trunkshow.video import files
from trunkshow.video.models import DesignerClip, VideoMessage

# 64 frames (2.13 s, whole AAC blocks): the animation settles by 0.95 s and
# the name then holds for 1.2 s. It was 80 frames; the still tail is most of
# the encoder's work, and 64 frames is what brings a render under 200 ms of
# one core (bench/video.py).
CARD_SECONDS = 2.0
# Bumped when the look of the card or the stitching changes: old renders
# are then not reused for new requests.
RENDER_VERSION = "3"  # 2: the subtitle line per track language; 3: names on two lines


def render_message_files(message: VideoMessage) -> int:
    """Write the message's files; returns the card's length in frames."""
    folder = files.message_dir(message.token)
    clips = {c.pk: c for c in DesignerClip.objects.filter(pk__in=message.clip_ids)}
    ordered = [clips[pk] for pk in message.clip_ids if pk in clips]
    card = folder / "card.mp4"
    info = encode_card(
        card, name=message.name, title=message.card_title, subtitle=message.card_subtitle
    )
    # The card's stream first: a player may already be waiting for it.
    to_mpegts(card, folder / "card.ts")
    poster = card_poster(
        name=message.name, title=message.card_title, subtitle=message.card_subtitle
    )
    tmp_poster = folder / "poster.jpg.part"
    poster.convert("RGB").save(tmp_poster, format="JPEG", quality=85)
    tmp_poster.replace(folder / "poster.jpg")

    # Intro first, then the card, then the rest.
    parts: list[Path] = []
    lengths: list[int] = []
    spans: list[tuple[float, float, DesignerClip | None]] = []
    clock = 0.0
    sequence: list[DesignerClip | None] = [*ordered[:1], None, *ordered[1:]]
    for clip in sequence:
        if clip is None:
            parts.append(card)
            lengths.append(info.frames)
        else:
            parts.append(files.media_root() / (clip.segment.name or ""))
            lengths.append(clip.frames)
        seconds = lengths[-1] / HOUSE.fps
        spans.append((clock, clock + seconds, clip))
        clock += seconds
    stitch_mp4(parts, folder / "message.mp4", frames=lengths, fps=HOUSE.fps)
    # Subtitles in every shop language (the shopper's own first); the card
    # says what it shows: the name and the profile, in the track's language.
    for locale in dict.fromkeys([message.locale, *supported_locales()]):
        title = message.card_titles.get(locale) or message.card_title
        card_text = f"{message.name} · {title}" if message.name else title
        cues = []
        for start, end, clip in spans:
            if clip is None:
                text = card_text
            else:
                text = clip.subtitles.get(locale) or clip.subtitles.get("en", "")
            if text and locale.startswith("zh"):
                text = chinese_punctuation(text)
            if text:
                cues.append(Cue(start, end, text))
        vtt = folder / f"{locale}.vtt.part"
        vtt.write_text(webvtt(cues), encoding="utf-8")
        vtt.replace(folder / f"{locale}.vtt")
    return info.frames


def encode_card(path: Path, *, name: str, title: str, subtitle: str) -> SegmentInfo:
    """The card in the house format, the cheap way (engines/video/card_video.py)."""
    frames = card_video_frames(name=name, title=title, subtitle=subtitle, seconds=CARD_SECONDS)
    return encode_segment(path, frames, options=HOUSE.still_options(HOUSE.frames_for(CARD_SECONDS)))


def fallback_card_key(*, title: str, subtitle: str) -> str:
    """The nameless card's name among the shared clips (32 hex digits)."""
    key = hashlib.sha256(f"{RENDER_VERSION}:{CARD_SECONDS}:{title}:{subtitle}".encode())
    return key.hexdigest()[:32]


def fallback_card_stream(*, title: str, subtitle: str) -> Path:
    """A card without a name, as MPEG-TS, for a player the render has kept waiting.

    Same length as a personal card, so the playlist's timing holds; drawn
    once per profile title and language and kept with the shared clips.
    """
    stream = files.clip_dir() / f"card-{fallback_card_key(title=title, subtitle=subtitle)}.ts"
    if stream.exists():
        return stream
    segment = stream.with_suffix(".mp4")
    encode_card(segment, name="", title=title, subtitle=subtitle)
    to_mpegts(segment, stream)
    return stream
