"""A campaign day: a scheduled takeover of the store, per market, in the market's time zone."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from trunkshow.common.models import Market, validate_locale


class CampaignManager(models.Manager["Campaign"]):
    def get_by_natural_key(self, slug: str) -> Campaign:
        """A campaign by its slug: a new market's windows are data naming the campaign."""
        return self.get(slug=slug)


class Campaign(models.Model):
    slug = models.SlugField(unique=True, max_length=60)
    quiz = models.ForeignKey(
        "quiz.Quiz",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The quiz the campaign page features."),
    )
    hero_image = models.ImageField(
        upload_to="campaigns/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    hero_video = models.FileField(
        upload_to="campaigns/",
        blank=True,
        validators=[FileExtensionValidator(["mp4", "webm"])],
        help_text=_("Optional: a short MP4 or WebM played muted in the hero."),
    )
    teaser_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_("How many days before its start the store shows the teaser."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignManager()

    class Meta:
        ordering = ["-created_at", "slug"]

    def __str__(self) -> str:
        return self.slug

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def teaser(self) -> timedelta:
        return timedelta(days=self.teaser_days)

    def text(self, locale: str) -> CampaignText | None:
        texts = {t.locale: t for t in self.texts.all()}
        for candidate in (locale, "en", "zh-Hans", *texts):
            if candidate in texts:
                return texts[candidate]
        return None

    def title(self, locale: str) -> str:
        text = self.text(locale)
        return text.title if text else self.slug


class CampaignText(models.Model):
    """A campaign's words in one locale."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="texts")
    locale = models.CharField(max_length=16, validators=[validate_locale])
    title = models.CharField(max_length=120)
    hero_text = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["campaign", "locale"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "locale"], name="campaign_text_per_locale")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.slug} [{self.locale}]"


class CampaignWindow(models.Model):
    """When a campaign runs in one market: instants in UTC, authored in the market's zone."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="windows")
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["starts_at", "market"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "market"], name="campaign_once_per_market"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.slug} in {self.market_id}"


class ReminderSignup(models.Model):
    """A shopper asked to be reminded: mailed by a job when each drop opens, nothing before."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=254)
    locale = models.CharField(max_length=16, validators=[validate_locale])
    # The browser (or API client) that signed up: its consent decides whether the
    # reminder is sent (trunkshow/campaigns/reminders.py). Blank on sign-ups from
    # before consent was asked, which are sent as an undecided visitor's would be.
    visitor_id = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="one_reminder_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.slug}: {self.email}"


class Drop(models.Model):
    """A limited release inside a campaign: SKUs that cannot be added before `opens_at`."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="drops")
    titles = models.JSONField(
        default=dict,
        help_text=_('Title per locale, e.g. {"en": "Red tote", "zh-Hans": "红色托特"}.'),
    )
    opens_at = models.DateTimeField(db_index=True)
    quantity = models.PositiveIntegerField(
        default=0, help_text=_("Units released for the drop (its stock in each market).")
    )
    per_shopper_limit = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(10)], help_text=_("At most this many per shopper.")
    )
    waiting_room = models.BooleanField(
        default=True,
        help_text=_("Shoppers take a ticket and are admitted in the order they arrived."),
    )
    batch_size = models.PositiveIntegerField(
        default=50,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Tickets admitted in each interval, one after another at an even pace in arrival order."
        ),
    )
    batch_seconds = models.PositiveIntegerField(
        default=10, validators=[MinValueValidator(1)], help_text=_("Seconds in an interval.")
    )
    ticket_minutes = models.PositiveIntegerField(
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Minutes an admitted ticket stays usable."),
    )
    tickets_issued = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Tickets taken so far: the next one's rank.")
    )

    class Meta:
        ordering = ["opens_at", "pk"]

    def __str__(self) -> str:
        title = next(iter(self.titles.values()), "") if isinstance(self.titles, dict) else ""
        return f"{self.campaign.slug}: {title or self.pk}"


class DropItem(models.Model):
    """One SKU of a drop (a plain bag, or the blank of a studio template)."""

    drop = models.ForeignKey(Drop, on_delete=models.CASCADE, related_name="items")
    sku = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["drop", "pk"]
        constraints = [models.UniqueConstraint(fields=["drop", "sku"], name="drop_item_once")]

    def __str__(self) -> str:
        return self.sku


