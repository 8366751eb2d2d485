"""The paint API: mix the kit's paints, and find the recipe for a colour."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import override
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt, StrictStr

from trunkshow.analytics.models import Kind
from trunkshow.analytics.services import record_request_event
from trunkshow.common.api_errors import ApiError, api_json_body, resolve_market
from trunkshow.common.locales import current_locale, to_django
from trunkshow.common.visitors import visitor_id
from trunkshow.engines.paint import PALETTES, PaintError, mix, solve
from trunkshow.engines.paint.amounts import amounts
from trunkshow.studio import selectors, services
from trunkshow.studio.colour_names import amount_words, colour_name, paint_error_message
from trunkshow.studio.palettes import latest_kit

router = Router(tags=["studio"])
HEX = r"^#[0-9A-Fa-f]{6}$"
PALETTE_NAMES = ", ".join(PALETTES)


class MixIn(Schema):
    parts: dict[StrictStr, StrictInt] = Field(max_length=12)
    palette: StrictStr = Field(default="diy-kit", max_length=32)
    locale: StrictStr | None = Field(default=None, max_length=35)


class RecipeIn(Schema):
    color: StrictStr = Field(pattern=HEX)
    palette: StrictStr = Field(default="diy-kit", max_length=32)
    # The square centimetres this colour covers: the answer then says how much
    # of each paint to measure out, in the kit's unit (the kit palette only).
    area_cm2: float | None = Field(default=None, ge=0, le=20000)
    locale: StrictStr | None = Field(default=None, max_length=35)


def _language(locale: object) -> str:
    """The language the answer speaks: the body's `locale`, else the request's
    (Accept-Language, as the locale middleware activated it)."""
    if isinstance(locale, str):
        _market, resolved = resolve_market(None, locale, where="body")
        return to_django(resolved)
    return to_django(current_locale())


def _palette(key: str) -> Any:
    if key == "diy-kit":
        # The kit mixes as its latest calibration card says.
        return latest_kit()[1]
    palette = PALETTES.get(key)
    if palette is None:
        raise ApiError.unprocessable(
            [(["body", "palette"], f"Unknown palette {key!r}; use one of {PALETTE_NAMES}.")]
        )
    return palette


@router.post("/paint/mix", summary="The colour these parts of paint make together")
def paint_mix(request: HttpRequest, payload: MixIn) -> dict[str, Any]:
    palette = _palette(payload.palette)
    with override(_language(payload.locale)):
        errors = [
            (["body", "parts", key[:32]], _("%(paint)s: use whole parts from 0 to 100.")
             % {"paint": key[:32]})
            for key, value in payload.parts.items()
            if not 0 <= value <= 100
        ]  # fmt: skip
        if errors:
            raise ApiError.unprocessable(errors)
        try:
            colour = mix(payload.parts, palette)
        except PaintError as exc:
            raise ApiError.unprocessable([(["body", "parts"], paint_error_message(exc))]) from exc
        return {"color": colour, "name": colour_name(colour), "palette": palette.key,
                "palette_version": palette.version}  # fmt: skip


@router.post("/paint/recipe", summary="The whole-part recipe of the palette closest to a colour")
def paint_recipe(request: HttpRequest, payload: RecipeIn) -> dict[str, Any]:
    _version_id, kit_palette, kit = latest_kit()
    palette = kit_palette if payload.palette == "diy-kit" else _palette(payload.palette)
    recipe = solve(payload.color, palette)
    measured = (
        amounts(recipe.parts, area_cm2=payload.area_cm2, kit=kit).as_dict()
        if payload.area_cm2 and palette is kit_palette
        else None
    )
    with override(_language(payload.locale)):
        names = {"name": colour_name(payload.color), "mixed_name": colour_name(recipe.mixed)}
        if measured is not None:
            # The same words the painting guide prints for this colour.
            measured["words"] = amount_words(measured, palette, current_locale())
            names["amounts"] = measured  # type: ignore[assignment]
    return {
        **names,
        "recipe": recipe.parts,
        "mixed": recipe.mixed,
        "delta_e": recipe.delta_e,
        "achievable": recipe.achievable,
        "palette": palette.key,
        "palette_version": palette.version,
        "color": payload.color.upper(),
    }


@router.get(
    "/studio/templates",
    summary="The bags that can be painted, with their zones and the stock of each colour",
)
def studio_templates(
    request: HttpRequest, locale: str | None = None, market: str | None = None
) -> list[dict[str, Any]]:
    market_row, resolved = resolve_market(market, locale)
    return selectors.templates_payload(locale=resolved, market_code=market_row.code)


@router.post(
    "/designs",
    response={201: dict[str, Any]},
    summary="Keep a design; get its preview, paints and price",
)
def create_design(request: HttpRequest) -> Status[dict[str, Any]]:
    # The document is checked by the design engine (every rule, with where it
    # broke), so the body is read as JSON here rather than through a schema.
    data = api_json_body(request)
    if not isinstance(data, dict):
        raise ApiError.unprocessable([(["body"], "The design must be a JSON object.")])
    market_code = data.get("market")
    market, _locale = resolve_market(
        market_code if isinstance(market_code, str) else "", None, where="body"
    )
    with override(_language(data.get("locale"))):
        design = services.design_create(data=data, market=market, visitor_id=visitor_id(request))
        record_request_event(request, Kind.DESIGN_SAVED, market=market.code, ref=design.public_id)
        return Status(201, selectors.design_payload(design, absolute=request.build_absolute_uri))


@router.get("/designs/{design_id}", summary="A design with its preview, paints and price")
def get_design(request: HttpRequest, design_id: str, locale: str | None = None) -> dict[str, Any]:
    design = selectors.design_by_public_id(design_id)
    if design is None:
        raise ApiError(404, "not_found", "No such design.")
    with override(_language(locale)):
        return selectors.design_payload(design, absolute=request.build_absolute_uri)
