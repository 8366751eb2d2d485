"""Join house-format segments by copying packets: no pixel is decoded or encoded.

Each segment starts on a keyframe and ends on a whole AAC frame (house.py),
so a join only shifts timestamps: video and audio packets of segment k are
moved by the summed length of the segments before it. AAC encoders open
every segment with one priming packet (negative timestamp); the first
segment keeps it (the MP4 edit list hides it), later ones drop it, so the
audio timeline stays exactly as long as the picture: no drift at the joins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # PyAV (about 30 MiB) loads with the first video job, not in every web process.
    import av

# A house segment's MP4 header says all a copy needs; without these FFmpeg
# also decodes its first frames to guess parameters (3 ms an open, a tenth
# of a render). The output is byte for byte the same (tests compare).
QUICK_OPEN = {"probesize": "32", "analyzeduration": "0"}


@dataclass(frozen=True)
class MediaInfo:
    seconds: float
    video_frames: int
    audio_seconds: float
    keyframe_times: tuple[float, ...]


def _length(path: Path) -> Fraction:
    """A segment's length, counted in video frames (exact)."""
    import av

    with av.open(str(path)) as container:
        video = container.streams.video[0]
        frames = sum(1 for packet in container.demux(video) if packet.size)
        rate = video.average_rate or video.guessed_rate
        if rate is None:
            raise ValueError(f"{path}: no frame rate")
        return Fraction(frames) / Fraction(rate)


def stitch_mp4(
    parts: Sequence[Path],
    out: Path,
    *,
    faststart: bool = True,
    frames: Sequence[int] | None = None,
    fps: int = 30,
) -> Path:
    """Concatenate segments into one MP4 file, written atomically (temp + rename).

    `frames`, each part's video frame count when the caller knows it (the
    clips' rows store it), saves opening every part a second time to count.
    """
    import av

    if not parts:
        raise ValueError("nothing to stitch")
    if frames is not None and len(frames) != len(parts):
        raise ValueError("frames must give one count per part")
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    options = {"movflags": "+faststart"} if faststart else {}
    offset = Fraction(0)
    with av.open(str(tmp), mode="w", format="mp4", options=options) as output:
        targets: dict[str, av.stream.Stream] = {}
        for index, part in enumerate(parts):
            with av.open(str(part), options=QUICK_OPEN) as source:
                if not targets:
                    for stream in (source.streams.video[0], source.streams.audio[0]):
                        targets[stream.type] = output.add_stream_from_template(stream)
                # The shift in each stream's own time base, worked out once per part.
                shifts = {
                    stream.index: int(offset / stream.time_base)
                    for stream in source.streams
                    if stream.time_base is not None
                }
                for packet in source.demux():
                    if packet.dts is None or packet.stream.type not in targets:
                        continue  # the demuxer's end-of-stream marker
                    shift = shifts.get(packet.stream.index)
                    if shift is None:
                        continue
                    if packet.stream.type == "audio" and index > 0 and (packet.pts or 0) < 0:
                        continue  # a later segment's AAC priming packet
                    packet.pts = (packet.pts or 0) + shift
                    packet.dts = packet.dts + shift
                    packet.stream = targets[packet.stream.type]
                    output.mux(packet)
            offset += Fraction(frames[index], fps) if frames is not None else _length(part)
    tmp.replace(out)
    return out


def to_mpegts(mp4: Path, out: Path) -> Path:
    """Copy a segment into MPEG-TS for HLS (the muxer adds the Annex B headers)."""
    import av

    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    with (
        av.open(str(mp4), options=QUICK_OPEN) as source,
        av.open(str(tmp), mode="w", format="mpegts") as output,
    ):
        targets = {
            s.type: output.add_stream_from_template(s)
            for s in (source.streams.video[0], source.streams.audio[0])
        }
        for packet in source.demux():
            if packet.dts is None or packet.stream.type not in targets:
                continue
            packet.stream = targets[packet.stream.type]
            output.mux(packet)
    tmp.replace(out)
    return out


def probe(path: Path) -> MediaInfo:
    """Decode every frame (raising on any decode error) and measure the file."""
    import av

    frames = 0
    keyframes: list[float] = []
    audio_samples = 0
    sample_rate = 1
    last_video = 0.0
    with av.open(str(path)) as container:
        container.streams.video[0].thread_type = "AUTO"
        for frame in container.decode(container.streams.video[0], *container.streams.audio[:1]):
            if isinstance(frame, av.VideoFrame):
                frames += 1
                if frame.time is not None:
                    last_video = max(last_video, frame.time)
                    if frame.key_frame:
                        keyframes.append(round(frame.time, 4))
            elif isinstance(frame, av.AudioFrame):
                audio_samples += frame.samples
                sample_rate = frame.sample_rate
        rate = container.streams.video[0].average_rate or 30
    return MediaInfo(
        seconds=frames / float(rate),
        video_frames=frames,
        audio_seconds=audio_samples / sample_rate,
        keyframe_times=tuple(keyframes),
    )
