"""The studio shows a lead time the workshop can keep, asked of the app that plans it.

The atelier sits above the studio in the dependency order, so it registers
its planner here in AppConfig.ready; without it the studio shows none.
"""

from __future__ import annotations

from collections.abc import Callable

_provider: list[Callable[[float], int | None]] = []


def provide(planner: Callable[[float], int | None]) -> None:
    _provider[:] = [planner]


def lead_time_days(effort_hours: float) -> int | None:
    return _provider[0](effort_hours) if _provider else None
