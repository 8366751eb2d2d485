from __future__ import annotations

import os
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from trunkshow.atelier.models import Artisan
from trunkshow.campaigns.models import Campaign, Drop
from trunkshow.campaigns.selectors import campaign_showing, windows_of
from trunkshow.campaigns.services import campaign_sync, drop_add, drop_apply_limits
from trunkshow.catalog import services as catalog
from trunkshow.commerce.models import ShippingMethod
from trunkshow.common.services import market_upsert, sync_row
from trunkshow.demo import analytics_history, campaign_data
from trunkshow.demo.art import draw_bag
from trunkshow.demo.catalog_data import (
    COLOURS,
    MARKETS,
    PER_SHOPPER_LIMITS,
    PRODUCTS,
    SHIPPING,
    price_of,
    stock_for,
)
from trunkshow.demo.clips import load_demo_clips
from trunkshow.demo.stream import ensure_demo_stream
from trunkshow.demo.templates_data import (
    ARTISANS,
    SURCHARGES,
    TEMPLATES,
    WORKSHOP_GROUP,
    WORKSHOP_PERMISSIONS,
)
from trunkshow.inventory.models import StockItem
from trunkshow.inventory.services import stock_set_on_hand
from trunkshow.quiz.definitions import checksum
from trunkshow.quiz.models import QuizVersion
from trunkshow.quiz.services import quiz_import
from trunkshow.studio.models import BagTemplate, PaletteVersion
from trunkshow.studio.services import palette_calibrate

DEMO_QUIZ = Path(__file__).resolve().parents[2] / "quizzes" / "ask-the-designer.yaml"
DEMO_CARD = Path(__file__).resolve().parents[2] / "paint" / "demo-kit-card.yaml"


def _keep_secret(name: str, secret: str) -> Path:
    """Write a generated password where only this machine's user can read it."""
    path = Path(settings.VAR_DIR) / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret + "\n")
    return path


