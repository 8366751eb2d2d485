"""What a deliverable address looks like in each market we ship to.

Rules are data per country; a market ships within its own country. Each
problem names its field, so the API and the form can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CountryRules:
    postal_code: re.Pattern[str]
    postal_example: str
    phone: re.Pattern[str]
    phone_example: str
    region_required: bool


COUNTRIES = {
    "CN": CountryRules(
        postal_code=re.compile(r"^\d{6}$"),
        postal_example="200000",
        # Mainland mobile numbers, with or without +86.
        phone=re.compile(r"^(\+?86)?1[3-9]\d{9}$"),
        phone_example="13800138000",
        region_required=True,
    ),
    "US": CountryRules(
        postal_code=re.compile(r"^\d{5}(-\d{4})?$"),
        postal_example="10001",
        phone=re.compile(r"^(\+?1)?[2-9]\d{2}[2-9]\d{6}$"),
        phone_example="+1 212 555 0123",
        region_required=True,
    ),
}

FIELD_LIMITS = {
    "line1": 200,
    "line2": 200,
    "city": 100,
    "region": 100,
    "postal_code": 16,
    "country": 2,
    "phone": 32,
}


def _digits(phone: str) -> str:
    return re.sub(r"[\s().-]", "", phone)


def address_problems(address: dict[str, str], *, market_code: str) -> list[tuple[str, str]]:
    """Return (field, message) for everything wrong with `address` in this market."""
    problems: list[tuple[str, str]] = []
    for field in ("line1", "city", "postal_code", "country", "phone"):
        if not (address.get(field) or "").strip():
            problems.append((field, _("This field is required.")))
    for field, limit in FIELD_LIMITS.items():
        if len(address.get(field) or "") > limit:
            problems.append((field, _("At most %(n)s characters.") % {"n": limit}))
    country = (address.get("country") or "").strip().upper()
    if country and country != market_code:
        problems.append(
            ("country", _("This shop ships within %(country)s only.") % {"country": market_code})
        )
    rules = COUNTRIES.get(market_code)
    if rules is None:
        return problems
    if rules.region_required and not (address.get("region") or "").strip():
        problems.append(("region", _("This field is required.")))
    postal = (address.get("postal_code") or "").strip()
    if postal and not rules.postal_code.match(postal):
        problems.append(
            ("postal_code", _("Not a postal code here, e.g. %(e)s.") % {"e": rules.postal_example})
        )
    phone = _digits(address.get("phone") or "")
    if phone and not rules.phone.match(phone):
        problems.append(
            ("phone", _("Not a phone number here, e.g. %(e)s.") % {"e": rules.phone_example})
        )
    return problems


def clean_address(address: dict[str, str]) -> dict[str, str]:
    cleaned = {k: (address.get(k) or "").strip() for k in FIELD_LIMITS}
    cleaned["country"] = cleaned["country"].upper()
    cleaned["phone"] = _digits(cleaned["phone"])
    return cleaned
