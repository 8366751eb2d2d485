"""Bring any uploaded clip to the house format: one decode, one encode, once per clip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from PIL import Image

from trunkshow.engines.video.encode import SegmentInfo, encode_segment
from trunkshow.engines.video.house import HOUSE, HouseFormat

if TYPE_CHECKING:
    # PyAV (about 30 MiB) loads with the first video job, not in every web process.
    import av

MAX_SECONDS = 120
# Containers a camera or an editing tool delivers; decided by FFmpeg reading
# the bytes, never by the file's name.
VIDEO_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "mpegts", "avi"}


class NotAVideo(ValueError):
    """The file is not a video this engine can read."""


def cover(image: Image.Image, fmt: HouseFormat = HOUSE) -> Image.Image:
    """Scale and centre-crop to fill the house frame (portrait), like CSS object-fit: cover."""
    scale = max(fmt.width / image.width, fmt.height / image.height)
    size = (
        max(fmt.width, round(image.width * scale)),
        max(fmt.height, round(image.height * scale)),
    )
    resized = image.convert("RGB").resize(size, Image.Resampling.BILINEAR)
    left, top = (size[0] - fmt.width) // 2, (size[1] - fmt.height) // 2
    return resized.crop((left, top, left + fmt.width, top + fmt.height))


def check_video(path: Path, *, max_seconds: int = MAX_SECONDS) -> float:
    """Return the clip's length in seconds, or raise NotAVideo naming the problem."""
    import av

    try:
        with av.open(str(path)) as container:
            if container.format.name not in VIDEO_CONTAINERS:
                raise NotAVideo(
                    f"{container.format.long_name or 'this file'} is not a video format"
                )
            if not container.streams.video:
                raise NotAVideo("the file has no video track")
            duration = container.duration
            seconds = duration / 1_000_000 if duration else 0.0
    except av.FFmpegError as exc:
        raise NotAVideo("the file is not a video we can read") from exc
    if seconds > max_seconds:
        raise NotAVideo(f"the clip is longer than {max_seconds} seconds")
    return seconds


def _frames_at_house_rate(
    container: av.container.InputContainer, fmt: HouseFormat
) -> Iterator[Image.Image]:
    """Pick, for every house frame time, the source frame showing at that time."""
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    next_index = 0
    last: Image.Image | None = None
    for frame in container.decode(stream):
        if frame.time is None:
            continue
        image = None
        while next_index / fmt.fps <= frame.time + 1e-6:
            image = image or cover(frame.to_image(), fmt)  # type: ignore[no-untyped-call]
            if last is not None:
                yield last
            last = image
            next_index += 1
            if next_index > MAX_SECONDS * fmt.fps:
                return
        last = image or last
    if last is not None:
        yield last


def _audio(path: Path, fmt: HouseFormat) -> npt.NDArray[np.float32] | None:
    import av

    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=fmt.sample_rate)
        chunks = []
        for frame in container.decode(container.streams.audio[0]):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray())
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray())
    if not chunks:
        return None
    return np.concatenate(chunks, axis=1).astype(np.float32)


def normalize(source: Path, out: Path, fmt: HouseFormat = HOUSE) -> SegmentInfo:
    """Decode `source` and encode it once in the house format."""
    import av

    check_video(source)
    audio = _audio(source, fmt)
    with av.open(str(source)) as container:
        return encode_segment(out, _frames_at_house_rate(container, fmt), audio=audio, fmt=fmt)
