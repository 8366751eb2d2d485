"""What a deliverable address looks like in each market we ship to.

Rules are data per country; a market ships within its own country. A
country's layout says which fields its shoppers fill in, in which order,
under which labels, which are required, and how the address is written on
an order (China from large to small: province, city, district, street; the
United States street first). A third market brings its own `CountryRules`;
a country without rules gets the generic layout. Each problem names its
field, so the API and the form can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD_LIMITS = {
    "line1": 200,
    "line2": 200,
    "district": 100,
    "city": 100,
    "region": 100,
    "postal_code": 16,
    "country": 2,
    "phone": 32,
}

# What a browser may fill in for each field (HTML autocomplete tokens).
AUTOCOMPLETE = {
    "region": "address-level1",
    "city": "address-level2",
    "district": "address-level3",
    "line1": "address-line1",
    "line2": "address-line2",
    "postal_code": "postal-code",
    "phone": "tel",
}

_GENERIC_LABELS: dict[str, Promise] = {
    "region": gettext_lazy("Province / state"),
    "city": gettext_lazy("City"),
    "district": gettext_lazy("District"),
    "line1": gettext_lazy("Street address"),
    "line2": gettext_lazy("Apartment, floor"),
    "postal_code": gettext_lazy("Postal code"),
    "phone": gettext_lazy("Phone"),
}


@dataclass(frozen=True)
class CountryRules:
    """One country's address: entry order, labels, required fields, and how it is written."""

    postal_code: re.Pattern[str]
    postal_example: str
    phone: re.Pattern[str]
    phone_example: str
    # The address fields in the order shoppers there fill them in (phone is contact).
    fields: tuple[str, ...] = ("line1", "line2", "city", "region", "postal_code")
    required: frozenset[str] = frozenset({"line1", "city", "region", "postal_code", "phone"})
    labels: dict[str, Promise] = field(default_factory=dict)
    # How the address is written, one template per line; empty parts drop out.
    display: tuple[str, ...] = ("{line1}", "{line2}", "{city}, {region} {postal_code}")

    def label(self, name: str) -> Promise:
        return self.labels.get(name) or _GENERIC_LABELS[name]


COUNTRIES = {
    "CN": CountryRules(
        postal_code=re.compile(r"^\d{6}$"),
        postal_example="200000",
        # Mainland mobile numbers, with or without +86.
        phone=re.compile(r"^(\+?86)?1[3-9]\d{9}$"),
        phone_example="13800138000",
        # From large to small, as an envelope is addressed in China.
        fields=("region", "city", "district", "line1", "line2", "postal_code"),
        required=frozenset({"region", "city", "district", "line1", "postal_code", "phone"}),
        labels={
            "region": gettext_lazy("Province"),
            "district": gettext_lazy("District / county"),
            "line1": gettext_lazy("Street and number"),
            "line2": gettext_lazy("Building, floor, room"),
        },
        display=("{region} {city} {district} {line1} {line2}", "{postal_code}"),
    ),
    "US": CountryRules(
        postal_code=re.compile(r"^\d{5}(-\d{4})?$"),
        postal_example="10001",
        phone=re.compile(r"^(\+?1)?[2-9]\d{2}[2-9]\d{6}$"),
        phone_example="+1 212 555 0123",
        labels={"region": gettext_lazy("State"), "postal_code": gettext_lazy("ZIP code")},
    ),
}

# A country without its own rules: no format checks, the generic layout.
GENERIC = CountryRules(
    postal_code=re.compile(r"^.+$"),
    postal_example="",
    phone=re.compile(r"^.+$"),
    phone_example="",
)


def country_rules(country: str) -> CountryRules:
    return COUNTRIES.get(country, GENERIC)


def _digits(phone: str) -> str:
    return re.sub(r"[\s().-]", "", phone)


def address_problems(address: dict[str, str], *, market_code: str) -> list[tuple[str, str]]:
    """Return (field, message) for everything wrong with `address` in this market,
    in the order the market's form shows the fields."""
    rules = country_rules(market_code)
    found: dict[str, str] = {}

    def problem(name: str, message: str) -> None:
        found.setdefault(name, message)

    for name in ("country", *rules.required):
        if not (address.get(name) or "").strip():
            problem(name, _("This field is required."))
    for name, limit in FIELD_LIMITS.items():
        if len(address.get(name) or "") > limit:
            problem(name, _("At most %(n)s characters.") % {"n": limit})
    country = (address.get("country") or "").strip().upper()
    if country and country != market_code:
        problem("country", _("This shop ships within %(country)s only.") % {"country": market_code})
    if market_code in COUNTRIES:
        postal = (address.get("postal_code") or "").strip()
        if postal and not rules.postal_code.match(postal):
            problem(
                "postal_code",
                _("Not a postal code here, e.g. %(e)s.") % {"e": rules.postal_example},
            )
        phone = _digits(address.get("phone") or "")
        if phone and not rules.phone.match(phone):
            problem("phone", _("Not a phone number here, e.g. %(e)s.") % {"e": rules.phone_example})
    order = [*rules.fields, "phone", "country"]
    return sorted(found.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)


def clean_address(address: dict[str, str]) -> dict[str, str]:
    cleaned = {k: (address.get(k) or "").strip() for k in FIELD_LIMITS}
    cleaned["country"] = cleaned["country"].upper()
    cleaned["phone"] = _digits(cleaned["phone"])
    return cleaned


def address_lines(address: dict[str, str], *, country: str) -> list[str]:
    """The address as it is written in its country, one string per line (no name, no phone)."""
    values = {k: str(address.get(k) or "") for k in FIELD_LIMITS}
    lines = []
    for template in country_rules(country).display:
        line = re.sub(r"\s+", " ", template.format(**values)).strip(" ,")
        line = re.sub(r"\s+,", ",", line)
        if line:
            lines.append(line)
    return lines
