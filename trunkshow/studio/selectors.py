from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from trunkshow.catalog.selectors import sellable_products
from trunkshow.common.locales import current_locale, localized
from trunkshow.common.money import amount_str
from trunkshow.engines.atelier.effort import estimate_hours
from trunkshow.engines.design.schema import parse_design
from trunkshow.engines.design.work import design_work
from trunkshow.engines.paint import DIY_KIT, mix
from trunkshow.inventory.selectors import available_by_sku, held_for
from trunkshow.studio.colour_names import amount_words, colour_name, recipe_words
from trunkshow.studio.lead_times import lead_time_days
from trunkshow.studio.models import BagTemplate, Design
from trunkshow.studio.palettes import latest_kit, palette_of
from trunkshow.studio.services import preview_path

# Fewer units than this left, and the studio says how many (as the product page does).
LOW_STOCK = 4


def blanks_of(
    templates: list[BagTemplate], *, market_code: str, locale: str, holder: str = ""
) -> dict[str, list[dict[str, Any]]]:
    """The colours each template's bag is made in here, with the units free now.

    A blank is a colour (variant) of the product the template's SKU belongs
    to. `available` is the inventory's one availability rule, with every live
    hold counted (the shopper's own too: a unit in their bag is not free for a
    second bag); `in_bag` is what `holder` (the shopper's cart) holds.
    """
    cards = sellable_products(market_code=market_code, locale=locale)
    of_sku = {v.sku: card.variants for card in cards for v in card.variants}
    variants = {t.key: of_sku.get(t.product_sku, []) for t in templates}
    skus = [v.sku for found in variants.values() for v in found]
    levels = available_by_sku(skus=skus, market_code=market_code)
    return {
        key: [
            {
                "sku": v.sku,
                "color": v.color_hex.upper(),
                "color_name": v.color_name,
                "available": levels.get(v.sku, 0),
                "in_stock": levels.get(v.sku, 0) > 0,
                "in_bag": held_for(holder=holder, sku=v.sku, market_code=market_code),
            }
            for v in found
        ]
        for key, found in variants.items()
    }


def templates_payload(
    *, locale: str, market_code: str | None = None, holder: str = ""
) -> list[dict[str, Any]]:
    """The studio's bags; with a market, each with its blanks' stock (`blanks`)."""
    templates = list(BagTemplate.objects.filter(is_active=True))
    blanks = (
        blanks_of(templates, market_code=market_code, locale=locale, holder=holder)
        if market_code
        else {}
    )
    return [
        {
            **(
                {"blanks": blanks[t.key], "in_stock": any(b["in_stock"] for b in blanks[t.key])}
                if market_code
                else {}
            ),
            "key": t.key,
            "product_sku": t.product_sku,
            "title": localized(t.titles, locale) or t.key,
            "zones": [
                {
                    "key": z["key"],
                    "title": localized(z.get("titles", {}), locale) or z["key"],
                    "path": z["path"],
                    # Square centimetres of leather: kit recipes are measured out for it.
                    "area_cm2": z.get("area_cm2"),
                }
                for z in t.zones
            ],
            "outline": t.outline,
            "monogram_at": t.monogram_at or [0.5, 0.7],
        }
        for t in templates
    ]


def design_by_public_id(public_id: str) -> Design | None:
    if not 10 <= len(public_id) <= 32:
        return None
    return Design.objects.select_related("template").filter(public_id=public_id).first()


def preview_url_path(design: Design) -> str:
    return preview_url_for(design.content_hash)


def preview_url_for(content_hash: str) -> str:
    return f"/media/designs/{preview_path(content_hash).name}"


def preview_ready(design: Design) -> bool:
    return preview_path(design.content_hash).exists()


def design_payload(design: Design, *, absolute: Callable[[str], str]) -> dict[str, Any]:
    ready = preview_ready(design)
    return {
        "id": design.public_id,
        "template": design.template.key,
        "mode": design.mode,
        "blank": design.sku,
        "market": design.market_id,
        # The preview is drawn by a job: "pending" until it is, then "ready"
        # with its address (a client polls GET /designs/{id} meanwhile).
        "preview_status": "ready" if ready else "pending",
        "preview_url": absolute(preview_url_path(design)) if ready else None,
        "paints": [
            {
                "color": p["color"],
                "name": colour_name(p["color"]),
                "mixed_name": colour_name(p["mixed"]),
                "recipe": p["recipe"],
                "achievable": p["achievable"],
                "mixed": p["mixed"],
                "delta_e": p["delta_e"],
                **(
                    {
                        "amounts": {
                            **p["amounts"],
                            "words": amount_words(p["amounts"], DIY_KIT, current_locale()),
                        }
                    }
                    if "amounts" in p
                    else {}
                ),
            }
            for p in design.paints
        ],
        "palette_version": (
            palette_of(design.palette_version_id)[0].version if design.palette_version_id else None
        ),
        "price": {
            "amount": amount_str(design.amount, design.currency),
            "currency": design.currency,
        },
        "price_parts": design.price_parts,
        "document": design.document,
        "lead_time_days": (
            lead_time_days(design_effort_hours(design)) if design.mode == "artisan" else None
        ),
    }


# The kit's five brushes, in the studio's units (a 640 px wide bag).
BRUSH_SIZES = (3, 6, 10, 16, 26)
# Colours a shopper can be sure to mix from the kit, with their recipes.
KIT_RECIPES = (
    {"red": 1}, {"yellow": 1}, {"blue": 1}, {"white": 1},
    {"red": 1, "yellow": 1}, {"red": 1, "yellow": 3}, {"yellow": 3, "blue": 1},
    {"yellow": 1, "blue": 1}, {"blue": 1, "white": 3}, {"red": 1, "white": 3},
    {"red": 1, "yellow": 1, "blue": 1}, {"red": 1, "yellow": 2, "blue": 1, "white": 8},
)  # fmt: skip


def kit_swatches() -> list[dict[str, Any]]:
    """The kit's sure swatches, mixed with the latest calibrated kit palette."""
    return _kit_swatches(latest_kit()[0])


@lru_cache(maxsize=4)
def _kit_swatches(version_id: int | None) -> list[dict[str, Any]]:
    palette = palette_of(version_id)[0]
    return [
        {"color": mix(parts, palette), "recipe": {k: parts.get(k, 0) for k in palette.keys}}
        for parts in KIT_RECIPES
    ]


def kit_swatches_named() -> list[dict[str, Any]]:
    """The kit swatches with their names and recipes in the active language."""
    return [
        {**s, "name": colour_name(s["color"]), "recipe_words": recipe_words(s["recipe"])}
        for s in kit_swatches()
    ]


def design_effort_hours(design: Design) -> float:
    """Bench hours the artisans will need for this design."""
    doc = parse_design(design.document, zones=[z["key"] for z in design.template.zones])
    return estimate_hours(design_work(doc, {"zones": design.template.zones}))
