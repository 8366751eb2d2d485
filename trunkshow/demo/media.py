"""The demo designer's clips, drawn and scored by code: no footage needed.

Shared clips carry no words on screen (the subtitles speak the shopper's
language), so one clip serves every market.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter

from trunkshow.demo.art import draw_bag, hex_to_rgb, shade
from trunkshow.engines.video.house import HOUSE

W, H, FPS, RATE = HOUSE.width, HOUSE.height, HOUSE.fps, HOUSE.sample_rate
PAPER = (251, 248, 244)
GOLD = (201, 162, 39)
INK = (31, 26, 23)

# Semitones above A3 for a few warm chords; each clip gets its own.
CHORDS = [(0, 4, 7, 11), (5, 9, 12, 16), (7, 11, 14, 17), (2, 5, 9, 12), (-3, 0, 4, 7)]


def music_bed(frames: int, chord: int) -> npt.NDArray[np.float32]:
    """A soft pad in stereo: the chord's notes as sines with a slow swell."""
    samples = frames * HOUSE.samples_per_frame
    t = np.arange(samples, dtype=np.float64) / RATE
    wave = np.zeros(samples)
    for i, step in enumerate(CHORDS[chord % len(CHORDS)]):
        hz = 220.0 * 2 ** (step / 12)
        wave += np.sin(2 * np.pi * hz * t + i) * (0.6 if i == 0 else 0.35)
    fade = np.minimum(1.0, np.minimum(t / 0.25, (t[-1] - t + 1 / RATE) / 0.25))
    wave = 0.12 * wave / len(CHORDS[0]) * fade * (0.85 + 0.15 * np.sin(2 * np.pi * 0.5 * t))
    left = wave * 0.9 + 0.1 * np.roll(wave, 240)
    right = wave * 0.9 + 0.1 * np.roll(wave, -240)
    return np.stack([left, right]).astype(np.float32)


def _backdrop(color: tuple[int, int, int]) -> Image.Image:
    top, bottom = shade(color, 1.55), shade(color, 1.2)
    gradient = np.linspace(0, 1, H)[:, None, None]
    pixels = (
        np.array(top)[None, None, :] * (1 - gradient) + np.array(bottom)[None, None, :] * gradient
    )
    return Image.fromarray(np.repeat(pixels, W, axis=1).astype(np.uint8), "RGB")


def intro_frames(color_hex: str, frames: int) -> Iterator[Image.Image]:
    """The designer 'speaks': an avatar with a breathing ring and a voice wave."""
    color = hex_to_rgb(color_hex)
    base = _backdrop(color)
    draw = ImageDraw.Draw(base)
    cx, cy, r = W // 2, 520, 170
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=PAPER)
    # A stylised designer: head and shoulders in ink, a gold pin.
    draw.ellipse((cx - 60, cy - 110, cx + 60, cy + 10), fill=INK)
    draw.chord((cx - 120, cy + 20, cx + 120, cy + 260), 180, 360, fill=INK)
    draw.ellipse((cx + 40, cy + 70, cx + 62, cy + 92), fill=GOLD)
    mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mask).ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    base.paste(_backdrop(color), mask=Image.eval(mask, lambda v: 255 - v))
    for index in range(frames):
        t = index / FPS
        frame = base.copy()
        d = ImageDraw.Draw(frame)
        ring = r + 14 + 8 * math.sin(t * 3)
        d.ellipse((cx - ring, cy - ring, cx + ring, cy + ring), outline=GOLD, width=6)
        for bar in range(15):
            height = 18 + 70 * abs(math.sin(t * 6 + bar * 0.7)) * (
                0.5 + 0.5 * math.sin(bar / 14 * math.pi)
            )
            x = cx - 7 * 24 + bar * 24
            d.rounded_rectangle((x, 900 - height, x + 12, 900 + height), radius=6, fill=PAPER)
        yield frame


def product_frames(silhouette: str, color_hex: str, frames: int) -> Iterator[Image.Image]:
    """The bag turns slowly towards the camera (a gentle push-in)."""
    import io

    art = Image.open(io.BytesIO(draw_bag(silhouette, color_hex))).convert("RGB")
    background = _backdrop(hex_to_rgb("#F3EDE6"))
    glow = Image.new("L", (W, H), 0)
    ImageDraw.Draw(glow).ellipse((60, 300, W - 60, 980), fill=120)
    glow = glow.filter(ImageFilter.GaussianBlur(60))
    background.paste(PAPER, mask=glow)
    for index in range(frames):
        progress = index / max(1, frames - 1)
        size = int(600 + 90 * progress)
        frame = background.copy()
        bag = art.resize((size, size), Image.Resampling.BILINEAR)
        frame.paste(bag, ((W - size) // 2, 640 - size // 2))
        d = ImageDraw.Draw(frame)
        d.rounded_rectangle((W // 2 - 60, 1080, W // 2 + 60, 1088), radius=4, fill=GOLD)
        yield frame


def outro_frames(frames: int) -> Iterator[Image.Image]:
    """A gold brush stroke paints itself across the canvas: make it yours."""
    base = Image.new("RGB", (W, H), PAPER)
    for index in range(frames):
        progress = min(1.0, index / max(1, frames * 0.7))
        frame = base.copy()
        d = ImageDraw.Draw(frame)
        points = [(120 + 480 * s, 640 + 90 * math.sin(s * 5)) for s in np.linspace(0, progress, 40)]
        if len(points) > 1:
            d.line(points, fill=(179, 38, 30), width=38, joint="curve")
        d.ellipse((W // 2 - 40, 860, W // 2 + 40, 940), outline=GOLD, width=8)
        yield frame
