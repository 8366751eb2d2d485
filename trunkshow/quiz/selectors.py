from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from trunkshow.catalog.selectors import (
    Offer,
    ProductCard,
    offer_of,
    ranking_rows,
    sellable_products_by_slug,
)
from trunkshow.common.local_cache import cached, cached_from
from trunkshow.common.locales import localized, to_django
from trunkshow.common.money import amount_str, format_price
from trunkshow.engines.quiz import Candidate, CatalogIndex, QuizDefinition, Ranked, rank
from trunkshow.engines.quiz.schema import Texts
from trunkshow.engines.video.card import card_name
from trunkshow.inventory.selectors import in_stock_skus
from trunkshow.quiz.definitions import definition_of
from trunkshow.quiz.models import QuizResult, QuizVersion
from trunkshow.video.selectors import message_payload

RECOMMENDATIONS = 4


def current_version(*, slug: str) -> tuple[QuizVersion, QuizDefinition] | None:
    """Return the latest published version of an active quiz and its parsed definition."""

    def build() -> tuple[QuizVersion, QuizDefinition] | None:
        version = (
            QuizVersion.objects.select_related("quiz")
            .filter(quiz__slug=slug, quiz__is_active=True, published_at__isnull=False)
            .order_by("-number")
            .first()
        )
        return (version, definition_of(version)) if version else None

    seconds = float(getattr(settings, "CATALOG_CACHE_SECONDS", 10))
    return cached(("quiz.current", slug), seconds, build)


def catalog_index(*, market_code: str) -> CatalogIndex:
    def build() -> CatalogIndex:
        _picks.clear()
        return CatalogIndex(
            [
                Candidate(r.sku, r.product_slug, r.tags, r.boost, r.position)
                for r in ranking_rows(market_code=market_code)
            ]
        )

    seconds = float(getattr(settings, "CATALOG_CACHE_SECONDS", 10))
    return cached(("quiz.index", market_code), seconds, build)


def recommend(
    *, market_code: str, affinity: dict[str, float] | None, limit: int = RECOMMENDATIONS
) -> list[Ranked]:
    """Rank sellable products for a shopper, in stock in the market, one colour per bag.

    A quiz has a few hundred answer combinations, so shoppers share a few
    hundred affinities: the picks for each are kept as long as the catalog
    snapshot, and reused while all of them are still in stock (one small
    stock read instead of ranking against the stock of every bag).
    """
    index = catalog_index(market_code=market_code)
    key = (market_code, limit, None if affinity is None else tuple(sorted(affinity.items())))
    entry = _picks.get(key)
    if entry is not None and entry[0] is index:
        picked = entry[1]
        skus = [pick.candidate.sku for pick in picked]
        if len(in_stock_skus(skus=skus, market_code=market_code)) == len(skus):
            return picked
    picked = rank(
        index,
        affinity,
        in_stock=lambda skus: in_stock_skus(skus=skus, market_code=market_code),
        limit=limit,
    )
    if len(picked) == limit:  # a short list may grow as stock returns
        _picks[key] = (index, picked)
    return picked


# Picks per (market, limit, affinity), valid with the snapshot they were
# ranked in; emptied with each new snapshot so old ones are not kept alive.
_picks: dict[tuple[Any, ...], tuple[CatalogIndex, list[Ranked]]] = {}


def result_by_public_id(public_id: str) -> QuizResult | None:
    if not 10 <= len(public_id) <= 32:
        return None
    query = QuizResult.objects.select_related("version__quiz", "market", "video_message")
    return query.filter(public_id=public_id).first()


def _reason(
    recommendation: dict[str, Any], labels: dict[str, Texts], locale: str, personalised: bool
) -> str:
    if not personalised:
        return _("The designer's pick for this season")
    matched = [localized(labels.get(t, {}), locale) for t in recommendation.get("matched_tags", [])]
    matched = [m for m in matched if m][:3]
    if matched:
        return _("Matches your taste for %(traits)s") % {"traits": _(" · ").join(matched)}
    return _("In stock for you now")


@dataclass(frozen=True)
class ResultCard(Offer):
    """A pick as the result shows it: the offer, its price in words, stock and why."""

    price_display: str
    in_stock: bool
    reason: str
    # A sold-out pick offers the first colour of the same bag still in stock.
    other_sku: str = ""
    other_color_name: str = ""


def result_cards(
    result: QuizResult,
    definition: QuizDefinition,
    locale: str,
    *,
    known_in_stock: set[str] | None = None,
) -> list[ResultCard]:
    """The recorded recommendations as this market shows them now: live price and stock.

    `known_in_stock` spares a second stock read for a result made a moment ago.
    """
    cards = sellable_products_by_slug(market_code=result.market_id, locale=locale)
    skus = [r["sku"] for r in result.recommendations]
    available = (
        known_in_stock
        if known_in_stock is not None
        else in_stock_skus(skus=skus, market_code=result.market_id)
    )
    shown = []
    with override(to_django(locale)):
        for rec in result.recommendations:
            card = cards.get(rec["product"])
            variant = (
                next((v for v in card.variants if v.sku == rec["sku"]), None) if card else None
            )
            if card is None or variant is None:
                continue  # withdrawn from this market since the result was made
            shown.append(
                ResultCard(
                    **vars(offer_of(card, variant)),
                    price_display=format_price(variant.amount, variant.currency, locale),
                    in_stock=variant.sku in available,
                    reason=_reason(rec, dict(definition.traits), locale, result.personalised),
                )
            )
    return _with_other_colours(shown, cards, market_code=result.market_id)


