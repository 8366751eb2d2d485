"""The design engine's broken rules, said in the active language.

The engine names each problem by a code with its facts (engines/design/
schema.py MESSAGES); the words a shopper or an integrator reads are here,
translated with gettext like every other text of the shop.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from trunkshow.engines.design.schema import Problem

DESIGN_MESSAGES = {
    "design_not_object": _("The design must be an object."),
    "version": _("This studio reads design documents of version %(version)s."),
    "template": _("Must be a template key."),
    "mode": _("Must be artisan or diy."),
    "zones": _("Must be an object of at most %(max)s zones."),
    "unknown_zone": _("Unknown part; this bag has %(zones)s."),
    "strokes": _("Must be a list of at most %(max)s strokes."),
    "not_object": _("Must be an object."),
    "not_number": _("Must be a number."),
    "out_of_range": _("Must be between %(low)s and %(high)s."),
    "not_colour": _("Must be a colour like #1F3A5F."),
    "tool": _("Must be brush or sponge."),
    "points": _("Must be 1 to %(max)s points."),
    "too_many_points": _("At most %(max)s points in all."),
    "point": _("Must be [x, y]."),
    "object_or_null": _("Must be an object or null."),
    "monogram": _("Must be 1 to 3 letters A-Z, or none."),
}


def design_problem_message(problem: Problem) -> str:
    """What broke, where: "strokes.0.width: Must be between 1 and 64."."""
    words = DESIGN_MESSAGES.get(problem.code)
    said = str(words) % dict(problem.data) if words is not None else problem.message
    where = ".".join(map(str, problem.loc))
    return f"{where}: {said}" if where else said
