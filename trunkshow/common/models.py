from __future__ import annotations

import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trunkshow.common.locales import localized, normalize_locale


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not an IANA time zone."), params={"value": value})


def validate_locale(value: str) -> None:
    if normalize_locale(value) != value:
        raise ValidationError(_("%(value)s is not a supported locale."), params={"value": value})


class Market(models.Model):
    """A country or region the brand sells in: its currency, language and clock.

    Markets are rows, so opening a third market is data entry, not a release.
    """

    code = models.CharField(
        primary_key=True,
        max_length=8,
        validators=[RegexValidator(r"^[A-Z]{2,8}$", _("Use upper-case letters, e.g. CN."))],
    )
    names = models.JSONField(
        default=dict, help_text=_('Name per locale, e.g. {"en": "China", "zh-Hans": "中国"}.')
    )
    currency = models.CharField(
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use an ISO 4217 code, e.g. CNY."))],
    )
    default_locale = models.CharField(max_length=16, validators=[validate_locale])
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    # How the market's sales tax works: included in the prices shown (CN VAT,
    # JP consumption tax), or `tax_rate` added at checkout on goods and shipping.
    prices_include_tax = models.BooleanField(default=False)
    tax_rate = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code

    def name(self, locale: str) -> str:
        return localized(self.names, locale) or self.code

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class WorkerHeartbeat(models.Model):
    """The last time a background worker ran a job: proof the queue is served."""

    seen_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-seen_at"]
        get_latest_by = "seen_at"

    def __str__(self) -> str:
        return f"{self.seen_at:%Y-%m-%d %H:%M:%S} {self.note}"


class TransitionRecord(models.Model):
    """One step of a state machine (an order's, a work order's), kept for ever.

    Each owner's history is its own table of this shape, linked to its owner
    by the subclass's foreign key.
    """

    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class ConsentRecord(models.Model):
    """One consent choice a visitor made; the newest row is the one in force.

    Rows are never updated, so the history a shopper may export (PIPL art. 14,
    GDPR art. 7(1): the controller must be able to show consent) is the table.
    """

    visitor_id = models.CharField(max_length=64, db_index=True)
    analytics = models.BooleanField(default=False)
    personalisation = models.BooleanField(default=False)
    # Where it was given: "banner", "privacy page", "api".
    source = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visitor_id", "-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return (
            f"{self.visitor_id}: analytics={self.analytics} personalisation={self.personalisation}"
        )
