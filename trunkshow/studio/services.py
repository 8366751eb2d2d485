from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_tasks import task

from trunkshow.catalog.selectors import offers_by_sku
from trunkshow.common.errors import Invalid
from trunkshow.common.jobs import enqueue_bulk
from trunkshow.common.models import Market
from trunkshow.engines.design.cost import MAX_COST, design_cost
from trunkshow.engines.design.pricing import mode_fee
from trunkshow.engines.design.render import render_png
from trunkshow.engines.design.schema import Design as DesignDoc
from trunkshow.engines.design.schema import DesignError, parse_design
from trunkshow.engines.paint import ARTISAN, Palette, solve
from trunkshow.engines.paint.amounts import amounts
from trunkshow.engines.paint.calibration import CardError, Fit, fit, leave_one_out, parse_card
from trunkshow.engines.paint.card import Kit
from trunkshow.studio.colour_names import colour_name, recipe_words
from trunkshow.studio.messages import design_problem_message
from trunkshow.studio.models import BagTemplate, Design, PaletteVersion
from trunkshow.studio.palettes import latest_kit


class StudioError(Invalid):
    """A design the studio cannot keep, naming every field (its path in the design)."""


def template_geometry(template: BagTemplate) -> dict[str, Any]:
    return {
        "key": template.key,
        "outline": template.outline,
        "zones": template.zones,
        "monogram_at": template.monogram_at or [0.5, 0.7],
    }


