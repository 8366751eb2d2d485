"""Measured vs model swatches side by side, as a PNG the admin shows after a fit."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from trunkshow.engines.paint.colour_space import srgb_from_xyz
from trunkshow.engines.paint.model import hex_of

CELL, GAP, LABEL = 44, 6, 150


def _hex_of_lab(lab: Sequence[float]) -> str:
    import colour  # colour-science: the one Lab -> XYZ conversion of the project

    xyz = colour.Lab_to_XYZ(np.asarray(lab, dtype=np.float64), np.array([0.3127, 0.3290]))
    return hex_of(srgb_from_xyz(np.asarray(xyz, dtype=np.float64)))


def swatches_png(rows: Sequence[dict[str, Any]]) -> bytes:
    """One row per swatch: its label, the measured colour, the model's colour, the CIEDE2000."""
    width = LABEL + 2 * CELL + 3 * GAP + 60
    height = len(rows) * (CELL + GAP) + GAP + 18
    image = Image.new("RGB", (width, height), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    draw.text((LABEL + GAP, 2), "measured", fill="#333333")
    draw.text((LABEL + 2 * GAP + CELL, 2), "model", fill="#333333")
    for i, row in enumerate(rows):
        top = 18 + GAP + i * (CELL + GAP)
        draw.text((GAP, top + CELL // 3), str(row["label"])[:24], fill="#111111")
        for j, key in enumerate(("measured_lab", "model_lab")):
            left = LABEL + GAP + j * (CELL + GAP)
            draw.rectangle((left, top, left + CELL, top + CELL), fill=_hex_of_lab(row[key]))
        draw.text((LABEL + 3 * GAP + 2 * CELL, top + CELL // 3), f"{row['delta_e']:.2f}",
                  fill="#111111")  # fmt: skip
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
