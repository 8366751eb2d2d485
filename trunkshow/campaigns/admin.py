"""The campaign in the admin: words per locale, hero, windows in each market's own time,
and a preview of the store at any chosen instant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from trunkshow.campaigns.models import (
    Campaign,
    CampaignText,
    CampaignWindow,
    Drop,
    DropItem,
    ReminderSignup,
)
from trunkshow.campaigns.selectors import campaign_preview, window_conflicts
from trunkshow.campaigns.services import drop_apply_limits
from trunkshow.common.locales import supported_locales
from trunkshow.common.models import Market
from trunkshow.engines.campaign.schedule import NonexistentLocalTime, local_to_utc, utc_to_local

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=LOCAL_INPUT)


def _to_utc(value: datetime | None, market: Market | None, field: str) -> datetime | None:
    if value is None or market is None:
        return None
    try:
        return local_to_utc(value.replace(tzinfo=None), market.time_zone)
    except NonexistentLocalTime as exc:
        raise ValidationError({field: _("%(error)s Pick another time.") % {"error": exc}}) from exc


class CampaignTextInline(admin.StackedInline[CampaignText, Campaign]):
    model = CampaignText
    extra = 0
    min_num = 1


class WindowForm(forms.ModelForm[CampaignWindow]):
    """Start and end as the market's clocks show them; stored as UTC instants."""

    starts_local = forms.DateTimeField(
        label=_("Starts (market's local time)"),
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    ends_local = forms.DateTimeField(
        label=_("Ends (market's local time)"),
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    class Meta:
        model = CampaignWindow
        fields = ["market"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            zone = self.instance.market.time_zone
            self.initial["starts_local"] = utc_to_local(self.instance.starts_at, zone).replace(
                tzinfo=None
            )
            self.initial["ends_local"] = utc_to_local(self.instance.ends_at, zone).replace(
                tzinfo=None
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        market = data.get("market")
        starts_at = _to_utc(data.get("starts_local"), market, "starts_local")
        ends_at = _to_utc(data.get("ends_local"), market, "ends_local")
        if starts_at and ends_at:
            if ends_at <= starts_at:
                raise ValidationError({"ends_local": _("The campaign must end after it starts.")})
            self.instance.starts_at = starts_at
            self.instance.ends_at = ends_at
        return data


class WindowFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """Refuse a window that overlaps another campaign's in the same market, naming it."""

    def clean(self) -> None:
        super().clean()
        planned = []
        for form in self.forms:
            if not form.is_valid() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            market = form.cleaned_data.get("market")
            if market is not None and form.instance.starts_at and form.instance.ends_at:
                planned.append((form, market.code, form.instance.starts_at, form.instance.ends_at))
        conflicts = window_conflicts(
            campaign_slug=self.instance.slug or "",
            campaign_pk=self.instance.pk,
            windows=[(m, s, e) for _f, m, s, e in planned],
        )
        for market, other in conflicts:
            form = next(f for f, m, _s, _e in planned if m == market)
            zone = form.cleaned_data["market"].time_zone
            start = utc_to_local(other.starts_at, zone)
            end = utc_to_local(other.ends_at, zone)
            form.add_error(
                None,
                _(
                    "Campaign “%(other)s” already runs in %(market)s from %(start)s to %(end)s "
                    "(%(zone)s); campaigns in one market may not overlap."
                )
                % {
                    "other": other.campaign,
                    "market": market,
                    "start": f"{start:%Y-%m-%d %H:%M}",
                    "end": f"{end:%Y-%m-%d %H:%M}",
                    "zone": zone,
                },
            )
        if conflicts:
            raise ValidationError(_("Campaigns in one market may not overlap."))


class CampaignWindowInline(admin.TabularInline[CampaignWindow, Campaign]):
    model = CampaignWindow
    form = WindowForm
    formset = WindowFormSet
    extra = 0
    min_num = 1
    fields = ["market", "starts_local", "ends_local"]


class PreviewForm(forms.Form):
    market = forms.ModelChoiceField(queryset=Market.objects.filter(is_active=True))
    at = forms.DateTimeField(
        label=_("Instant (market's local time)"),
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    locale = forms.ChoiceField(choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locale_field = self.fields["locale"]
        assert isinstance(locale_field, forms.ChoiceField)  # noqa: S101 - for the type checker
        locale_field.choices = [(code, code) for code in supported_locales()]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ["slug", "windows_summary", "quiz", "preview_link"]
    search_fields = ["slug", "texts__title"]
    inlines = [CampaignTextInline, CampaignWindowInline]
    fields = ["slug", "quiz", "hero_image", "hero_video", "teaser_days"]

    @admin.display(description=_("Windows (local time)"))
    def windows_summary(self, obj: Campaign) -> str:
        parts = []
        for window in obj.windows.select_related("market"):
            zone = window.market.time_zone
            start = utc_to_local(window.starts_at, zone)
            end = utc_to_local(window.ends_at, zone)
            parts.append(f"{window.market_id} {start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}")
        return "; ".join(parts)

    @admin.display(description=_("Preview"))
    def preview_link(self, obj: Campaign) -> str:
        url = reverse("admin:campaigns_campaign_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview"))

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="campaigns_campaign_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Show the campaign as the store would at a chosen instant in a market's time."""
        campaign = get_object_or_404(Campaign, pk=pk)
        if not self.has_view_permission(request, campaign):
            return HttpResponse(status=403)
        form = PreviewForm(request.GET or None)
        view = None
        instant = None
        if form.is_valid():
            market = form.cleaned_data["market"]
            try:
                instant = local_to_utc(
                    form.cleaned_data["at"].replace(tzinfo=None), market.time_zone
                )
            except NonexistentLocalTime as exc:
                form.add_error("at", str(exc))
            else:
                view = campaign_preview(
                    campaign=campaign,
                    market_code=market.code,
                    locale=form.cleaned_data["locale"],
                    at=instant,
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview of %(slug)s") % {"slug": campaign.slug},
            "opts": self.model._meta,
            "original": campaign,
            "form": form,
            "campaign": view,
            "instant": instant,
        }
        return TemplateResponse(request, "admin/campaigns/preview.html", context)


@admin.register(ReminderSignup)
class ReminderSignupAdmin(admin.ModelAdmin[ReminderSignup]):
    list_display = ["email", "campaign", "market", "locale", "created_at"]
    list_filter = ["campaign", "market"]
    search_fields = ["email"]


class DropItemInline(admin.TabularInline[DropItem, Drop]):
    model = DropItem
    extra = 1


class DropForm(forms.ModelForm[Drop]):
    """The opening as one market's clock shows it (the campaign's first market unless
    staff pick another); stored as a UTC instant, the same moment in every market."""

    opens_market = forms.ModelChoiceField(
        queryset=Market.objects.filter(is_active=True),
        label=_("Market whose clock the opening is written in"),
    )
    opens_local = forms.DateTimeField(
        label=_("Opens (that market's local time)"),
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    class Meta:
        model = Drop
        fields = ["campaign", "titles", "quantity", "per_shopper_limit", "waiting_room",
                  "batch_size", "batch_seconds", "ticket_minutes"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            window = self.instance.campaign.windows.select_related("market").first()
            if window is not None:
                self.initial["opens_market"] = window.market
                self.initial["opens_local"] = utc_to_local(
                    self.instance.opens_at, window.market.time_zone
                ).replace(tzinfo=None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_at = _to_utc(data.get("opens_local"), data.get("opens_market"), "opens_local")
        if opens_at is not None:
            self.instance.opens_at = opens_at
        return data


@admin.register(Drop)
class DropAdmin(admin.ModelAdmin[Drop]):
    """Saving writes the drop's per-shopper limit and released quantity into the stock of
    its SKUs in the campaign's markets, and enqueues its reminders."""

    form = DropForm
    list_display = ["__str__", "campaign", "opens_summary", "quantity", "per_shopper_limit"]
    list_filter = ["campaign"]
    inlines = [DropItemInline]

    @admin.display(description=_("Opens (local time)"))
    def opens_summary(self, obj: Drop) -> str:
        return "; ".join(
            f"{w.market_id} {utc_to_local(obj.opens_at, w.market.time_zone):%Y-%m-%d %H:%M:%S}"
            f" ({w.market.time_zone})"
            for w in obj.campaign.windows.select_related("market")
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        drop_apply_limits(drop=form.instance)


from trunkshow.campaigns import stream_admin  # noqa: E402, F401  (registers streams and tokens)
