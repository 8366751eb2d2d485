"""The studio's admin: upload a paint calibration card, see measured vs model swatches."""

from __future__ import annotations

import base64
from typing import Any

import yaml
from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from trunkshow.common.errors import Invalid
from trunkshow.engines.paint.calibration import CardError, parse_card
from trunkshow.studio.models import PaletteVersion
from trunkshow.studio.services import palette_calibrate
from trunkshow.studio.swatch_picture import swatches_png

CARD_MAX_BYTES = 2_000_000


class CardUploadForm(forms.ModelForm):  # type: ignore[type-arg]
    card_file = forms.FileField(
        label=_("Calibration card (YAML)"),
        help_text=_("A tint ladder of the kit's paints, as trunkshow/demo/paint/ shows."),
    )

    class Meta:
        model = PaletteVersion
        fields: list[str] = []

    def clean_card_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["card_file"]
        if upload.size > CARD_MAX_BYTES:
            raise forms.ValidationError(_("The card is larger than 2 MB."))
        try:
            data = yaml.safe_load(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            message = _("The card is not YAML: %(error)s") % {"error": exc}
            raise forms.ValidationError(message) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(_("A card is a YAML mapping."))
        try:
            parse_card(data)
        except CardError as exc:
            raise forms.ValidationError(
                [p["where"] + ": " + p["message"] for p in exc.data.get("problems", [])]
                or [str(exc)]
            ) from exc
        return data


@admin.register(PaletteVersion)
class PaletteVersionAdmin(admin.ModelAdmin[PaletteVersion]):
    """Versions are made by fitting a card (never edited: designs keep theirs)."""

    list_display = ["__str__", "name", "mode", "mean_residual", "loo_mean", "created_at"]
    readonly_fields = ["key", "number", "name", "mode", "mean_residual", "loo_mean",
                       "kit", "created_at", "swatch_picture", "leave_one_out"]  # fmt: skip

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
                 ) -> Any:  # fmt: skip
        if obj is None:
            kwargs["form"] = CardUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["card_file"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            version, _fit, _loo = palette_calibrate(card_data=form.cleaned_data["card_file"])
        except Invalid as exc:  # checked by the form already; a race is the only way here
            raise forms.ValidationError(str(exc)) from exc
        obj.pk = version.pk
        obj.number, obj.key = version.number, version.key

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("Measured vs model"))
    def swatch_picture(self, obj: PaletteVersion) -> str:
        rows = (obj.report or {}).get("swatches", [])
        if not rows:
            return "-"
        data = base64.b64encode(swatches_png(rows)).decode("ascii")
        return format_html(
            '<img src="data:image/png;base64,{}" alt="{}">',
            data, _("Each swatch: measured colour, model colour, CIEDE2000"),
        )  # fmt: skip

    @admin.display(description=_("Leave-one-out (CIEDE2000)"))
    def leave_one_out(self, obj: PaletteVersion) -> str:
        rows = (obj.report or {}).get("leave_one_out", [])
        return ", ".join(f"{r['label']}: {r['delta_e']:.2f}" for r in rows) or "-"
