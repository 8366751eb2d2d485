"""The one typeface the video engine sets text in: Noto Sans CJK SC.

It comes from a PyPI package (``noto-cjk-sans-otc``, SIL Open Font License),
so a plain ``pip install`` brings it: no system fonts, nothing fetched at run
time. The package ships ``NotoSansCJK-Regular.ttc``, an OpenType collection
of one design in several regional faces (JP, KR, SC, TC, HK, and their Mono
cuts). Every face covers Latin and all CJK ideographs; the SC face draws them
the way Simplified Chinese readers expect, so that is the face we choose, by
its name rather than by a hard-coded position in the collection.

Scripts outside CJK and Latin (Arabic, Hebrew, emoji, ...) are not in the
font: they render as the font's empty box, never as an error.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from importlib import resources

from PIL import ImageFont

PACKAGE = "noto-cjk-sans-otc"
MODULE = "noto_cjk_sans_otc"
FILENAME = "NotoSansCJK-Regular.ttc"
FACE = ("Noto Sans CJK SC", "Regular")

# A collection holds a handful of faces; stop looking well past that.
_MAX_FACES = 64
# U+FFFF is a noncharacter: no font maps it, so it always draws the .notdef box.
_NOT_A_CHARACTER = "\uffff"


def _missing(reason: str) -> RuntimeError:
    return RuntimeError(
        f"The video engine's font is not available ({reason}). "
        f"Install the PyPI package {PACKAGE!r}: pip install {PACKAGE}"
    )


@functools.cache
def cjk_font_path() -> tuple[str, int]:
    """Return (path, face index) of Noto Sans CJK SC Regular, for ImageFont.truetype.

    Raises RuntimeError naming the package to install when it is missing.
    """
    if importlib.util.find_spec(MODULE) is None:
        raise _missing(f"module {MODULE!r} not found")
    path = str(resources.files(MODULE).joinpath(FILENAME))
    if not os.path.isfile(path):
        raise _missing(f"{FILENAME} not found in {MODULE!r}")
    for index in range(_MAX_FACES):
        try:
            face = ImageFont.truetype(path, 12, index=index)
        except OSError:  # past the last face of the collection
            break
        if face.getname() == FACE:
            return path, index
    raise _missing(f"no {' '.join(FACE)} face in {path}")


@functools.lru_cache(maxsize=64)
def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC Regular at `size` pixels (cached: fonts are immutable)."""
    path, index = cjk_font_path()
    return ImageFont.truetype(path, size, index=index)


def missing_glyphs(text: str, font: ImageFont.FreeTypeFont | None = None) -> list[str]:
    """The characters of `text` that `font` would draw as its empty .notdef box.

    A character is missing when its rendering is exactly the rendering of a
    noncharacter (which no font maps). Whitespace is never reported.
    """
    font = font or cjk_font(48)
    notdef = font.getmask(_NOT_A_CHARACTER)
    notdef_key = (notdef.size, bytes(notdef))
    missing: list[str] = []
    for char in dict.fromkeys(text):  # each character once, in order
        if char.isspace():
            continue
        mask = font.getmask(char)
        if (mask.size, bytes(mask)) == notdef_key:
            missing.append(char)
    return missing
