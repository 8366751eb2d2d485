"""Rules an app above commerce adds to putting a SKU in a cart (a campaign's drop).

Campaigns sit above commerce in the dependency order, so they register here in
AppConfig.ready; commerce asks every rule before it holds a unit, and a rule
refuses by raising a domain error (e.g. a 409 `drop_not_open`). A rule may also answer
holds set aside for this shopper (a drop's admitted ticket) that the cart takes over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class LineRequest:
    market_code: str
    sku: str
    quantity: int  # the line's quantity after the change
    holder: str  # the cart's id
    ticket: str | None
    now: datetime


Rule = Callable[[LineRequest], "tuple[str, ...] | None"]
_rules: list[Rule] = []


def provide(rule: Rule) -> None:
    """Register a rule once (AppConfig.ready may run twice in tests)."""
    if rule not in _rules:
        _rules.append(rule)


def check(request: LineRequest) -> tuple[str, ...]:
    """Ask every rule; return the holders of holds the line takes over."""
    taking_over: list[str] = []
    for rule in list(_rules):
        taking_over.extend(rule(request) or ())
    return tuple(taking_over)