class DropTicket(models.Model):
    """A place in a drop's waiting room; its primary key is the order of arrival."""

    drop = models.ForeignKey(Drop, on_delete=models.CASCADE, related_name="tickets")
    holder = models.CharField(max_length=64, blank=True, help_text=_("The cart it was taken for."))
    created_at = models.DateTimeField(auto_now_add=True)
    # The instant the request reached the server, before it queued behind others.
    arrived_at = models.DateTimeField(null=True, blank=True)
    # 0 for the first to arrive: numbered under the drop's row lock, in arrival order.
    rank = models.PositiveIntegerField(default=0)
    # The shelf its units are set aside on at admission.
    market = models.ForeignKey(
        Market, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    admitted_at = models.DateTimeField(null=True, blank=True)
    # First seen due with nothing left on its shelf: admitted later, when a unit comes back.
    blocked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["drop", "pk"]
        indexes = [
            models.Index(fields=["drop", "id"]),
            models.Index(fields=["drop", "admitted_at", "rank"], name="drop_ticket_waiting"),
            models.Index(fields=["drop", "arrived_at"], name="drop_ticket_arrival"),
        ]

    def __str__(self) -> str:
        return f"ticket {self.pk} for drop {self.drop_id}"


class Stream(models.Model):
    """A campaign's livestream: an HLS source, a poster, and the products pinned on air."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    class RecordingStatus(models.TextChoices):
        PACKAGING = "packaging", _("Being packaged as HLS")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="streams")
    titles = models.JSONField(default=dict, blank=True, help_text=_("Title per locale."))
    scheduled_at = models.DateTimeField(help_text=_("When the stream is announced to start."))
    started_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it actually went on air (the replay's zero).")
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    hls_url = models.URLField(
        max_length=500, blank=True, help_text=_("An HLS playlist (.m3u8) served elsewhere.")
    )
    hls_path = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Or a playlist under MEDIA_ROOT made from an uploaded file."),
    )
    poster = models.ImageField(
        upload_to="streams/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    recording = models.FileField(
        upload_to="streams/recordings/",
        blank=True,
        help_text=_("Or a video file: checked by its content, then served as HLS by the site."),
    )
    recording_status = models.CharField(
        max_length=12, choices=RecordingStatus.choices, blank=True, editable=False
    )
    recording_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["scheduled_at", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign.slug} stream {self.pk} ({self.status})"


class StreamPin(models.Model):
    """A product pinned on air; kept after unpinning so the replay shows it at its moment."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="pins")
    sku = models.CharField(max_length=64)
    pinned_at = models.DateTimeField()
    unpinned_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change (pin, unpin): viewers poll "changes after N" by this index.
    changed_seq = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["stream", "pinned_at", "pk"]
        indexes = [models.Index(fields=["stream", "changed_seq"])]
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "sku"],
                condition=Q(unpinned_at__isnull=True),
                name="stream_pin_once_on_air",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sku} on stream {self.stream_id}"


class StaffApiToken(models.Model):
    """A staff member's API token; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80, help_text=_("What it is for, e.g. 'studio desk'."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


class ReminderSent(models.Model):
    """One reminder mailed for one drop: the job may run twice, the shopper hears once."""

    signup = models.ForeignKey(ReminderSignup, on_delete=models.CASCADE, related_name="sent")
    drop = models.ForeignKey(Drop, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signup", "drop"], name="one_reminder_per_drop")
        ]

    def __str__(self) -> str:
        return f"{self.signup} for drop {self.drop_id}"


class StreamAudience(models.Model):
    """How many viewers one web process holds on a stream's events, as it last reported.

    Each process writes its own row every few seconds while it has viewers; the count
    staff see is the sum of the rows reported lately, so a process that died stops
    counting by itself.
    """

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="+")
    process = models.CharField(max_length=100)
    viewers = models.PositiveIntegerField(default=0)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stream", "process"], name="stream_audience_once")
        ]

    def __str__(self) -> str:
        return f"{self.viewers} on stream {self.stream_id} ({self.process})"
