from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_place(places: dict[int, Any] | None, drop_id: int) -> Any:
    """The shopper's place in a drop's waiting room, or None."""
    return (places or {}).get(drop_id)
