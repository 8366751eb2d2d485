"""The printed words of the workshop: an artisan's spec sheet, and a shopper's painting guide.

Both read only the frozen snapshot of what was paid for, so a sheet printed
today and one printed after the design or the template changed are the same.
The words are chosen here, in the language asked for; the layout is
`engines.sheets`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from trunkshow.atelier.models import KitOrder, WorkOrder
from trunkshow.common.locales import localized
from trunkshow.engines.design.render import render_png
from trunkshow.engines.design.schema import Design as DesignDoc
from trunkshow.engines.design.schema import parse_design
from trunkshow.engines.paint import ARTISAN, Palette, lightness, solve
from trunkshow.engines.sheets import (
    Checklist,
    ColourRow,
    Colours,
    Facts,
    Heading,
    Paragraph,
    Picture,
    Sheet,
    Steps,
    render_pdf,
)
from trunkshow.studio.colour_names import amount_words, colour_name
from trunkshow.studio.models import BagTemplate
from trunkshow.studio.palettes import palette_of
from trunkshow.studio.selectors import preview_url_for
from trunkshow.studio.services import preview_path, template_geometry

LANGUAGES = {"zh-hans": "zh-Hans", "en": "en"}
# The renderer paints every monogram in this gold (see engines.design.render).
MONOGRAM_COLOUR = "#C9A227"
# Bumped when the words or the layout change, so cached sheets are made again.
SHEETS_VERSION = 2


def named(hex_colour: str) -> str:
    """A colour as the guide's words name it, with its code to match the table."""
    return f"{colour_name(hex_colour)} {hex_colour}"


def sheet_language(asked: str | None, fallback: str) -> str:
    """One of the shop's languages as Django names it ('zh-hans' or 'en')."""
    for candidate in (asked, fallback):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    return "zh-hans"


def kit_contents(quantity: int = 1) -> list[tuple[int, str]]:
    """What goes in the box with every kit, as (how many, what)."""
    return [
        (4 * quantity, _("Paint pots: red, yellow, blue, white (one of each per kit)")),
        (quantity, _("Leather preparer")),
        (quantity, _("Charm stencil")),
        (5 * quantity, _("Brushes, sizes 1 to 5 (a set of five per kit)")),
        (quantity, _("Round sponge")),
        (quantity, _("Printed painting guide for this design")),
    ]


def recipe_words(parts: Mapping[str, int], palette: Palette, locale: str) -> str:
    names = {paint.key: localized(paint.names, locale) or paint.key for paint in palette.paints}
    pieces = [
        ngettext("%(count)d part %(paint)s", "%(count)d parts %(paint)s", count)
        % {"count": count, "paint": names.get(key, key)}
        for key, count in sorted(parts.items(), key=lambda item: (-item[1], item[0]))
        if count > 0
    ]
    return " + ".join(pieces)


def recipe_with_amounts(paint: Mapping[str, Any], palette: Palette, locale: str) -> str:
    """The recipe as the studio shows it: parts, then the amounts for this bag."""
    text = recipe_words(paint["recipe"], palette, locale)
    if paint.get("amounts"):
        text += " · " + _("for this bag: %(amounts)s") % {
            "amounts": amount_words(paint["amounts"], palette, locale)}  # fmt: skip
    return text


def _snapshot_design(snapshot: Mapping[str, Any]) -> tuple[dict[str, Any], DesignDoc]:
    geometry = snapshot.get("geometry")
    if geometry is None:  # work orders made before the snapshot kept the geometry
        template = BagTemplate.objects.get(key=snapshot["template"])
        geometry = template_geometry(template)
    zones = [zone["key"] for zone in geometry["zones"]]
    return geometry, parse_design(snapshot["document"], zones=zones)


def _preview_png(snapshot: Mapping[str, Any]) -> bytes:
    path = preview_path(str(snapshot.get("preview", "")))
    if snapshot.get("preview") and path.exists():
        return path.read_bytes()
    geometry, doc = _snapshot_design(snapshot)
    return render_png(geometry, doc)


