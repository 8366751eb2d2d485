"""Flattened events: one row per thing a shopper did, with the context reports cut by.

A sink: nothing here points at another app's tables, so analytics imports
no app and keeps working when a product, quiz or order is deleted. No IP
address and nothing the shopper typed is stored; `visitor_id` is the
random first-party id (trunkshow/common/visitors.py) or an API client's own.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    QUIZ_VIEWED = "quiz_viewed", _("Quiz viewed")
    QUESTION_SHOWN = "question_shown", _("Question shown")
    QUESTION_ANSWERED = "question_answered", _("Question answered")
    QUIZ_COMPLETED = "quiz_completed", _("Quiz completed")
    VIDEO_STARTED = "video_started", _("Video started")
    VIDEO_PROGRESS = "video_progress", _("Video reached")
    PRODUCT_CLICKED = "result_product_clicked", _("Result product clicked")
    ADDED_TO_CART = "added_to_cart", _("Added to cart")
    CHECKOUT_STARTED = "checkout_started", _("Checkout started")
    ORDER_PAID = "order_paid", _("Order paid")
    STUDIO_OPENED = "studio_opened", _("Studio opened")
    DESIGN_SAVED = "design_saved", _("Design saved")
    DROP_TICKET = "drop_ticket_taken", _("Drop ticket taken")
    STREAM_WATCHED = "stream_watched", _("Stream watched")


class Event(models.Model):
    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    visitor_id = models.CharField(max_length=64, blank=True)
    market = models.CharField(max_length=8, blank=True)
    locale = models.CharField(max_length=16, blank=True)
    quiz = models.CharField(max_length=40, blank=True)
    quiz_version = models.PositiveIntegerField(null=True, blank=True)
    variant = models.CharField(max_length=40, blank=True)
    question = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.CharField(max_length=40, blank=True)
    profile = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    # What the event is about: a SKU, a cart, a design, a drop, a stream.
    ref = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    # The amount in settings.ANALYTICS_REPORTING_CURRENCY at the rate of the day
    # (ExchangeRate); null when no rate was known, so reports can say so.
    amount_reporting = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        # Few indexes: every one is paid for on the shopper's request.
        indexes = [
            models.Index(fields=["occurred_at"], name="analytics_event_when"),
            models.Index(fields=["visitor_id", "id"], name="analytics_event_visitor"),
            models.Index(fields=["ref"], name="analytics_event_ref", condition=~Q(ref="")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.visitor_id[:8]} {self.occurred_at:%Y-%m-%d %H:%M}"


class ExchangeRate(models.Model):
    """One unit of `currency` in the reporting currency from `valid_from` on (kept as data)."""

    currency = models.CharField(max_length=3)
    reporting_currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=18, decimal_places=8)
    valid_from = models.DateField()

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "reporting_currency", "valid_from"], name="uniq_rate_per_day"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {self.reporting_currency} ({self.valid_from})"


class VisitorJourney(models.Model):
    """A visitor's journey through one quiz so far (engines/analytics/journeys.py).

    Kept by the roll-up so each new event changes the daily counts by what it
    adds, instead of every report reading every event.
    """

    visitor_id = models.CharField(max_length=64)
    quiz = models.CharField(max_length=40)
    market = models.CharField(max_length=8, blank=True)
    locale = models.CharField(max_length=16, blank=True)
    quiz_version = models.PositiveIntegerField(null=True, blank=True)
    variant = models.CharField(max_length=40, blank=True)
    day = models.DateField()
    state = models.JSONField(default=dict)
    last_event = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visitor_id", "quiz"], name="uniq_journey_per_quiz")
        ]

    def __str__(self) -> str:
        return f"{self.quiz} {self.visitor_id[:8]} {self.day}"


class DailyCount(models.Model):
    """Visitors (or orders, or cents) of one cohort day and slice: reports sum these."""

    quiz = models.CharField(max_length=40)
    day = models.DateField()
    market = models.CharField(max_length=8, blank=True)
    locale = models.CharField(max_length=16, blank=True)
    quiz_version = models.PositiveIntegerField(default=0)  # 0: not known
    variant = models.CharField(max_length=40, blank=True)
    metric = models.CharField(max_length=24)
    key = models.CharField(max_length=40, blank=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "quiz",
                    "day",
                    "market",
                    "locale",
                    "quiz_version",
                    "variant",
                    "metric",
                    "key",
                ],
                name="uniq_daily_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quiz} {self.day} {self.metric}:{self.key}={self.value}"


class RollupMark(models.Model):
    """How far the roll-up has read the events (one row)."""

    last_event = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"rolled up to event {self.last_event}"
