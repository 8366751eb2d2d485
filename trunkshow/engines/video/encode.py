"""Encode frames and sound into one house-format segment (MP4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt
from PIL import Image

from trunkshow.engines.video.house import HOUSE, HouseFormat

if TYPE_CHECKING:
    # PyAV (about 30 MiB) loads with the first video job, not in every web process.
    import av


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
    frames: Iterable[Image.Image],
    *,
    audio: npt.NDArray[np.float32] | None = None,
    fmt: HouseFormat = HOUSE,
) -> SegmentInfo:
    """Write `frames` (and `audio`, shape (channels, samples) in -1..1) as a segment.

    The frame count is padded up to whole blocks (see house.py) by holding
    the last frame; audio is cut or padded with silence to match, so the
    segment's sound ends exactly with its picture. Written to a temporary
    name and renamed, so a killed encoder never leaves a half file behind.
    """
    import av

    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    count = 0
    with av.open(str(tmp), mode="w", format="mp4") as container:
        video = cast(
            "av.VideoStream",
            container.add_stream(fmt.video_codec, rate=fmt.fps, options=fmt.encoder_options()),
        )
        video.width, video.height, video.pix_fmt = fmt.width, fmt.height, "yuv420p"
        video.time_base = Fraction(1, fmt.fps)
        sound = cast("av.AudioStream", container.add_stream(fmt.audio_codec, rate=fmt.sample_rate))
        layout = "stereo" if fmt.channels == 2 else "mono"
        sound.layout = layout
        sound.bit_rate = fmt.audio_bitrate

        last: Image.Image | None = None
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
        pcm = silence(count, fmt) if audio is None else _fit_audio(audio, samples, fmt)
        step = fmt.aac_frame_samples
        for start in range(0, samples, step):
            chunk = np.ascontiguousarray(pcm[:, start : start + step])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
            frame.sample_rate = fmt.sample_rate
            frame.pts = start
            frame.time_base = Fraction(1, fmt.sample_rate)
            for packet in sound.encode(frame):
                container.mux(packet)
        for packet in sound.encode(None):
            container.mux(packet)
    tmp.replace(path)
    return SegmentInfo(path=path, frames=count, fps=fmt.fps)


def _fit(image: Image.Image, fmt: HouseFormat) -> Image.Image:
    if image.size != (fmt.width, fmt.height):
        image = image.resize((fmt.width, fmt.height), Image.Resampling.LANCZOS)
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode_video(container: av.container.OutputContainer, stream: av.VideoStream,
                  image: Image.Image, index: int) -> None:  # fmt: skip
    import av

    frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
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