class Command(BaseCommand):
    help = "Load the demo brand: markets, catalog, pictures, prices and stock. Safe to re-run."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            markets = [market_upsert(**spec) for spec in MARKETS]
            sku_index = 0
            for position, spec in enumerate(PRODUCTS):
                product = catalog.product_sync(
                    slug=spec["slug"],
                    kind=spec["kind"],
                    trait_tags=spec["tags"],
                    translations=spec["text"],
                    position=position * 10,
                )
                for colour_position, colour in enumerate(spec["colours"]):
                    color_hex, color_names = COLOURS[colour]
                    sku = f"{spec['code']}-{colour}"
                    variant = catalog.variant_sync(
                        product=product,
                        sku=sku,
                        color_hex=color_hex,
                        color_names=color_names,
                        position=colour_position,
                    )
                    catalog.product_image_sync(
                        product=product,
                        variant=variant,
                        position=colour_position,
                        name=f"products/{sku.lower()}.webp",
                        content=draw_bag(spec["silhouette"], color_hex),
                    )
                    for market in markets:
                        catalog.price_set(
                            variant=variant, market=market, amount=price_of(spec, market.code)
                        )
                        if sku not in campaign_data.DROP_SKUS:  # the drop's release is its stock
                            stock_set_on_hand(
                                sku=sku,
                                market_code=market.code,
                                on_hand=stock_for(sku_index, market.code),
                            )
                    sku_index += 1
            for market in markets:
                for position, method in enumerate(SHIPPING.get(market.code, [])):
                    values = {k: v for k, v in method.items() if k != "code"}
                    sync_row(
                        ShippingMethod,
                        lookup={"market_id": market.code, "code": method["code"]},
                        values={
                            **values,
                            "amount": Decimal(str(method["amount"])),
                            "position": position,
                        },
                    )
            for position, spec in enumerate(TEMPLATES):
                sync_row(
                    BagTemplate,
                    lookup={"key": spec["key"]},
                    values={
                        **{k: v for k, v in spec.items() if k != "key"},
                        "surcharges": SURCHARGES,
                        "position": position,
                    },
                )
            for name, hours, _login in ARTISANS:
                sync_row(Artisan, lookup={"name": name}, values={"hours": hours})
            for sku, limit in PER_SHOPPER_LIMITS.items():
                StockItem.objects.filter(sku=sku).exclude(per_shopper_limit=limit).update(
                    per_shopper_limit=limit
                )
            quiz_text = DEMO_QUIZ.read_text(encoding="utf-8")
            # Kept when it is any version already: the demo experiment adds a newer one.
            quiz_version = (
                QuizVersion.objects.filter(checksum=checksum(quiz_text)).first()
                or (quiz_import(source=quiz_text)[0])
            )
        self._ensure_campaign_live()
        self._ensure_campaign_drop()
        palette = self._ensure_kit_palette()
        clips_made = load_demo_clips()
        ensure_demo_stream(campaign_slug=campaign_data.SLUG)
        self._ensure_admin()
        self._ensure_workshop_logins()
        experiment = (
            analytics_history.ensure_experiment(quiz_version)
            if getattr(settings, "DEMO_ANALYTICS_EXPERIMENT", True)
            else None
        )
        events_made = analytics_history.ensure_history(quiz_version, experiment)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo brand ready: {len(PRODUCTS)} products, {sku_index} SKUs, "
                f"{len(markets)} markets, quiz {quiz_version.quiz.slug} v{quiz_version.number}, "
                f"{clips_made} designer clips made, kit palette v{palette.number}, "
                f"{events_made} analytics events, experiment {experiment or 'none'}."
            )
        )

    def _ensure_campaign_live(self) -> None:
        """Load the campaign day so the store is taken over now; re-running keeps a campaign
        that is still live as it is, and starts one that is not live again from now."""
        spec = campaign_data
        live = all(
            (view := campaign_showing(market_code=m, locale="en")) is not None
            and view.slug == spec.SLUG
            and view.status == "live"
            for m in spec.MARKETS
        )
        existing = windows_of(slug=spec.SLUG) if live else {}
        start = timezone.now().replace(second=0, microsecond=0)
        campaign_sync(
            slug=spec.SLUG,
            texts=spec.TEXTS,
            quiz_slug=spec.QUIZ,
            windows=existing or dict.fromkeys(spec.MARKETS, (start, start + spec.LENGTH)),
            hero_image=("super-brand-day.webp", draw_bag("tote", spec.HERO_COLOUR)),
        )

    def _ensure_campaign_drop(self) -> None:
        """One drop opening a few minutes after the campaign's start (moving with it when the
        campaign starts again); re-applied each run, since the catalog above rewrote stock."""
        spec = campaign_data
        campaign = Campaign.objects.get(slug=spec.SLUG)
        opens_at = min(w.starts_at for w in campaign.windows.all()) + spec.DROP_AFTER_START
        drop = Drop.objects.filter(campaign=campaign, items__sku__in=spec.DROP_SKUS).first()
        if drop is None:
            drop_add(
                campaign=campaign, titles=spec.DROP_TITLES, opens_at=opens_at,
                skus=spec.DROP_SKUS, quantity=spec.DROP_QUANTITY,
                per_shopper_limit=spec.DROP_PER_SHOPPER_LIMIT,
            )  # fmt: skip
            return
        sync_row(
            Drop,
            lookup={"pk": drop.pk},
            values={"titles": spec.DROP_TITLES, "opens_at": opens_at,
                    "quantity": spec.DROP_QUANTITY,
                    "per_shopper_limit": spec.DROP_PER_SHOPPER_LIMIT},
        )  # fmt: skip
        drop.refresh_from_db()
        drop_apply_limits(drop=drop)

    def _ensure_kit_palette(self) -> PaletteVersion:
        """Fit the demo kit's card once (a fraction of a second); re-runs keep that version."""
        card = yaml.safe_load(DEMO_CARD.read_text(encoding="utf-8"))
        latest = PaletteVersion.objects.filter(key="diy-kit").order_by("-number").first()
        if latest is not None and latest.card == card:
            return latest
        version, _fit, _loo = palette_calibrate(card_data=card)
        return version

    def _ensure_admin(self) -> None:
        """Give a fresh install one staff login, with a password no repository holds."""
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            return
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user_model.objects.create_superuser("admin", "admin@example.com", password)
        path = _keep_secret("admin-password.txt", password)
        self.stdout.write(f"Admin login: admin / see {path}")

    def _ensure_workshop_logins(self) -> None:
        """Each demo artisan signs in to the board; one generated password, kept under var/."""
        group, _created = Group.objects.get_or_create(name=WORKSHOP_GROUP)
        for app_label, codename in WORKSHOP_PERMISSIONS:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        user_model = get_user_model()
        missing = [
            (name, login)
            for name, _hours, login in ARTISANS
            if not user_model.objects.filter(username=login).exists()
        ]
        if not missing:
            return
        password = os.environ.get("DEMO_WORKSHOP_PASSWORD") or secrets.token_urlsafe(12)
        for name, login in missing:
            user = user_model.objects.create_user(login, password=password, is_staff=True)
            user.groups.add(group)
            Artisan.objects.filter(name=name, user__isnull=True).update(user=user)
        path = _keep_secret("workshop-password.txt", password)
        logins = ", ".join(login for _name, login in missing)
        self.stdout.write(f"Workshop board logins: {logins} / see {path}")
