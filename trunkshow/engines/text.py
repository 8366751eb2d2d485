"""Shopper-supplied text, made safe to show anywhere: pages, videos, PDFs."""

from __future__ import annotations

import unicodedata

import regex

# ASCII punctuation and its full-width form in Chinese text.
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# A mark touching Chinese on either side (spaces between them are dropped);
# "." only after Chinese and before a space or the end (1.5, v2.0 and
# example.com keep theirs).
_HAN = r"[\p{Han}\u3000-\u303F\uFF00-\uFFEF]"
_ASCII_MARK_NEAR_HAN = regex.compile(rf"(?<={_HAN}) *([,:;!?]) *| *([,:;!?]) *(?={_HAN})")
_ASCII_STOP_AFTER_HAN = regex.compile(rf"(?<={_HAN})\.(?= |$)")
_PARENS_AROUND_HAN = regex.compile(rf"\(([^()]*{_HAN}[^()]*)\)")

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


ELLIPSIS = "…"


def chinese_punctuation(text: str) -> str:
    """Return `text` with the ASCII punctuation that touches Chinese made full-width.

    "标志托特包: 城市通勤, 一包搞定!" becomes "标志托特包：城市通勤，一包搞定！":
    in Chinese the marks are full-width and take no space around them. Marks
    between Latin words ("Lin, hi") and numbers ("1.5", "10:30") are left alone.
    """

    def mark(match: regex.Match[str]) -> str:
        char = next(group for group in match.groups() if group)
        return _FULL_WIDTH[char]

    text = _PARENS_AROUND_HAN.sub(lambda m: f"（{m.group(1)}）", text)
    text = _ASCII_MARK_NEAR_HAN.sub(mark, text)
    text = _ASCII_STOP_AFTER_HAN.sub("。", text)
    return regex.sub(r"(?<=[，：；！？。]) +", "", text)


def shown_name(value: object, *, limit: int = 40) -> str:
    """Return `clean_display_name(value)`, but a name longer than `limit` ends in "…".

    A name is never cut silently: within the limit it is kept whole (the
    video card fits it on one or two lines), past it the last character kept
    makes room for the ellipsis, so the result is still at most `limit`.
    """
    whole = clean_display_name(value, limit=limit + 1)
    if len(whole) <= limit:
        return whole
    return _cut(whole, limit - 1).rstrip() + ELLIPSIS


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
