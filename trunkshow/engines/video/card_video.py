"""The personal card as encoder-ready frames (YUV 4:2:0), made cheaply.

Profiled per card (80 frames, 720x1280, on the two-core box): drawing 40 ms,
RGB -> YUV conversion 250-290 ms (from_image + swscale, 3.3 ms a frame), x264
230-300 ms. So the frames the card shows are the same pictures as
`card_frames`, made with far less conversion:

- Only the animated frames are drawn, and only the box the animation touches
  is drawn and converted; the rest of every frame is converted once.
- The settled card (more than half the frames) is one frame object, given to
  the encoder again and again: converted once, and x264 sees identical
  pictures, which it codes as skipped blocks.

The box's edges run through plain paper, so converting it alone gives the
pixels of converting the whole picture, within one level of rounding
(tests/engines/test_video_card.py checks it).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # PyAV (about 30 MiB) loads with the first video job, not in every web process.
    import av
import numpy as np
import numpy.typing as npt
from PIL import Image

from trunkshow.engines.video.card import _SETTLED, _Card, _check, _schedule

__all__ = ["card_video_frames"]

# Plain paper kept round the box, so swscale's chroma filter sees the same
# neighbours as in a whole-picture conversion.
_BAND_MARGIN = 8


def _planes(frame: av.VideoFrame) -> list[npt.NDArray[np.uint8]]:
    """Y, U and V of a yuv420p frame as arrays over its own memory (rows unpadded)."""
    views = []
    for plane in frame.planes:
        data = np.frombuffer(memoryview(plane), dtype=np.uint8)
        rows = data.reshape(plane.height, plane.line_size)
        views.append(rows[:, : plane.width])
    return views


def _yuv(image: Image.Image) -> list[npt.NDArray[np.uint8]]:
    """Y, U and V of a picture (even sides), converted by swscale."""
    import av

    frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
    return _planes(frame.reformat(format="yuv420p"))


class _Planes:
    """A picture as the encoder takes it, with one box of it replaceable."""

    def __init__(self, base: Image.Image, box: tuple[int, int, int, int]) -> None:
        self.width, self.height = base.size
        left, top, right, bottom = box
        # Even edges (whole chroma samples), with the margin of plain paper.
        self.box = (
            max(0, (left - _BAND_MARGIN) // 2 * 2),
            max(0, (top - _BAND_MARGIN) // 2 * 2),
            min(self.width, -(-(right + _BAND_MARGIN) // 2) * 2),
            min(self.height, -(-(bottom + _BAND_MARGIN) // 2) * 2),
        )
        self.base = [plane.copy() for plane in _yuv(base)]

    def frame(self, card: _Card, t: float) -> av.VideoFrame:
        """The card at animation time `t`; only the box is drawn and converted."""
        import av

        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        left, top, right, bottom = self.box
        drawn = _yuv(card.rows(t, self.box)) if right > left and bottom > top else None
        for index, (target, base) in enumerate(zip(_planes(frame), self.base, strict=True)):
            target[...] = base
            if drawn is not None:
                step = 1 if index == 0 else 2  # chroma has half the rows and columns
                target[top // step : bottom // step, left // step : right // step] = drawn[index]
        return frame


def card_video_frames(
    *,
    name: str,
    title: str,
    subtitle: str,
    seconds: float,
    width: int = 720,
    height: int = 1280,
    fps: int = 30,
    accent: str = "#B3261E",
) -> Iterator[av.VideoFrame]:
    """The frames of `card_frames` (same arguments) as yuv420p video frames.

    Settled frames are one and the same object: an encoder reading it must
    not be handed a frame it may change (PyAV's encoder only reads).
    """
    _check(seconds, fps)
    if width % 2 or height % 2:
        raise ValueError(f"the card's sides must be even (4:2:0), not {width}x{height}")
    card = _Card(
        name=name, title=title, subtitle=subtitle, width=width, height=height, accent=accent
    )
    count, timescale = _schedule(seconds, fps)
    planes = _Planes(card.base, card.box())
    settled: av.VideoFrame | None = None
    for index in range(count):
        local = index / fps / timescale if timescale > 0 else math.inf
        if local < _SETTLED:
            yield planes.frame(card, local)
            continue
        if settled is None:
            settled = planes.frame(card, math.inf)
        yield settled
