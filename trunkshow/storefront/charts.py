"""Bar charts drawn on the server as SVG: no script, no CDN, readable on a phone.

Each chart is a picture of a table printed beside it (the numbers are there
for screen readers and for copying); the SVG has a title naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 320  # viewBox units; the SVG scales to its box
ROW = 28
LABEL = 110


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as printed at the bar's end


def bar_chart(title: str, bars: Sequence[Bar], *, tone: str = "accent") -> SafeString:
    """Horizontal bars, longest = the largest value; an empty chart says nothing is there."""
    height = max(1, len(bars)) * ROW + 8
    top = max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL - 56
    rows = format_html_join(
        "",
        '<g transform="translate(0 {})"><text x="{}" y="17" text-anchor="end" class="chart-label">'
        '{}</text><rect x="{}" y="4" width="{}" height="18" rx="3" class="chart-bar {}"/>'
        '<text x="{}" y="17" class="chart-value">{}</text></g>',
        (
            (index * ROW + 4, LABEL - 6, bar.label[:18], LABEL,
             f"{max(0.0, bar.value / top * room):.1f}", tone,
             f"{LABEL + max(0.0, bar.value / top * room) + 4:.1f}", bar.shown)
            for index, bar in enumerate(bars)
        ),
    )  # fmt: skip
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'preserveAspectRatio="xMinYMin meet"><title>{}</title>{}</svg>',
        WIDTH, height, title, title, rows,
    )  # fmt: skip
