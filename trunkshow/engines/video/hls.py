"""Package a recorded video as HLS (a VOD playlist and MPEG-TS segments) with FFmpeg's muxer.

A file that is already H.264 (with AAC sound, or none) is remuxed: no pixel is decoded, so
an hour-long recording is packaged in seconds. Anything else is first encoded once in the
house format (`normalize`, which caps the length at its MAX_SECONDS).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trunkshow.engines.video.normalize import MAX_SECONDS, NotAVideo, check_video, normalize

if TYPE_CHECKING:
    # PyAV (about 30 MiB) loads with the first video job, not in every web process.
    pass

PLAYLIST = "index.m3u8"
SEGMENT_SECONDS = 4
# A recorded livestream may run for hours; only what must be re-encoded is capped shorter.
STREAM_MAX_SECONDS = 4 * 3600
REMUX_VIDEO = {"h264"}
REMUX_AUDIO = {"aac"}


@dataclass(frozen=True)
class HlsPackage:
    playlist: Path
    segments: int
    seconds: float
    remuxed: bool


def check_stream_video(path: Path) -> float:
    """Return the recording's length in seconds, or raise NotAVideo naming the problem."""
    return check_video(path, max_seconds=STREAM_MAX_SECONDS)


def _remuxable(path: Path) -> bool:
    import av

    with av.open(str(path)) as container:
        video = container.streams.video[0].codec_context.name
        audio = [s.codec_context.name for s in container.streams.audio]
    return video in REMUX_VIDEO and all(a in REMUX_AUDIO for a in audio[:1])


def _mux_hls(source: Path, out_dir: Path, segment_seconds: int) -> None:
    import av

    options = {
        "hls_time": str(segment_seconds),
        "hls_playlist_type": "vod",
        "hls_list_size": "0",
        "hls_segment_filename": str(out_dir / "seg-%05d.ts"),
    }
    with (
        av.open(str(source)) as src,
        av.open(str(out_dir / PLAYLIST), mode="w", format="hls", options=options) as out,
    ):
        streams = [src.streams.video[0], *src.streams.audio[:1]]
        targets = {s.index: out.add_stream_from_template(s) for s in streams}
        for packet in src.demux(*streams):
            if packet.dts is None:
                continue  # the demuxer's flush packet
            packet.stream = targets[packet.stream.index]
            out.mux(packet)


def package_hls(
    source: Path, out_dir: Path, *, segment_seconds: int = SEGMENT_SECONDS
) -> HlsPackage:
    """Write `source` as HLS into `out_dir` (replaced whole, never seen half written)."""
    seconds = check_stream_video(source)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=out_dir.name + ".", dir=out_dir.parent))
    try:
        remuxed = _remuxable(source)
        if not remuxed:
            if seconds > MAX_SECONDS:
                raise NotAVideo(f"only H.264 recordings may be longer than {MAX_SECONDS} seconds")
            encoded = normalize(source, work / "house.mp4")
            source, seconds = encoded.path, encoded.seconds
        _mux_hls(source, work, segment_seconds)
        (work / "house.mp4").unlink(missing_ok=True)
        segments = len(list(work.glob("seg-*.ts")))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        work.replace(out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return HlsPackage(out_dir / PLAYLIST, segments, seconds, remuxed)
