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

import av
import numpy as np
import numpy.typing as npt
from PIL import Image

from trunkshow.engines.video.card import _SETTLED, _Card, _check, _schedule

__all__ = ["card_video_frames"]

# Plain paper kept round the box, so swscale's chroma filter sees the same
# neighbours as in a whole-picture conversion.
_BAND_MARGIN = 8


def _yuv(image: Image.Image) -> list[npt.NDArray[np.uint8]]:
    """Y, U and V of a picture (even sides), converted by swscale."""
    frame = av.VideoFrame.from_image(image).reformat(format="yuv420p")  # type: ignore[no-untyped-call]
    planes = []
    for plane in frame.planes:
        rows = np.frombuffer(plane, dtype=np.uint8).reshape(plane.height, plane.line_size)
        planes.append(rows[:, : plane.width])
    return planes


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
        y, u, v = _yuv(base)
        # to_ndarray/from_ndarray's layout: Y, then U and V each flattened.
        self.base = np.concatenate([y.ravel(), u.ravel(), v.ravel()]).reshape(-1, self.width)

    def frame(self, card: _Card, t: float) -> av.VideoFrame:
        """The card at animation time `t`; only the box is drawn and converted."""
        out = self.base.copy()
        left, top, right, bottom = self.box
        if right > left and bottom > top:
            width, height = self.width, self.height
            y, u, v = _yuv(card.rows(t, self.box))
            out[top:bottom, left:right] = y
            for index, plane in enumerate((u, v)):
                start = height + index * height // 4
                target = out[start : start + height // 4].reshape(height // 2, width // 2)
                target[top // 2 : bottom // 2, left // 2 : right // 2] = plane
        return av.VideoFrame.from_ndarray(out, format="yuv420p")


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
    if width % 2 or height % 4:
        # 4:2:0, in PyAV's one-array layout (chroma rows packed two to a row).
        raise ValueError(f"the card must be of even width and height a multiple of 4, not "
                         f"{width}x{height}")  # fmt: skip
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
