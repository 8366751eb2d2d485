"""Reads of the kit's fitted palettes: the latest for new recipes, a design's own for its sheet.

A `Palette` (engine object) keeps its recipe table on itself, so one object
per version is kept here for the process's life (versions are never edited).
"""

from __future__ import annotations

from functools import lru_cache

from trunkshow.engines.paint import DIY_KIT, Palette
from trunkshow.engines.paint.card import Kit
from trunkshow.engines.paint.model import paint_from_constants
from trunkshow.studio.models import PaletteVersion

# The built-in kit's measures, for designs made before any card was fitted.
DEFAULT_KIT = Kit()


@lru_cache(maxsize=16)
def _palette_of(version_id: int, stamp: str) -> tuple[Palette, Kit]:
    """Cached by id and creation time: a test database reuses ids for other rows."""
    row = PaletteVersion.objects.get(pk=version_id)
    paints = tuple(paint_from_constants(p["key"], p["names"], p["k"], p["s"]) for p in row.paints)
    return (
        Palette(row.key, paints, max_paints=len(paints), version=row.number),
        Kit(**row.kit),
    )


def palette_of(version_id: int | None) -> tuple[Palette, Kit]:
    """The palette and kit of a fitted version (None: the built-in kit)."""
    if version_id is None:
        return DIY_KIT, DEFAULT_KIT
    stamp = PaletteVersion.objects.filter(pk=version_id).values_list("created_at", flat=True)
    return _palette_of(version_id, str(stamp.first()))


def latest_version_id(key: str = "diy-kit") -> int | None:
    return (
        PaletteVersion.objects.filter(key=key).order_by("-number").values_list("pk", flat=True)
    ).first()


def latest_kit() -> tuple[int | None, Palette, Kit]:
    """The version new kit recipes use: the latest fitted, else the built-in constants."""
    version_id = latest_version_id()
    palette, kit = palette_of(version_id)
    return version_id, palette, kit
