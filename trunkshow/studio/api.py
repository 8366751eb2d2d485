"""The paint API: mix the kit's paints, and find the recipe for a colour."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictInt, StrictStr

from trunkshow.common.api_errors import ApiError
from trunkshow.engines.paint import PALETTES, PaintError, mix, solve

router = Router(tags=["studio"])
HEX = r"^#[0-9A-Fa-f]{6}$"
PALETTE_NAMES = ", ".join(PALETTES)


class MixIn(Schema):
    parts: dict[StrictStr, StrictInt] = Field(max_length=12)
    palette: StrictStr = Field(default="diy-kit", max_length=32)


class RecipeIn(Schema):
    color: StrictStr = Field(pattern=HEX)
    palette: StrictStr = Field(default="diy-kit", max_length=32)


def _palette(key: str) -> Any:
    palette = PALETTES.get(key)
    if palette is None:
        raise ApiError.unprocessable(
            [(["body", "palette"], f"Unknown palette {key!r}; use one of {PALETTE_NAMES}.")]
        )
    return palette


@router.post("/paint/mix", summary="The colour these parts of paint make together")
def paint_mix(request: HttpRequest, payload: MixIn) -> dict[str, Any]:
    palette = _palette(payload.palette)
    errors = [
        (["body", "parts", key[:32]], f"{key[:32]}: use whole parts from 0 to 100.")
        for key, value in payload.parts.items()
        if not 0 <= value <= 100
    ]
    if errors:
        raise ApiError.unprocessable(errors)
    try:
        colour = mix(payload.parts, palette)
    except PaintError as exc:
        raise ApiError.unprocessable([(["body", "parts"], str(exc))]) from exc
    return {"color": colour, "palette": palette.key}


@router.post("/paint/recipe", summary="The whole-part recipe of the palette closest to a colour")
def paint_recipe(request: HttpRequest, payload: RecipeIn) -> dict[str, Any]:
    palette = _palette(payload.palette)
    recipe = solve(payload.color, palette)
    return {
        "recipe": recipe.parts,
        "mixed": recipe.mixed,
        "delta_e": recipe.delta_e,
        "achievable": recipe.achievable,
        "palette": palette.key,
        "color": payload.color.upper(),
    }
