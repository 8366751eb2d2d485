"""The one shape of this codebase's state machines: which status may follow which."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext as _

from trunkshow.common.errors import Conflict


class TransitionRefused(Conflict):
    code = "invalid_transition"


class Transitions:
    """Allowed moves between statuses; moving to the status one is in is always allowed."""

    def __init__(self, allowed: Mapping[str, Iterable[str]]) -> None:
        self._allowed = {before: frozenset(after) for before, after in allowed.items()}

    def allows(self, before: str, to: str) -> bool:
        return to == before or to in self._allowed.get(before, frozenset())

    def require(
        self, before: str, to: str, *, subject: str, label: Callable[[str], str] = str
    ) -> None:
        """Raise TransitionRefused (in the active language) unless `before` -> `to` is allowed."""
        if not self.allows(before, to):
            raise TransitionRefused(
                _("%(subject)s cannot go from “%(from)s” to “%(to)s”.")
                % {"subject": subject, "from": label(before), "to": label(to)}
            )

    def following(self, before: str) -> frozenset[str]:
        return self._allowed.get(before, frozenset())