def content_hash(template: BagTemplate, doc: DesignDoc) -> str:
    canonical = json.dumps(
        {"geometry": template_geometry(template), "design": doc.as_document()},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def preview_path(digest: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "designs" / f"{digest[:40]}.png"


def preview_ensure(template: BagTemplate, doc: DesignDoc, digest: str) -> Path:
    """Render the preview once per distinct content; later designs reuse the file."""
    path = preview_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(render_png(template_geometry(template), doc))
        partial.replace(path)
    return path


def design_preview_render(*, design_id: int) -> bool:
    """Draw a kept design's preview (once per content); False if the design is gone."""
    design = Design.objects.select_related("template").filter(pk=design_id).first()
    if design is None:
        return False
    template = design.template
    doc = parse_design(design.document, zones=[zone["key"] for zone in template.zones])
    preview_ensure(template, doc, design.content_hash)
    return True


@task(queue_name="previews")
def render_design_preview(design_id: int) -> bool:
    return design_preview_render(design_id=design_id)


def colour_areas(doc: DesignDoc, template: BagTemplate) -> dict[str, float]:
    """Square centimetres each colour covers: the zones painted in it (templates' `area_cm2`)."""
    areas: dict[str, float] = {}
    sizes = {z["key"]: float(z.get("area_cm2") or 0) for z in template.zones}
    for zone, colour in doc.as_document().get("zones", {}).items():
        areas[colour.upper()] = areas.get(colour.upper(), 0.0) + sizes.get(zone, 0.0)
    return areas


def _paints(
    doc: DesignDoc, palette: Palette, kit: Kit | None, areas: dict[str, float]
) -> list[dict[str, Any]]:
    paints = []
    for colour in doc.colours():
        recipe = solve(colour, palette)
        entry: dict[str, Any] = {
            "color": colour,
            "recipe": recipe.parts,
            "mixed": recipe.mixed,
            "delta_e": recipe.delta_e,
            "achievable": recipe.achievable,
        }
        if kit is not None:
            # A colour used only for strokes, the stencil or the monogram: a
            # small batch, as for 20 cm² (a brush's worth).
            area = areas.get(colour.upper()) or 20.0
            entry["amounts"] = amounts(recipe.parts, area_cm2=area, kit=kit).as_dict()
        paints.append(entry)
    return paints


def palette_calibrate(*, card_data: dict[str, Any], with_leave_one_out: bool = True) -> (
    tuple[PaletteVersion, Fit, list[tuple[str, float]]]
):  # fmt: skip
    """Fit a calibration card and keep the result as the kit palette's next version.

    Raises Invalid naming every problem of the card. Designs keep the
    version they were made with; new recipes use this one.
    """
    try:
        card = parse_card(card_data)
    except CardError as exc:
        problems = exc.data.get("problems") or [{"where": "card", "message": str(exc)}]
        raise Invalid([((p["where"],), p["message"]) for p in problems], code="bad_card") from exc
    result = fit(card)
    loo = leave_one_out(card, result) if with_leave_one_out else []
    with transaction.atomic():
        last = PaletteVersion.objects.select_for_update().filter(key="diy-kit")
        number = (last.aggregate(top=Max("number"))["top"] or 0) + 1
        version = PaletteVersion.objects.create(
            key="diy-kit",
            number=number,
            name=card.name[:200],
            mode=result.mode,
            paints=[
                {"key": p.key, "names": p.names, "k": list(p.k), "s": list(p.s)}
                for p in result.paints
            ],
            kit=card.kit.as_dict(),
            card=card_data,
            report={
                "swatches": [
                    {
                        "label": s.label,
                        "parts": s.parts,
                        "measured_lab": list(s.measured_lab),
                        "model_lab": list(s.model_lab),
                        "delta_e": s.delta_e,
                    }
                    for s in result.swatches
                ],
                "leave_one_out": [{"label": label, "delta_e": err} for label, err in loo],
            },
            mean_residual=round(result.mean_residual, 3),
            loo_mean=round(sum(e for _l, e in loo) / len(loo), 3) if loo else None,
        )
    return version, result, loo


def design_create(*, data: dict[str, Any], market: Market, visitor_id: str = "") -> Design:
    """Check, price and keep a design; raise StudioError naming what is wrong.

    The design is kept whatever the stock: a blank sold out now may be back
    tomorrow, and the shopper's work must not be lost (the cart checks stock).
    `data["blank"]`, optional, is the colour of the bag to paint on: a SKU of
    the template's product sold in the market. Messages are in the active
    language.
    """
    key = data.get("template")
    template = (
        BagTemplate.objects.filter(key=key, is_active=True).first()
        if isinstance(key, str)
        else None
    )
    if template is None:
        raise StudioError.field("template", _("Unknown template."))
    try:
        doc = parse_design(data, zones=[zone["key"] for zone in template.zones])
    except DesignError as exc:
        raise StudioError(
            [(tuple(p.loc), design_problem_message(p)) for p in exc.problems]
        ) from exc
    cost = design_cost(doc)
    if cost > MAX_COST:
        raise StudioError(
            [(("strokes",), _(
                "This drawing is too detailed to paint: use fewer or shorter strokes, or a "
                "smaller sponge (its cost is %(cost)s; at most %(limit)s).")
              % {"cost": cost, "limit": MAX_COST})],
            code="design_too_costly",
            cost=cost,
            limit=MAX_COST,
        )  # fmt: skip
    if doc.mode == "diy":
        version_id, palette, kit = latest_kit()
        paints = _paints(doc, palette, kit, colour_areas(doc, template))
    else:
        version_id = None
        paints = _paints(doc, ARTISAN, None, {})
    if doc.mode == "diy":
        unmixable = [p for p in paints if not p["achievable"]]
        if unmixable:
            issues = [
                (
                    ("colors", p["color"]),
                    _(
                        "%(colour)s cannot be mixed from the kit's red, yellow, blue and "
                        "white; the nearest that can is %(nearest)s (%(recipe)s)."
                    )
                    % {
                        "colour": colour_name(p["color"]),
                        "nearest": colour_name(p["mixed"]),
                        "recipe": recipe_words(p["recipe"]),
                    },
                )
                for p in unmixable
            ]
            raise StudioError(
                issues,
                code="not_mixable",
                colors=[{"color": p["color"], "nearest": p["mixed"]} for p in unmixable],
            )
    blank = data.get("blank") or template.product_sku
    offers = offers_by_sku(
        skus=[template.product_sku, blank] if isinstance(blank, str) else [template.product_sku],
        market_code=market.code,
        locale=market.default_locale,
        live=True,
    )
    base = offers.get(template.product_sku)
    offer = offers.get(blank) if isinstance(blank, str) else None
    if offer is None or base is None or offer.product_slug != base.product_slug:
        if base is not None:
            raise StudioError.field("blank", _("This bag is not made in that colour here."))
        offer = None
    surcharge = (template.surcharges.get(doc.mode) or {}).get(market.code)
    if offer is None or surcharge is None:
        raise StudioError(
            [(("market",), _("This bag is not made to order in %(market)s.") % {
                "market": market.code})],
            code="not_sold_here",
        )  # fmt: skip
    fee = mode_fee(doc, surcharge)
    digest = content_hash(template, doc)
    # The preview is drawn by a job (the "previews" queue), never in the
    # request: the design and its job commit together (on RQ the job is sent
    # at the commit, see common.jobs), so none is lost.
    with transaction.atomic():
        design = Design.objects.create(
            template=template,
            mode=doc.mode,
            market=market,
            blank_sku=offer.sku,
            document=doc.as_document(),
            visitor_id=visitor_id[:64],
            content_hash=digest,
            paints=paints,
            palette_version_id=version_id,
            amount=offer.amount + fee.total,
            price_parts={"bag": str(offer.amount), **{k: str(v) for k, v in fee.parts.items()}},
            currency=market.currency,
        )
        if not preview_path(digest).exists():
            enqueue_bulk(render_design_preview, design.pk)
    return design
