from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from trunkshow.common.ids import sortable_token
from trunkshow.common.models import Market


def new_public_id() -> str:
    """An unguessable id: result links are shared, and must not be enumerable.

    It starts with the time so that new results land together in the index.
    """
    return sortable_token()


class Quiz(models.Model):
    slug = models.SlugField(unique=True, max_length=40)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("quizzes")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class QuizVersion(models.Model):
    """One version of a quiz's definition. Once published it never changes.

    Results point at the version they were scored with, so a result reopened
    a year later still explains itself with the questions the shopper saw.
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    source = models.TextField(help_text=_("The definition in YAML."))
    checksum = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quiz", "number"], name="uniq_quiz_version_number")
        ]
        ordering = ["quiz", "-number"]

    def __str__(self) -> str:
        return f"{self.quiz.slug} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = QuizVersion.objects.filter(pk=self.pk).values("published_at", "source").first()
            if (
                stored
                and stored["published_at"] is not None
                and (stored["source"] != self.source or self.published_at != stored["published_at"])
            ):
                raise ValidationError(_("A published quiz version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_published:
            raise ValidationError(_("A published quiz version cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class QuizResult(models.Model):
    """What one shopper answered, the profile it gave and the bags picked for them."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    version = models.ForeignKey(QuizVersion, on_delete=models.PROTECT, related_name="results")
    market = models.ForeignKey(Market, on_delete=models.PROTECT, related_name="+")
    locale = models.CharField(max_length=16)
    name = models.CharField(max_length=40, blank=True)
    # The browser that answered (trunkshow/common/visitors.py): how a privacy
    # request finds the results of a shopper who never gave an e-mail.
    visitor_id = models.CharField(max_length=64, blank=True, db_index=True)
    answers = models.JSONField()
    personalised = models.BooleanField(default=True)
    profile_key = models.CharField(max_length=40)
    trait_totals = models.JSONField(default=dict)
    deciding_traits = models.JSONField(default=list)
    recommendations = models.JSONField(default=list)
    video_message = models.ForeignKey(
        "video.VideoMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["version", "profile_key"])]

    def __str__(self) -> str:
        return f"{self.public_id} {self.profile_key}"


class Experiment(models.Model):
    """An A/B test: a quiz's traffic split between published versions, fixed horizon.

    The sample size per variant is computed once, when the test is made, from
    the design fields (engines/analytics/experiments.py says why).
    """

    slug = models.SlugField(unique=True, max_length=24)
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="experiments")
    title = models.CharField(max_length=120, blank=True)
    starts_at = models.DateTimeField()
    stops_at = models.DateTimeField(null=True, blank=True)
    baseline_rate = models.DecimalField(
        max_digits=5, decimal_places=4, help_text=_("Expected conversion to a paid order, 0-1.")
    )
    minimum_lift = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        help_text=_("Smallest relative lift worth finding, e.g. 0.2."),
    )
    alpha = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.05"))
    power = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.8"))
    sample_size = models.PositiveIntegerField(editable=False, default=0)
    promoted_variant = models.CharField(max_length=15, blank=True, editable=False)
    promoted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.slug


class ExperimentVariant(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="variants")
    key = models.SlugField(max_length=15)
    version = models.ForeignKey(QuizVersion, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField(default=0, help_text=_("The first is the control."))

    class Meta:
        ordering = ["experiment", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "key"], name="uniq_variant_key")
        ]

    def __str__(self) -> str:
        return f"{self.experiment.slug}:{self.key}"

    @property
    def label(self) -> str:
        """The variant as analytics events carry it: unique across experiments."""
        return f"{self.experiment.slug}:{self.key}"
