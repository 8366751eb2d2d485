"""Work and kit orders made from a shopper's paid designs: the frozen monogram and the sheets."""

from __future__ import annotations

from django.conf import settings

from trunkshow.atelier.models import (
    Artisan,
    ArtisanDayOff,
    KitOrder,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderNote,
    WorkOrderPhoto,
    WorkshopHoliday,
)
from trunkshow.common.personal_data import ExportPart, Subject, not_personal, nothing, register


def _of_subject(model: type[WorkOrder] | type[KitOrder], subject: Subject):  # type: ignore[no-untyped-def]
    return model.objects.filter(order_line__order__public_id__in=subject.get("orders"))


def export(subject: Subject) -> ExportPart:
    rows = [
        {
            "kind": kind,
            "order": o.order_number,
            "status": o.status,
            "design": o.snapshot.get("document"),
        }
        for kind, model in (("work_order", WorkOrder), ("kit", KitOrder))
        for o in _of_subject(model, subject)
    ]
    return ExportPart(sections={"made_for_you": rows})


def erase(subject: Subject) -> None:
    sheets = settings.PRIVATE_ROOT / "sheets"
    for prefix, model in (("spec", WorkOrder), ("kit", KitOrder)):
        for made in _of_subject(model, subject):
            document = dict(made.snapshot.get("document") or {})
            if document.get("monogram") is not None:
                document["monogram"] = None
                made.snapshot = {**made.snapshot, "document": document}
                made.save(update_fields=["snapshot"])
            # Printable sheets show the monogram; they are drawn again on demand.
            for path in sheets.glob(f"{prefix}-{made.pk}-*.pdf"):
                path.unlink(missing_ok=True)


def register_handler() -> None:
    register(
        name="atelier",
        order=70,
        models=[WorkOrder, KitOrder],
        collect=nothing,
        export=export,
        erase=erase,
    )
    not_personal(Artisan, "the workshop's staff")
    not_personal(ArtisanDayOff, "the workshop's staff")
    not_personal(WorkshopHoliday, "the workshop's calendar")
    not_personal(WorkOrderEvent, "status changes by staff")
    not_personal(WorkOrderNote, "staff notes on the work")
    not_personal(WorkOrderPhoto, "photos of the bag being made")
