"""Shopper-supplied text, made safe to show anywhere: pages, videos, PDFs."""

from __future__ import annotations

import unicodedata

import regex

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
    return _cut(folded, limit).rstrip()


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut between user-perceived characters: a family
    emoji (7 code points) or a flag is kept whole or left out, never cut to another."""
    if len(text) <= limit:
        return text
    end = 0
    for cluster in regex.finditer(r"\X", text):
        if cluster.end() > limit:
            break
        end = cluster.end()
    # One "character" longer than the whole limit (a letter under thousands of
    # combining marks) is cut where the limit falls: something is still shown.
    return text[:end] if end else text[:limit]
