"""Lay out a sheet of blocks on A4 pages and return the PDF.

fpdf2 writes the PDF (pure Python, installs from PyPI alone) and embeds only
the glyphs a sheet uses from Noto Sans CJK SC, the face the video card uses
too, so a Chinese sheet prints the same on any printer and weighs tens of
kilobytes rather than the font's 20 MB. The font has one weight: headings
stand out by size and colour instead of a synthetic bold.

Chinese has no spaces to break lines at, so Chinese sheets wrap by character
and the others by word.
"""

from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from PIL import ImageColor

from trunkshow.engines.sheets.blocks import (
    Checklist,
    Colours,
    Facts,
    Heading,
    Paragraph,
    Picture,
    Sheet,
    Steps,
)
from trunkshow.engines.video.fonts import cjk_font_path

FONT = "noto"
MARGIN_MM = 15.0
INK = (33, 29, 26)
MUTED = (110, 102, 94)
ACCENT = (122, 62, 40)
RULE = (205, 196, 186)


class _Document(FPDF):
    def __init__(self, sheet: Sheet) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.sheet = sheet
        self.wrap = WrapMode.CHAR if sheet.language.lower().startswith("zh") else WrapMode.WORD
        path, index = cjk_font_path()
        self.add_font(FONT, "", path, collection_font_number=index)
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(auto=True, margin=MARGIN_MM + 6)
        self.set_title(sheet.title)
        self.set_lang(sheet.language)
        if sheet.keywords:
            self.set_keywords(" ".join(sheet.keywords))
        self.set_creator("Trunk Show")

    def footer(self) -> None:
        self.set_y(-MARGIN_MM)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(self.epw * 0.8, 5, self.sheet.footer[:160])
        self.cell(self.epw * 0.2, 5, f"{self.page_no()} / {{nb}}", align="R")

    # Blocks -----------------------------------------------------------------

    def prose(self, words: str, *, size: float = 10.5, colour: tuple[int, int, int] = INK,
             width: float = 0, height: float = 5.6) -> None:  # fmt: skip
        self.set_font(FONT, size=size)
        self.set_text_color(*colour)
        self.multi_cell(width, height, words, wrapmode=self.wrap,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip

    def heading(self, block: Heading) -> None:
        if self.will_page_break(22):
            self.add_page()
        self.ln(3)
        self.prose(block.text, size=13.5, colour=ACCENT, height=7)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(2)

    def facts(self, block: Facts, *, x: float | None = None, width: float | None = None) -> None:
        left = self.l_margin if x is None else x
        usable = self.epw if width is None else width
        label_width = min(42.0, usable * 0.38)
        for label, value in block.rows:
            self.set_x(left)
            top = self.get_y()
            self.set_font(FONT, size=9)
            self.set_text_color(*MUTED)
            self.multi_cell(label_width, 5.6, label, wrapmode=self.wrap,
                            new_x=XPos.RIGHT, new_y=YPos.TOP)  # fmt: skip
            self.set_font(FONT, size=10.5)
            self.set_text_color(*INK)
            self.multi_cell(usable - label_width, 5.6, value, wrapmode=self.wrap,
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
            self.set_y(max(self.get_y(), top + 6.4))

    def picture(self, block: Picture) -> None:
        top = self.get_y()
        info = self.image(io.BytesIO(block.image), x=self.l_margin, y=top, w=block.width_mm)
        bottom = top + float(info.rendered_height)
        if block.caption:
            self.set_y(bottom + 1)
            self.prose(block.caption, size=8.5, colour=MUTED, width=block.width_mm, height=4.5)
            bottom = self.get_y()
        if block.beside is not None:
            self.set_y(top)
            gap = 8.0
            x = self.l_margin + block.width_mm + gap
            self.facts(block.beside, x=x, width=self.epw - block.width_mm - gap)
            bottom = max(bottom, self.get_y())
        self.set_y(bottom + 3)

    def colours(self, block: Colours) -> None:
        swatch, name_w, hex_w = 14.0, 38.0, 24.0
        recipe_w = self.epw - swatch - 4 - name_w - hex_w
        self.set_font(FONT, size=8.5)
        self.set_text_color(*MUTED)
        self.set_x(self.l_margin + swatch + 4)
        self.cell(name_w, 6, block.headers[0])
        self.cell(hex_w, 6, block.headers[1])
        self.cell(recipe_w, 6, block.headers[2], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for row in block.rows:
            if self.will_page_break(16):
                self.add_page()
            top = self.get_y()
            self.set_fill_color(*ImageColor.getrgb(row.hex)[:3])
            self.set_draw_color(*RULE)
            self.rect(self.l_margin, top + 1, swatch, 10, style="DF")
            self.set_xy(self.l_margin + swatch + 4, top + 1)
            self.set_font(FONT, size=10.5)
            self.set_text_color(*INK)
            self.multi_cell(name_w, 5.2, row.label, wrapmode=self.wrap,
                            new_x=XPos.RIGHT, new_y=YPos.TOP)  # fmt: skip
            self.set_font(FONT, size=9.5)
            self.cell(hex_w, 5.2, row.hex)
            self.set_font(FONT, size=10.5)
            recipe = row.recipe + (f"\n{row.note}" if row.note else "")
            self.multi_cell(recipe_w, 5.2, recipe, wrapmode=self.wrap,
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
            self.set_y(max(self.get_y(), top + 13))
            self.set_draw_color(*RULE)
            self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(2)

    def steps(self, block: Steps) -> None:
        for number, item in enumerate(block.items, start=1):
            if self.will_page_break(12):
                self.add_page()
            top = self.get_y()
            self.set_font(FONT, size=10.5)
            self.set_text_color(*ACCENT)
            self.cell(8, 5.6, f"{number}.")
            self.set_xy(self.l_margin + 8, top)
            self.prose(item, width=self.epw - 8)
            self.ln(1.5)

    def checklist(self, block: Checklist) -> None:
        for quantity, item in block.items:
            if self.will_page_break(9):
                self.add_page()
            top = self.get_y()
            self.set_draw_color(*INK)
            self.rect(self.l_margin, top + 1, 4.2, 4.2)
            self.set_xy(self.l_margin + 7, top)
            self.set_font(FONT, size=10.5)
            self.set_text_color(*INK)
            self.cell(12, 6, f"{quantity} ×")
            self.multi_cell(self.epw - 19, 6, item, wrapmode=self.wrap,
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
            self.ln(1)


def render_pdf(sheet: Sheet) -> bytes:
    """The sheet as a PDF document on A4 pages."""
    document = _Document(sheet)
    document.alias_nb_pages()
    document.add_page()
    document.prose(sheet.title, size=19, height=9)
    if sheet.subtitle:
        document.prose(sheet.subtitle, size=10, colour=MUTED)
    document.ln(3)
    for block in sheet.blocks:
        match block:
            case Heading():
                document.heading(block)
            case Paragraph():
                document.prose(block.text, colour=MUTED if block.muted else INK)
                document.ln(1.5)
            case Facts():
                document.facts(block)
            case Picture():
                document.picture(block)
            case Colours():
                document.colours(block)
            case Steps():
                document.steps(block)
            case Checklist():
                document.checklist(block)
    return bytes(document.output())
