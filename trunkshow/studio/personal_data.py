"""Designs (the monogram is personal; previews are files under MEDIA_ROOT/designs).

A design in a cart or an order cannot be deleted (the order keeps what was
paid for), so its monogram is removed and its preview file deleted.
"""

from __future__ import annotations

from django.db.models import Q

from trunkshow.common.personal_data import ExportPart, Subject, not_personal, register
from trunkshow.studio.models import BagTemplate, Design, PaletteVersion
from trunkshow.studio.services import preview_path


def _designs(subject: Subject):  # type: ignore[no-untyped-def]
    return Design.objects.filter(
        Q(public_id__in=subject.get("designs")) | Q(visitor_id__in=subject.visitor_ids)
        if subject.visitor_ids
        else Q(public_id__in=subject.get("designs"))
    )


def collect(subject: Subject) -> None:
    subject.add("designs", _designs(subject).values_list("public_id", flat=True))


def export(subject: Subject) -> ExportPart:
    part = ExportPart(sections={"designs": []})
    for design in Design.objects.filter(public_id__in=subject.get("designs")).order_by("pk"):
        part.sections["designs"].append(
            {
                "id": design.public_id,
                "created_at": design.created_at,
                "template": design.template_id,
                "mode": design.mode,
                "document": design.document,
                "amount": design.amount,
                "currency": design.currency,
            }
        )
        part.files.append((f"designs/{design.public_id}.png", preview_path(design.content_hash)))
    return part


def erase(subject: Subject) -> None:
    ids = subject.get("designs")
    mine = Design.objects.filter(public_id__in=ids)
    for design in mine:
        if design.document.get("monogram") is not None:
            design.document = {**design.document, "monogram": None}
        design.visitor_id = ""
        design.save(update_fields=["document", "visitor_id"])
        # The preview is shared by designs with the same content: another
        # shopper's identical design keeps it.
        if (
            not Design.objects.filter(content_hash=design.content_hash)
            .exclude(public_id__in=ids)
            .exists()
        ):
            preview_path(design.content_hash).unlink(missing_ok=True)


def register_handler() -> None:
    register(name="studio", order=30, models=[Design], collect=collect, export=export, erase=erase)
    not_personal(BagTemplate, "the brand's bag outlines")
    not_personal(PaletteVersion, "the brand's paint palette")
