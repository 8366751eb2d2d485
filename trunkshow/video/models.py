from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from trunkshow.common.ids import sortable_token


def new_token() -> str:
    # Unguessable (a message's link is its only key), time first so that new
    # messages land together in the index.
    return sortable_token()


class DesignerClip(models.Model):
    """A piece of the designer's footage, normalized once to the house format."""

    class Kind(models.TextChoices):
        INTRO = "intro", _("Intro (per profile)")
        PRODUCT = "product", _("Product segment")
        OUTRO = "outro", _("Outro")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be normalized")
        PROCESSING = "processing", _("Normalizing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    profile_key = models.CharField(
        max_length=40, blank=True, help_text=_("For intros: the quiz profile it introduces.")
    )
    product_slug = models.SlugField(
        max_length=80, blank=True, help_text=_("For product segments: the product it presents.")
    )
    source = models.FileField(upload_to="video/sources/", max_length=200)
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    subtitles = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('What is said, per locale: {"en": "...", "zh-Hans": "..."}'),
    )
    segment = models.FileField(upload_to="video/clips/", max_length=200, blank=True, editable=False)
    stream = models.FileField(upload_to="video/clips/", max_length=200, blank=True, editable=False)
    frames = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, editable=False
    )
    error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "profile_key", "product_slug", "-created_at"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.profile_key or self.product_slug or '-'} ({self.status})"

    @property
    def seconds(self) -> float:
        return self.frames / 30


class VideoMessage(models.Model):
    """One shopper's personal video: shared clips around a card made for them."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        # Its files were removed: nobody opened it for VIDEO_RETENTION_DAYS.
        EXPIRED = "expired", _("Removed after it went unwatched")

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    composition_key = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=40, blank=True)
    locale = models.CharField(max_length=16)
    card_title = models.CharField(max_length=120)
    card_subtitle = models.CharField(max_length=200, blank=True)
    # The card's title in every shop language, for the subtitles of each
    # (card_title is the one drawn on the card, in the shopper's language).
    card_titles = models.JSONField(default=dict, blank=True)
    clip_ids = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    card_frames = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    # When someone last played it or opened its result (to the hour): what
    # nobody opened for VIDEO_RETENTION_DAYS is removed by the sweep.
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "lease_until"])]

    def __str__(self) -> str:
        return f"{self.token} {self.status}"
