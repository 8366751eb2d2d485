"""Bag templates for the studio: outlines and zones, drawn on a 0..1 box.

Zones never overlap, so paint in one cannot spill into another.
"""

from __future__ import annotations

from typing import Any


def _zone(key: str, en: str, zh: str, path: list[list[float]], default: str) -> dict[str, Any]:
    return {"key": key, "titles": {"en": en, "zh-Hans": zh}, "path": path, "default": default}


# Artisans charge by the work a design asks for; the DIY kit is one price.
SURCHARGES = {
    "artisan": {
        "CN": {
            "base": "480.00",
            "zone": "60.00",
            "stroke": "6.00",
            "colour": "40.00",
            "stencil": "80.00",
            "monogram": "60.00",
        },
        "US": {
            "base": "68.00",
            "zone": "8.00",
            "stroke": "1.00",
            "colour": "5.00",
            "stencil": "12.00",
            "monogram": "8.00",
        },
    },
    "diy": {"CN": "260.00", "US": "36.00"},
}

TEMPLATES: list[dict[str, Any]] = [
    {
        "key": "signature-tote",
        "product_sku": "TOTE-CML",
        "titles": {"en": "Signature Tote", "zh-Hans": "经典托特包"},
        "outline": [[0.14, 0.34], [0.86, 0.34], [0.92, 0.9], [0.08, 0.9]],
        "zones": [
            _zone("strap", "Straps", "提手",
                  [[0.3, 0.34], [0.34, 0.12], [0.66, 0.12], [0.7, 0.34], [0.64, 0.34],
                   [0.61, 0.18], [0.39, 0.18], [0.36, 0.34]], "#5A3E2B"),
            _zone("flap", "Top band", "包口", [[0.14, 0.34], [0.86, 0.34], [0.87, 0.44], [0.13, 0.44]], "#D8C7B3"),
            _zone("body", "Body", "包身", [[0.13, 0.44], [0.87, 0.44], [0.91, 0.82], [0.09, 0.82]], "#E9DFD3"),
            _zone("trim", "Base trim", "包底", [[0.09, 0.82], [0.91, 0.82], [0.92, 0.9], [0.08, 0.9]], "#5A3E2B"),
        ],
        "monogram_at": [0.5, 0.66],
    },
    {
        "key": "weekend-bucket",
        "product_sku": "BCKT-CML",
        "titles": {"en": "Weekend Bucket", "zh-Hans": "周末水桶包"},
        "outline": [[0.2, 0.3], [0.8, 0.3], [0.86, 0.9], [0.14, 0.9]],
        "zones": [
            _zone("strap", "Strap", "肩带",
                  [[0.24, 0.3], [0.3, 0.08], [0.7, 0.08], [0.76, 0.3], [0.7, 0.3],
                   [0.66, 0.14], [0.34, 0.14], [0.3, 0.3]], "#5A3E2B"),
            _zone("gusset", "Drawstring band", "抽绳口", [[0.2, 0.3], [0.8, 0.3], [0.81, 0.4], [0.19, 0.4]], "#D8C7B3"),
            _zone("body", "Body", "包身", [[0.19, 0.4], [0.81, 0.4], [0.86, 0.9], [0.14, 0.9]], "#E9DFD3"),
        ],
        "monogram_at": [0.5, 0.7],
    },
    {
        "key": "evening-clutch",
        "product_sku": "CLCH-BLK",
        "titles": {"en": "Evening Clutch", "zh-Hans": "晚宴手拿包"},
        "outline": [[0.1, 0.32], [0.9, 0.32], [0.9, 0.72], [0.1, 0.72]],
        "zones": [
            _zone("flap", "Flap", "翻盖", [[0.1, 0.32], [0.9, 0.32], [0.5, 0.56]], "#D8C7B3"),
            _zone("body", "Body", "包身", [[0.1, 0.32], [0.5, 0.56], [0.9, 0.32], [0.9, 0.72], [0.1, 0.72]], "#E9DFD3"),
        ],
        "monogram_at": [0.5, 0.64],
    },
]  # fmt: skip

# The demo workshop: three painters, one of them part-time and on Saturdays.
# (name, hours per weekday from Monday, sign-in for the workshop board)
ARTISANS = [
    ("Chen Mei", [7.5, 7.5, 7.5, 7.5, 7.5, 0.0, 0.0], "mei"),
    ("Liu Yang", [7.5, 7.5, 7.5, 7.5, 7.5, 0.0, 0.0], "yang"),
    ("Zhao Lin", [0.0, 4.0, 4.0, 4.0, 0.0, 6.0, 0.0], "lin"),
]
# What the workshop's staff may do: the board, and nothing else of the admin's.
WORKSHOP_GROUP = "Workshop"
WORKSHOP_PERMISSIONS = [
    ("atelier", "view_workorder"), ("atelier", "change_workorder"),
    ("atelier", "view_kitorder"), ("atelier", "change_kitorder"),
]  # fmt: skip


# Zone areas in square centimetres (issue 25): a kit recipe is measured out
# for the zone it paints. The demo's bags are drawn in a 0..1 box that stands
# for BOX_CM x BOX_CM of leather on the bag's face; front and back are painted
# alike, so a zone's area is twice its drawn face.
BOX_CM = 38.0


def _polygon_area(path: list[list[float]]) -> float:
    twice = sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(path, path[1:] + path[:1], strict=True)
    )
    return abs(twice) / 2


for _template in TEMPLATES:
    for _z in _template["zones"]:
        _z["area_cm2"] = round(2 * _polygon_area(_z["path"]) * BOX_CM * BOX_CM, 1)
