"""The privacy app's own share of the registry, and models of apps with no handler."""

from __future__ import annotations

from trunkshow.catalog.models import Price, Product, ProductImage, ProductTranslation, Variant
from trunkshow.common.personal_data import ExportPart, Subject, not_personal, nothing, register
from trunkshow.inventory.models import Reservation, StockItem
from trunkshow.privacy.models import PrivacyRequest


def _export(subject: Subject) -> ExportPart:
    found = PrivacyRequest.objects.none()
    if subject.email:
        found |= PrivacyRequest.objects.filter(email=subject.email)
    if subject.visitor_ids:
        found |= PrivacyRequest.objects.filter(visitor_id__in=subject.visitor_ids)
    return ExportPart(
        sections={
            "privacy_requests": [
                {"kind": r.kind, "status": r.status, "created_at": r.created_at}
                for r in found.order_by("created_at")
            ]
        }
    )


def register_own() -> None:
    # Erasing closes and blanks the requests themselves (services._close_subject).
    register(
        name="privacy",
        order=90,
        models=[PrivacyRequest],
        collect=nothing,
        export=_export,
        erase=nothing,
    )
    for model in (Product, ProductTranslation, Variant, Price, ProductImage, StockItem):
        not_personal(model, "the brand's catalogue and stock")
    not_personal(Reservation, "stock held for a cart id, released within minutes")
