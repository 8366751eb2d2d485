from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from trunkshow.engines.analytics.experiments import sample_size
from trunkshow.engines.quiz import DefinitionError
from trunkshow.quiz import services
from trunkshow.quiz.definitions import checksum, parse_source
from trunkshow.quiz.models import Experiment, ExperimentVariant, Quiz, QuizResult, QuizVersion


class QuizVersionForm(forms.ModelForm[QuizVersion]):
    class Meta:
        model = QuizVersion
        fields = ["quiz", "number", "source"]
        widgets = {"source": forms.Textarea(attrs={"rows": 40, "cols": 100, "spellcheck": "false"})}

    def clean_source(self) -> str:
        source: str = self.cleaned_data["source"]
        try:
            parse_source(source)
        except DefinitionError as exc:
            raise forms.ValidationError([str(issue) for issue in exc.issues]) from exc
        return source


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin[Quiz]):
    list_display = ["slug", "is_active", "created_at"]


@admin.register(QuizVersion)
class QuizVersionAdmin(admin.ModelAdmin[QuizVersion]):
    form = QuizVersionForm
    list_display = ["quiz", "number", "published_at", "created_at"]
    list_filter = ["quiz"]
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: QuizVersion | None = None) -> Any:
        if obj is not None and obj.is_published:
            return ["quiz", "number", "source", "checksum", "published_at"]
        return ["checksum", "published_at"]

    def has_delete_permission(self, request: HttpRequest, obj: QuizVersion | None = None) -> bool:
        return obj is None or not obj.is_published

    def save_model(self, request: HttpRequest, obj: QuizVersion, form: Any, change: bool) -> None:
        obj.checksum = checksum(obj.source)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: QuerySet[QuizVersion]) -> None:
        for version in queryset:
            services.quiz_version_publish(version=version)
        self.message_user(request, _("Published."), messages.SUCCESS)


@admin.register(QuizResult)
class QuizResultAdmin(admin.ModelAdmin[QuizResult]):
    list_display = ["public_id", "version", "profile_key", "market", "locale", "created_at"]
    list_filter = ["profile_key", "market", "locale", "personalised"]
    readonly_fields = [f.name for f in QuizResult._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ExperimentVariantInline(admin.TabularInline[ExperimentVariant, Experiment]):
    model = ExperimentVariant
    extra = 2
    fields = ["position", "key", "version", "weight"]


def _design_size(data: dict[str, Any]) -> int:
    return sample_size(
        baseline=float(data["baseline_rate"]), relative_lift=float(data["minimum_lift"]),
        alpha=float(data["alpha"]), power=float(data["power"]),
    )  # fmt: skip


class ExperimentForm(forms.ModelForm[Experiment]):
    class Meta:
        model = Experiment
        fields = ["slug", "quiz", "title", "starts_at", "stops_at", "baseline_rate",
                  "minimum_lift", "alpha", "power"]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        needed = ("baseline_rate", "minimum_lift", "alpha", "power")
        if all(data.get(name) is not None for name in needed):
            try:
                _design_size(data)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin[Experiment]):
    """Experiments; the read-out and promotion are on the analytics dashboard."""

    form = ExperimentForm

    list_display = ["slug", "quiz", "starts_at", "stops_at", "sample_size", "promoted_variant"]
    list_filter = ["quiz"]
    inlines = [ExperimentVariantInline]
    readonly_fields = ["sample_size", "promoted_variant", "promoted_at"]

    def save_model(self, request: HttpRequest, obj: Experiment, form: Any, change: bool) -> None:
        # The horizon is fixed once, before data: changing the design later
        # would let a test be stopped when it happens to look good.
        if not obj.sample_size:
            obj.sample_size = _design_size(vars(obj))
        super().save_model(request, obj, form, change)
