"""Shopper-supplied text, made safe to show anywhere: pages, videos, PDFs."""

from __future__ import annotations

import unicodedata

ZERO_WIDTH_JOINER = "\u200d"


def clean_display_name(value: object, *, limit: int = 40) -> str:
    """Return a name to show literally: printable, single-line, at most `limit` characters.

    Control and format characters go (newlines, NUL, and the bidirectional
    overrides that would make "Lin" render as "niL" or hide text), except
    the zero-width joiner that holds emoji sequences together. Whitespace
    runs fold to one space. Nothing is interpreted: "%{localtime}" and
    "<b>" stay exactly that text; escaping is the renderer's job.
    """
    if not isinstance(value, str):
        return ""
    # Look at a bounded prefix only: a 10 MB "name" costs no more than a short one.
    kept = []
    for char in value[: limit * 8]:
        category = unicodedata.category(char)
        if char.isspace():
            kept.append(" ")
        elif category in {"Cc", "Cf", "Cs", "Co", "Cn"} and char != ZERO_WIDTH_JOINER:
            continue
        else:
            kept.append(char)
    folded = " ".join("".join(kept).split())
    return folded[:limit].rstrip()
