"""Encode frames and sound into one house-format segment (MP4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    # PyAV (about 30 MiB) loads with the first video job, not in every web process.
    import av
import numpy as np
import numpy.typing as npt
from PIL import Image

from trunkshow.engines.video.house import HOUSE, HouseFormat


@dataclass(frozen=True)
class SegmentInfo:
    path: Path
    frames: int
    fps: int

    @property
    def seconds(self) -> float:
        return self.frames / self.fps


def silence(frames: int, fmt: HouseFormat = HOUSE) -> npt.NDArray[np.float32]:
    return np.zeros((fmt.channels, frames * fmt.samples_per_frame), dtype=np.float32)


def encode_segment(
    path: Path,
    frames: Iterable[Image.Image | av.VideoFrame],
    *,
    audio: npt.NDArray[np.float32] | None = None,
    fmt: HouseFormat = HOUSE,
    options: Mapping[str, str] | None = None,
) -> SegmentInfo:
    """Write `frames` (and `audio`, shape (channels, samples) in -1..1) as a segment.

    The frame count is padded up to whole blocks (see house.py) by holding
    the last frame; audio is cut or padded with silence to match, so the
    segment's sound ends exactly with its picture. Written to a temporary
    name and renamed, so a killed encoder never leaves a half file behind.

    Frames may be pictures or ready yuv420p video frames of the house size
    (converted once by the caller; the same object may come again for a
    still picture). `options` replaces the encoder's options: only settings
    that leave the stream's parameters (SPS/PPS) as the house format's may
    be changed, or the segment no longer joins by copying (house.py).
    """
    import av

    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    count = 0
    with av.open(str(tmp), mode="w", format="mp4") as container:
        video = cast(
            av.VideoStream,
            container.add_stream(
                fmt.video_codec,
                rate=fmt.fps,
                options=dict(options) if options is not None else fmt.encoder_options(),
            ),
        )
        video.width, video.height, video.pix_fmt = fmt.width, fmt.height, "yuv420p"
        video.time_base = Fraction(1, fmt.fps)
        sound = cast(av.AudioStream, container.add_stream(fmt.audio_codec, rate=fmt.sample_rate))
        layout = "stereo" if fmt.channels == 2 else "mono"
        sound.layout = layout
        sound.bit_rate = fmt.audio_bitrate

        last: av.VideoFrame | None = None
        for image in frames:
            last = _fit(image, fmt)
            _encode_video(container, video, last, count)
            count += 1
        if last is None:
            raise ValueError("a segment needs at least one frame")
        padded = -(-count // fmt.frames_per_block) * fmt.frames_per_block
        while count < padded:
            _encode_video(container, video, last, count)
            count += 1
        for packet in video.encode(None):
            container.mux(packet)

        samples = count * fmt.samples_per_frame
        if audio is None and (samples, fmt) in _SILENCE:
            _mux_recorded(container, sound, _SILENCE[(samples, fmt)])
        else:
            pcm = silence(count, fmt) if audio is None else _fit_audio(audio, samples, fmt)
            recorded = _encode_audio(container, sound, pcm, fmt)
            if audio is None and len(_SILENCE) < _SILENCE_KEPT:
                _SILENCE[(samples, fmt)] = recorded
    tmp.replace(path)
    return SegmentInfo(path=path, frames=count, fps=fmt.fps)


# Silence encodes to the same AAC packets every time: a card's sound (it has
# none) is encoded once per length and process, then its packets are copied
# (the encoder took 15-20 % of a card's CPU for nothing).
_Recorded = tuple[tuple[bytes, int | None, int | None, int | None, bool], ...]
_SILENCE: dict[tuple[int, HouseFormat], _Recorded] = {}
_SILENCE_KEPT = 8


def _encode_audio(container: av.container.OutputContainer, sound: av.AudioStream,
                  pcm: npt.NDArray[np.float32], fmt: HouseFormat) -> _Recorded:  # fmt: skip
    import av

    layout = "stereo" if fmt.channels == 2 else "mono"
    recorded = []
    step = fmt.aac_frame_samples
    chunks = [np.ascontiguousarray(pcm[:, s : s + step]) for s in range(0, pcm.shape[1], step)]
    for start, chunk in zip(range(0, pcm.shape[1], step), chunks, strict=True):
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
        frame.sample_rate = fmt.sample_rate
        frame.pts = start
        frame.time_base = Fraction(1, fmt.sample_rate)
        for packet in sound.encode(frame):
            recorded.append(_record(packet))
            container.mux(packet)
    for packet in sound.encode(None):
        recorded.append(_record(packet))
        container.mux(packet)
    return tuple(recorded)


def _record(packet: av.Packet[Any]) -> tuple[bytes, int | None, int | None, int | None, bool]:
    return bytes(packet), packet.pts, packet.dts, packet.duration, packet.is_keyframe


def _mux_recorded(container: av.container.OutputContainer, sound: av.AudioStream,
                  recorded: _Recorded) -> None:  # fmt: skip
    import av

    for data, pts, dts, duration, keyframe in recorded:
        packet = av.Packet(data)
        packet.pts, packet.dts, packet.duration = pts, dts, duration
        packet.time_base = sound.codec_context.time_base
        packet.is_keyframe = keyframe
        packet.stream = sound
        container.mux(packet)


def _fit(image: Image.Image | av.VideoFrame, fmt: HouseFormat) -> av.VideoFrame:
    import av

    if isinstance(image, av.VideoFrame):
        if (image.width, image.height) != (fmt.width, fmt.height) or image.format.name != "yuv420p":
            raise ValueError(
                f"a ready frame must be yuv420p {fmt.width}x{fmt.height}, "
                f"not {image.format.name} {image.width}x{image.height}"
            )
        return image
    if image.size != (fmt.width, fmt.height):
        image = image.resize((fmt.width, fmt.height), Image.Resampling.LANCZOS)
    image = image.convert("RGB") if image.mode != "RGB" else image
    return av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call,no-any-return]


def _encode_video(container: av.container.OutputContainer, stream: av.VideoStream,
                  frame: av.VideoFrame, index: int) -> None:  # fmt: skip
    frame.pts = index
    for packet in stream.encode(frame):
        container.mux(packet)


def _fit_audio(
    audio: npt.NDArray[np.float32], samples: int, fmt: HouseFormat
) -> npt.NDArray[np.float32]:
    pcm = np.asarray(audio, dtype=np.float32)
    if pcm.ndim == 1:
        pcm = np.tile(pcm, (fmt.channels, 1))
    pcm = pcm[: fmt.channels, :samples]
    if pcm.shape[1] < samples:
        pcm = np.pad(pcm, ((0, 0), (0, samples - pcm.shape[1])))
    return np.clip(pcm, -1.0, 1.0).astype(np.float32)
