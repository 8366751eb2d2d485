"""HLS playlists and WebVTT subtitles: plain text, built here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PlaylistEntry:
    uri: str
    seconds: float


def hls_playlist(entries: Sequence[PlaylistEntry]) -> str:
    """A complete (VOD) media playlist; each segment is its own timeline.

    Shared clips are cached once and served to every shopper as the same
    file, so their timestamps cannot continue the previous segment's:
    EXT-X-DISCONTINUITY tells the player so at every join.
    """
    if not entries:
        raise ValueError("a playlist needs at least one segment")
    target = max(1, math.ceil(max(e.seconds for e in entries)))
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    for index, entry in enumerate(entries):
        if "\n" in entry.uri or "\r" in entry.uri:
            raise ValueError("a segment URI cannot contain a line break")
        if index:
            lines.append("#EXT-X-DISCONTINUITY")
        lines.append(f"#EXTINF:{entry.seconds:.3f},")
        lines.append(entry.uri)
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(cues: Sequence[Cue]) -> str:
    """WebVTT text; cue text is escaped so a name like "<b>" shows as typed."""
    lines = ["WEBVTT", ""]
    for cue in cues:
        if cue.end <= cue.start:
            continue
        text = cue.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        # A blank line would end the cue early (and escaping ">" already
        # keeps a "-->" in a name from reading as a new cue's timing).
        text = "\n".join(line for line in text.splitlines() if line.strip())
        lines += [f"{_stamp(cue.start)} --> {_stamp(cue.end)}", text or " ", ""]
    return "\n".join(lines)
