"""The blocks a sheet is made of: what the caller says, before any layout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    muted: bool = False


@dataclass(frozen=True)
class Facts:
    """Label and value pairs, one pair a row."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Picture:
    """A PNG or JPEG `width_mm` wide; `beside` is printed to its right."""

    image: bytes
    width_mm: float
    caption: str = ""
    beside: Facts | None = None


@dataclass(frozen=True)
class ColourRow:
    label: str
    hex: str
    recipe: str
    note: str = ""


@dataclass(frozen=True)
class Colours:
    """A swatch, a name, the hex code and the mixing recipe, per colour."""

    headers: tuple[str, str, str]
    rows: tuple[ColourRow, ...]


@dataclass(frozen=True)
class Steps:
    """Numbered instructions."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    """Tick boxes with a quantity, for picking and packing."""

    items: tuple[tuple[int, str], ...]


Block = Heading | Paragraph | Facts | Picture | Colours | Steps | Checklist


@dataclass(frozen=True)
class Sheet:
    title: str
    language: str
    blocks: Sequence[Block]
    subtitle: str = ""
    footer: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)