def _zone_titles(geometry: Mapping[str, Any], locale: str) -> dict[str, str]:
    return {
        zone["key"]: localized(zone.get("titles", {}), locale) or zone["key"]
        for zone in geometry["zones"]
    }


def _where_used(doc: DesignDoc, titles: Mapping[str, str]) -> dict[str, list[str]]:
    """For each colour, the places it goes, in the order a painter meets them."""
    used: dict[str, list[str]] = {}
    for zone, colour in doc.zones.items():
        used.setdefault(colour, []).append(titles.get(zone, zone))
    for stroke in doc.strokes:
        place = (
            _("Sponge in %(zone)s") if stroke.tool == "sponge" else _("Brush strokes in %(zone)s")
        ) % {"zone": titles.get(stroke.zone, stroke.zone)}
        if place not in used.setdefault(stroke.color, []):
            used[stroke.color].append(place)
    if doc.stencil is not None:
        used.setdefault(doc.stencil.color, []).append(_("Charm stencil"))
    return used


def _colour_rows(
    snapshot: Mapping[str, Any], doc: DesignDoc, titles: Mapping[str, str], palette: Palette,
    locale: str,
) -> list[ColourRow]:  # fmt: skip
    paints = {p["color"]: p for p in snapshot.get("paints", [])}
    rows = []
    for colour, places in _where_used(doc, titles).items():
        paint = paints.get(colour)
        parts = paint["recipe"] if paint else solve(colour, palette).parts
        note = ""
        if paint and float(paint.get("delta_e", 0)) > 1.0:
            note = _("mixes to %(mixed)s (ΔE %(gap).1f)") % {
                "mixed": paint["mixed"], "gap": float(paint["delta_e"])}  # fmt: skip
        text = (recipe_with_amounts(paint, palette, locale) if paint
                else recipe_words(parts, palette, locale))  # fmt: skip
        rows.append(ColourRow(" · ".join(places), colour, text, note))
    return rows


def _stencil_facts(doc: DesignDoc) -> Facts | None:
    if doc.stencil is None:
        return None
    s = doc.stencil
    return Facts(
        (
            (_("Centre"), _("%(x)d%% from the left, %(y)d%% from the top of the bag")
             % {"x": round(s.x * 100), "y": round(s.y * 100)}),
            (_("Turned"), _("%(deg)d° clockwise") % {"deg": round(s.rotation) % 360}),
            (_("Size"), _("%(scale).2f × the stencil") % {"scale": s.scale}),
            (_("Colour"), s.color),
        )
    )  # fmt: skip


def _printed(title: str, subtitle: str, locale: str, order_number: str, blocks: list[Any]) -> (
    bytes
):  # fmt: skip
    return render_pdf(
        Sheet(
            title=title,
            language=locale,
            subtitle=subtitle,
            footer=_("Trunk Show · %(title)s") % {"title": title},
            blocks=blocks,
            keywords=(order_number,),
        )
    )


def _long_date(day: Any) -> str:
    return str(formats.date_format(day, "DATE_FORMAT"))


