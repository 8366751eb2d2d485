"""Colours and recipes in the shopper's words (the engines describe them as keys).

The paint engine says what a colour looks like ("blue-violet", "dark");
here those keys become words in the active language, so a screen reader
reads "dark blue-violet" or "深蓝紫色", never "#8A2BE2".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from trunkshow.common.locales import localized
from trunkshow.engines.paint import PaintError, Palette
from trunkshow.engines.paint.names import ColourWords, describe

# Hue words as they join a tone and the word "colour" (红 + 色 in Chinese).
HUE_WORDS = {
    "red": gettext_lazy("red"),
    "orange": gettext_lazy("orange"),
    "yellow": gettext_lazy("yellow"),
    "yellow-green": gettext_lazy("yellow-green"),
    "green": gettext_lazy("green"),
    "blue-green": gettext_lazy("blue-green"),
    "blue": gettext_lazy("blue"),
    "blue-violet": gettext_lazy("blue-violet"),
    "violet": gettext_lazy("violet"),
    "magenta": gettext_lazy("magenta"),
    "black": gettext_lazy("black"),
    "grey": gettext_lazy("grey"),
    "white": gettext_lazy("white"),
    "pink": gettext_lazy("pink"),
    "brown": gettext_lazy("brown"),
    "olive": gettext_lazy("olive"),
    "beige": gettext_lazy("beige"),
}
# The kit's paints, as the recipe names them.
PAINT_WORDS = {key: HUE_WORDS[key] for key in ("red", "yellow", "blue", "white")}


def words_name(words: ColourWords) -> str:
    hue = str(HUE_WORDS.get(words.hue, words.hue))
    if words.muted:
        hue = _("greyish %(hue)s") % {"hue": hue}
    if words.tone == "dark":
        hue = _("dark %(hue)s") % {"hue": hue}
    elif words.tone == "light":
        hue = _("light %(hue)s") % {"hue": hue}
    return pgettext("colour name", "%(hue)s") % {"hue": hue}


def colour_name(hex_colour: str) -> str:
    """A #RRGGBB colour's name in the active language, e.g. "dark blue-violet"."""
    return words_name(describe(hex_colour))


def recipe_words(parts: Mapping[str, int]) -> str:
    """A kit recipe as words: "1 part red + 3 parts yellow"."""
    return " + ".join(
        (_("1 part %(paint)s") if count == 1 else _("%(n)s parts %(paint)s"))
        % {"n": count, "paint": PAINT_WORDS.get(paint, paint)}
        for paint, count in parts.items()
        if count > 0
    )


def paint_error_message(exc: PaintError) -> str:
    """A paint engine error in the active language, from its code and data."""
    if exc.code == "unknown_paint":
        return _("Unknown paint %(paint)s; this palette has %(known)s.") % {
            "paint": repr(str(exc.data.get("paint", ""))[:32]),
            "known": pgettext("list separator", ", ").join(
                str(PAINT_WORDS.get(k, k)) for k in exc.data.get("known", [])
            ),
        }
    return _("Give at least one part of one paint, and no negative parts.")


def amount_words(measured: Mapping[str, Any], palette: Palette, locale: str) -> str:
    """What to measure out for this bag: "12 drops red, 36 drops white" (or ml)."""
    names = {paint.key: localized(paint.names, locale) or paint.key for paint in palette.paints}
    # Most first, as the recipe in parts reads (a JSON column may not keep key order).
    values = dict(sorted(measured.get("amounts", {}).items(), key=lambda kv: (-kv[1], kv[0])))
    if measured.get("unit") == "ml":
        pieces = [_("%(ml)s ml %(paint)s") % {"ml": f"{v:g}", "paint": names.get(k, k)}
                  for k, v in values.items()]  # fmt: skip
    else:
        pieces = [
            ngettext("%(count)d drop %(paint)s", "%(count)d drops %(paint)s", int(v))
            % {"count": int(v), "paint": names.get(k, k)}
            for k, v in values.items()
        ]
    words = pgettext("list separator", ", ").join(pieces)
    batches = int(measured.get("batches", 1))
    if batches > 1:
        words += " " + _("(mix this %(count)d times: one pot at a time)") % {"count": batches}
    return words
