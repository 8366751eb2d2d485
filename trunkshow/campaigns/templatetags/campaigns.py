from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_place(places: dict[int, Any] | None, drop_id: int) -> Any:
    """The shopper's place in a drop's waiting room, or None."""
    return (places or {}).get(drop_id)


@register.filter
def set_aside_for(place: Any, sku: str) -> int:
    """Units set aside for the shopper's admitted ticket: theirs to add even when the
    shelf shows none left to anyone else."""
    held = getattr(place, "set_aside", None) or {}
    return int(held.get(sku, 0))