def spec_sheet_pdf(work_order: WorkOrder, language: str) -> bytes:
    """The artisan's sheet: preview, each colour with its recipe, stencil, monogram, due date."""
    with translation.override(language):
        locale = LANGUAGES[language]
        snapshot = work_order.snapshot
        geometry, doc = _snapshot_design(snapshot)
        titles = _zone_titles(geometry, locale)
        bag = bag_title(snapshot, locale)
        due = _long_date(work_order.promised_ship_date)
        facts = [
            (_("Order number"), work_order.order_number),
            (_("Ship by"), due),
            (_("Handbag"), f"{bag} ({snapshot.get('sku', '')})"),
            (_("Quantity"), str(snapshot.get("quantity", 1))),
            (_("Bench hours"), f"{work_order.effort_hours}"),
            (_("Design"), str(snapshot.get("design_id", ""))),
        ]
        blocks: list[Any] = [
            Picture(
                _preview_png(snapshot), 82, _("Preview as the shopper saw it"), Facts(tuple(facts))
            ),
            Heading(_("Colours and recipes")),
            Colours(
                (_("Where"), _("Colour"), _("Recipe (artisan palette, by parts)")),
                tuple(_colour_rows(snapshot, doc, titles, ARTISAN, locale)),
            ),
        ]
        if doc.strokes:
            brushes = sum(1 for s in doc.strokes if s.tool == "brush")
            sponges = len(doc.strokes) - brushes
            blocks += [
                Heading(_("Brush work")),
                Paragraph(
                    _("%(brush)d brush strokes and %(sponge)d sponge passes, each inside its "
                      "zone; follow the preview.") % {"brush": brushes, "sponge": sponges}
                ),
            ]  # fmt: skip
        blocks.append(Heading(_("Charm stencil")))
        stencil = _stencil_facts(doc)
        blocks.append(stencil or Paragraph(_("No stencil on this bag."), muted=True))
        blocks.append(Heading(_("Monogram")))
        if doc.monogram:
            at = geometry.get("monogram_at") or [0.5, 0.7]
            blocks.append(Facts((
                (_("Letters"), doc.monogram),
                (_("Colour"), f"{MONOGRAM_COLOUR} · "
                 + recipe_words(solve(MONOGRAM_COLOUR, ARTISAN).parts, ARTISAN, locale)),
                (_("Centre"), _("%(x)d%% from the left, %(y)d%% from the top of the bag")
                 % {"x": round(float(at[0]) * 100), "y": round(float(at[1]) * 100)}),
            )))  # fmt: skip
        else:
            blocks.append(Paragraph(_("No monogram on this bag."), muted=True))
        blocks.append(Heading(_("Before it ships")))
        blocks.append(Steps((
            _("Paint the zones lightest first, two thin coats each."),
            _("Let it dry, then check every edge against the preview."),
            _("Photograph the finished bag on the board before it passes quality check."),
        )))  # fmt: skip
        return _printed(
            _("Spec sheet · order %(number)s") % {"number": work_order.order_number},
            _("Ship by %(day)s · %(bag)s") % {"day": due, "bag": bag},
            locale,
            work_order.order_number,
            blocks,
        )


def _painting_steps(doc: DesignDoc, titles: Mapping[str, str], colours: Mapping[str, str]) -> (
    list[str]
):  # fmt: skip
    """Zones lightest first (a darker edge covers a lighter one), then strokes, per zone."""
    steps = []
    for zone, colour in sorted(doc.zones.items(), key=lambda item: -lightness(item[1])):
        steps.append(
            _("Paint the %(zone)s in %(colour)s (%(recipe)s): two thin coats, 20 minutes "
              "apart.") % {"zone": titles.get(zone, zone), "colour": named(colour),
                           "recipe": colours[colour]}
        )  # fmt: skip
    by_zone: dict[str, list[str]] = {}
    for stroke in doc.strokes:
        by_zone.setdefault(stroke.zone, [])
        if stroke.color not in by_zone[stroke.zone]:
            by_zone[stroke.zone].append(stroke.color)
    for zone, stroke_colours in by_zone.items():
        steps.append(
            _("When the %(zone)s is dry to the touch, add the brush and sponge work in "
              "%(colours)s, following the picture.")
            % {"zone": titles.get(zone, zone),
               "colours": pgettext("list separator", ", ").join(map(named, stroke_colours))}
        )  # fmt: skip
    return steps


