"""Printable A4 documents (PDF) built from a few kinds of blocks.

The caller decides the words (already translated) and the pictures; this
engine lays them out. See `pdf.py`.
"""

from trunkshow.engines.sheets.pdf import (
    Checklist,
    ColourRow,
    Colours,
    Facts,
    Heading,
    Paragraph,
    Picture,
    Sheet,
    Steps,
    render_pdf,
)

__all__ = [
    "Checklist",
    "ColourRow",
    "Colours",
    "Facts",
    "Heading",
    "Paragraph",
    "Picture",
    "Sheet",
    "Steps",
    "render_pdf",
]
