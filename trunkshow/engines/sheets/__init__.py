"""Printable A4 documents (PDF) built from a few kinds of blocks.

The caller decides the words (already translated) and the pictures; this
engine lays them out. See `pdf.py`. fpdf2 (about 50 MiB in a process) is
imported by the first render, not by importing this package, so a web
process that never prints a sheet does not carry it.
"""

from trunkshow.engines.sheets.blocks import (
    Block,
    Checklist,
    ColourRow,
    Colours,
    Facts,
    Heading,
    Paragraph,
    Picture,
    Sheet,
    Steps,
)


def render_pdf(sheet: Sheet) -> bytes:
    """The sheet as a PDF document on A4 pages."""
    from trunkshow.engines.sheets.pdf import render_pdf as render

    return render(sheet)


__all__ = [
    "Block",
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