def kit_guide_pdf(kit: KitOrder, language: str) -> bytes:
    """The shopper's guide for their own design: prepare, mix, paint, stencil, dry."""
    with translation.override(language):
        locale = LANGUAGES[language]
        snapshot = kit.snapshot
        geometry, doc = _snapshot_design(snapshot)
        titles = _zone_titles(geometry, locale)
        bag = bag_title(snapshot, locale)
        palette, kit_measures = palette_of(snapshot.get("palette_version"))
        rows = _colour_rows(snapshot, doc, titles, palette, locale)
        recipes = {row.hex: row.recipe for row in rows}
        quantity = int(snapshot.get("quantity", 1))
        blocks: list[Any] = [
            Picture(_preview_png(snapshot), 82, _("Your design"), Facts((
                (_("Order number"), kit.order_number),
                (_("Handbag"), bag),
                (_("Colours to mix"), str(len(rows))),
                (_("Time to set aside"), _("about 3 hours, plus a day to dry")),
            ))),
            Heading(_("In your kit")),
            Checklist(tuple(kit_contents(quantity))),
            Heading(_("1. Prepare the leather")),
            Steps((
                _("Work on a covered table in good light; stuff the bag with paper so it "
                  "keeps its shape."),
                _("Wipe every part you will paint with the leather preparer on a cloth, "
                  "in small circles, until the shine is gone."),
                _("Let it dry for 15 minutes before the first colour."),
            )),
            Heading(_("2. Mix each colour")),
            Paragraph(_("One part is one pea-sized drop. Mix on a clean palette with the "
                        "largest brush until no streaks are left, and mix a little more than "
                        "you think: matching a second batch is hard.")),
            Paragraph(_("Where the table gives amounts, they are for your bag's zones, two "
                        "coats, counted in drops from the kit's bottles.")
                      if kit_measures.unit == "drops" else
                      _("Where the table gives amounts, they are for your bag's zones, two "
                        "coats, in millilitres.")),
            Colours((_("Where"), _("Colour"), _("Recipe (kit paints, by parts)")), tuple(rows)),
            Heading(_("3. Paint, zone by zone")),
            Steps(tuple(_painting_steps(doc, titles, recipes))),
        ]  # fmt: skip
        if doc.stencil is not None:
            s = doc.stencil
            blocks += [
                Heading(_("4. The charm stencil")),
                Steps((
                    _("Wait until the paint under it is dry to the touch (about an hour)."),
                    _("Place the stencil's centre %(x)d%% from the left and %(y)d%% from the "
                      "top of the bag, turned %(deg)d° clockwise, at %(scale).2f times its "
                      "size, as in the picture.") % {"x": round(s.x * 100),
                      "y": round(s.y * 100), "deg": round(s.rotation) % 360,
                      "scale": s.scale},
                    _("Dab %(colour)s (%(recipe)s) through it with the round sponge, lightly; "
                      "lift the stencil straight up while the paint is wet.")
                    % {"colour": named(s.color), "recipe": recipes.get(s.color, "")},
                )),
            ]  # fmt: skip
        if doc.monogram:
            blocks += [
                Heading(_("Your monogram")),
                Paragraph(
                    _("Paint %(letters)s with the finest brush in %(colour)s (%(recipe)s), "
                      "where the picture shows it.") % {
                        "letters": doc.monogram, "colour": named(MONOGRAM_COLOUR),
                        "recipe": recipe_words(solve(MONOGRAM_COLOUR, palette).parts,
                                               palette, locale)}
                ),
            ]  # fmt: skip
        blocks += [
            Heading(_("Drying")),
            Steps((
                _("20 minutes between coats; an hour before the stencil or the monogram."),
                _("24 hours before you carry the bag; keep it away from rain for 3 days."),
                _("Wash brushes and sponge in warm soapy water straight away."),
            )),
        ]  # fmt: skip
        return _printed(
            _("Your painting guide · %(bag)s") % {"bag": bag},
            _("Order %(number)s") % {"number": kit.order_number},
            locale,
            kit.order_number,
            blocks,
        )


def board_colours(snapshot: Mapping[str, Any], locale: str) -> list[ColourRow]:
    """The spec sheet's colour table, for the board page."""
    geometry, doc = _snapshot_design(snapshot)
    return _colour_rows(snapshot, doc, _zone_titles(geometry, locale), ARTISAN, locale)


def preview_url(snapshot: Mapping[str, Any]) -> str:
    return preview_url_for(str(snapshot.get("preview", "")))


def bag_title(snapshot: Mapping[str, Any], locale: str) -> str:
    return localized(snapshot.get("template_titles") or {}, locale) or str(snapshot["template"])