def _with_other_colours(
    shown: list[ResultCard], cards: dict[str, ProductCard], *, market_code: str
) -> list[ResultCard]:
    """Give each sold-out pick the first colour of its bag still in stock, if any
    (one stock read, and only when something sold out: results are usually fresh)."""
    sold_out = [card for card in shown if not card.in_stock]
    if not sold_out:
        return shown
    others = {
        card.sku: [v for v in cards[card.slug].variants if v.sku != card.sku] for card in sold_out
    }
    available = in_stock_skus(
        skus=[v.sku for variants in others.values() for v in variants], market_code=market_code
    )
    result = []
    for card in shown:
        other = next((v for v in others.get(card.sku, []) if v.sku in available), None)
        if other is not None:
            card = replace(card, other_sku=other.sku, other_color_name=other.color_name)
        result.append(card)
    return result


def result_payload(
    result: QuizResult,
    *,
    locale: str,
    absolute: Callable[[str], str],
    fresh: bool = False,
) -> dict[str, Any]:
    """The API's view of a result, in `locale`; `absolute` turns paths into URLs.

    A result made just now (`fresh`) shares everything but its id, name and
    video with the others made from the same answers in the same market:
    that part is built once per catalog snapshot.
    """
    if not fresh:
        return _result_payload(result, locale=locale, absolute=absolute, fresh=False)
    key = (
        "quiz.payload", result.version_id, result.profile_key, tuple(result.deciding_traits),
        result.market_id, locale, result.personalised, absolute("/"),
        tuple((r["sku"], r["product"], tuple(r.get("matched_tags", ())))
              for r in result.recommendations),
    )  # fmt: skip
    seconds = float(getattr(settings, "CATALOG_CACHE_SECONDS", 10))
    # Valid with the catalog snapshot it was built from: prices are never
    # older than the snapshot the rest of the shop shows.
    snapshot = sellable_products_by_slug(market_code=result.market_id, locale=locale)
    shared = cached_from(
        key,
        seconds,
        snapshot,
        lambda: _result_payload(result, locale=locale, absolute=absolute, fresh=True),
    )
    return {**shared, **_own_parts(result, locale=locale, absolute=absolute)}


def _own_parts(
    result: QuizResult, *, locale: str, absolute: Callable[[str], str]
) -> dict[str, Any]:
    return {
        "result_id": result.public_id,
        "name": result.name,
        # The name as the video card draws it (whole within the 40-character
        # limit; a longer one ends in "…").
        "display_name": card_name(result.name),
        "result_url": absolute(f"/{to_django(locale)}/quiz/result/{result.public_id}/"),
        "video": video_payload(result, absolute=absolute),
    }


def video_limited(result: QuizResult) -> bool:
    """A named result whose client was past its render limit got the nameless card."""
    message = result.video_message
    return bool(result.name) and message is not None and not message.name


def video_payload(result: QuizResult, *, absolute: Callable[[str], str]) -> dict[str, Any] | None:
    """The result's video; its `status` is "limited" when it plays the nameless card."""
    if result.video_message is None:
        return None
    payload = message_payload(result.video_message, absolute=absolute)
    if video_limited(result):
        payload["status"] = "limited"
    return payload


def _result_payload(
    result: QuizResult, *, locale: str, absolute: Callable[[str], str], fresh: bool
) -> dict[str, Any]:
    definition = definition_of(result.version)
    profile = definition.profile(result.profile_key)
    prefix = "/" + to_django(locale)

    def product_url(slug: str, sku: str) -> str:
        return absolute(f"{prefix}/products/{slug}/?sku={sku}")

    return {
        **_own_parts(result, locale=locale, absolute=absolute),
        "quiz": {"slug": result.version.quiz.slug, "version": result.version.number},
        "market": result.market_id,
        "locale": locale,
        "personalised": result.personalised,
        "profile": {
            "key": profile.key,
            "title": localized(profile.title, locale),
            "description": localized(profile.description, locale),
        },
        "why": {
            "traits": [
                {"key": t, "label": localized(definition.traits.get(t, {}), locale)}
                for t in result.deciding_traits
            ],
        },
        "recommendations": [
            {
                "sku": card.sku,
                "title": card.title,
                "color": card.color_name,
                "price": {
                    "amount": amount_str(card.amount, card.currency),
                    "currency": card.currency,
                },
                "image_url": absolute(card.image_url) if card.image_url else "",
                "product_url": product_url(card.slug, card.sku),
                "in_stock": card.in_stock,
                "reason": card.reason,
                "in_stock_colour": {
                    "sku": card.other_sku,
                    "color": card.other_color_name,
                    "product_url": product_url(card.slug, card.other_sku),
                }
                if card.other_sku
                else None,
            }
            for card in result_cards(
                result,
                definition,
                locale,
                # Picks of a result made just now were in stock when picked.
                known_in_stock={r["sku"] for r in result.recommendations} if fresh else None,
            )
        ],
    }


def deciding_labels(definition: QuizDefinition, traits: Sequence[str], locale: str) -> list[str]:
    return [localized(definition.traits.get(t, {}), locale) for t in traits]
