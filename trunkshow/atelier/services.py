from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from PIL import Image, ImageOps, UnidentifiedImageError

from trunkshow.atelier import sheets
from trunkshow.atelier.models import (
    Artisan,
    KitOrder,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderNote,
    WorkOrderPhoto,
)
from trunkshow.atelier.selectors import photo_path, promise_for, sheet_cache_path
from trunkshow.commerce.models import Order, OrderLine
from trunkshow.commerce.orders import order_transition
from trunkshow.common.errors import Conflict
from trunkshow.common.transitions import Transitions
from trunkshow.studio.models import Design
from trunkshow.studio.selectors import design_effort_hours
from trunkshow.studio.services import template_geometry

S = WorkOrder.Status
TRANSITIONS = Transitions(
    {
        S.QUEUED: {S.IN_PAINTING},
        S.IN_PAINTING: {S.DRYING},
        S.DRYING: {S.QUALITY_CHECK},
        S.QUALITY_CHECK: {S.READY_TO_SHIP, S.IN_PAINTING},  # rework goes back to the bench
        S.READY_TO_SHIP: {S.SHIPPED},
    }
)
# Work stops on a bag whose order was given up: its money went back.
STOPPED_ORDERS = {Order.Status.CANCELLED, Order.Status.REFUNDED}
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
PHOTO_MAX_PIXELS = 60_000_000
PHOTO_MIN_SIDE = 200
PHOTO_LONG_SIDE = 2400
NOTE_MAX = 1000


class WorkOrderError(Conflict):
    code = "work_order_refused"


def _snapshot(design: Design, line: OrderLine) -> dict[str, Any]:
    """What was paid for, frozen, with the bag's geometry so the preview can be redrawn."""
    template = design.template
    return {
        "design_id": design.public_id,
        "template": template.key,
        "template_titles": template.titles,
        "template_zones": template.zones,
        "geometry": template_geometry(template),
        "document": design.document,
        "paints": design.paints,
        # The fitted kit palette the recipes were computed with (None: built in).
        "palette_version": design.palette_version_id,
        "preview": design.content_hash,
        "quantity": line.quantity,
        "sku": line.sku,
    }


def _lines_still_to_make(order_id: int, mode: str, made_as: type[WorkOrder | KitOrder]) -> (
    list[OrderLine]
):  # fmt: skip
    """The order's designed lines in `mode` that have no work order (or kit) yet."""
    return list(
        OrderLine.objects.filter(order_id=order_id, mode=mode, design__isnull=False)
        .exclude(pk__in=made_as.objects.values_list("order_line_id", flat=True))
        .select_related("design__template", "order")
    )


def work_orders_create_for_order(order_id: int) -> list[WorkOrder]:
    """One work order per artisan-painted line of a paid order; safe to call again."""
    made = []
    for line in _lines_still_to_make(order_id, "artisan", WorkOrder):
        design = line.design
        assert design is not None  # noqa: S101 - filtered above
        effort = design_effort_hours(design) * line.quantity
        found = promise_for(effort)
        promised = found[0] if found else timezone.localdate() + timedelta(days=30)
        snapshot = _snapshot(design, line)
        try:
            with transaction.atomic():
                work_order = WorkOrder.objects.create(
                    order_line=line,
                    order_number=line.order.number,
                    snapshot=snapshot,
                    effort_hours=Decimal(str(round(effort, 2))),
                    promised_ship_date=promised,
                )
                WorkOrderEvent.objects.create(
                    work_order=work_order, to_status=S.QUEUED, actor="payment"
                )
        except IntegrityError:
            continue  # another delivery of the same event made it first
        made.append(work_order)
        _prepare_sheets_later("spec", work_order.pk)
    return made


def kit_orders_create_for_order(order_id: int) -> list[KitOrder]:
    """One kit to pick and pack per paint-it-yourself line of a paid order; safe to call again."""
    made = []
    for line in _lines_still_to_make(order_id, "diy", KitOrder):
        assert line.design is not None  # noqa: S101 - filtered above
        try:
            with transaction.atomic():
                kit = KitOrder.objects.create(
                    order_line=line,
                    order_number=line.order.number,
                    locale=line.order.locale,
                    snapshot=_snapshot(line.design, line),
                )
        except IntegrityError:
            continue
        made.append(kit)
        _prepare_sheets_later("kit", kit.pk)
    return made


def _prepare_sheets_later(kind: str, pk: int) -> None:
    """Have the worker print the sheets now, so no shopper or artisan waits for one."""
    prepare_sheets.enqueue(kind, pk)


def _record(work_order: WorkOrder, before: str, to: str, actor: str, note: str = "") -> None:
    WorkOrderEvent.objects.create(
        work_order=work_order, from_status=before, to_status=to, actor=actor[:150], note=note[:500]
    )


def _locked(work_order: WorkOrder, expected: str | None) -> WorkOrder:
    locked = (
        WorkOrder.objects.select_for_update()
        .select_related("order_line__order")
        .get(pk=work_order.pk)
    )
    if expected is not None and locked.status != expected:
        raise WorkOrderError(
            _("Someone moved this bag meanwhile: it is now “%(status)s”. Nothing was changed.")
            % {"status": locked.get_status_display()}
        )
    if locked.order_line.order.status in STOPPED_ORDERS:
        raise WorkOrderError(
            _("Order %(number)s was cancelled or refunded: stop work on this bag.")
            % {"number": locked.order_number}
        )
    return locked


def work_order_claim(
    *, work_order: WorkOrder, artisan: Artisan, actor: str, expected: str | None = None
) -> WorkOrder:
    """Put the bag on this artisan's bench (or hand it over to them)."""
    with transaction.atomic():
        locked = _locked(work_order, expected)
        if locked.status == S.SHIPPED:
            raise WorkOrderError(_("This bag has shipped."))
        if locked.assignee_id == artisan.pk:
            return locked
        locked.assignee = artisan
        locked.save(update_fields=["assignee"])
        _record(locked, locked.status, locked.status, actor, _("Assigned to %(name)s") % {
            "name": artisan.name})  # fmt: skip
    return locked


def work_order_move(
    *,
    work_order: WorkOrder,
    to: str,
    actor: str,
    note: str = "",
    expected: str | None = None,
    artisan: Artisan | None = None,
) -> WorkOrder:
    """Move the bag one step; an artisan starting unassigned work claims it."""
    with transaction.atomic():
        locked = _locked(work_order, expected)
        if to == locked.status or not TRANSITIONS.allows(locked.status, to):
            raise WorkOrderError(
                _("A bag cannot go from “%(from)s” to “%(to)s”.")
                % {"from": locked.get_status_display(), "to": S(to).label if to in S else to}
            )
        fields = ["status"]
        if to == S.IN_PAINTING and locked.assignee_id is None:
            if artisan is None:
                raise WorkOrderError(_("Assign the bag to an artisan before painting starts."))
            locked.assignee = artisan
            fields.append("assignee")
        if to == S.READY_TO_SHIP and not locked.photos.exists():
            raise WorkOrderError(
                _("Add a photo of the finished bag before it passes quality check.")
            )
        before, locked.status = locked.status, to
        locked.save(update_fields=fields)
        _record(locked, before, to, actor, note)
        order = locked.order_line.order
    _follow_order(order, locked, actor)
    return locked


def _follow_order(order: Order, moved: WorkOrder, actor: str) -> None:
    """The shopper's order follows the bench: being made, then shipped with the last bag."""
    if moved.status == S.IN_PAINTING and order.status == Order.Status.PAID:
        order_transition(order=order, to=Order.Status.FULFILLING, actor=actor,
                         note="painting started")  # fmt: skip
    if moved.status != S.SHIPPED or order.status != Order.Status.FULFILLING:
        return
    lines = OrderLine.objects.filter(order=order)
    made_here = WorkOrder.objects.filter(order_line__order=order)
    if lines.exclude(mode="artisan").exists() or made_here.exclude(status=S.SHIPPED).exists():
        return  # other parcels still to go; staff ship those from the admin
    order_transition(order=order, to=Order.Status.SHIPPED, actor=actor,
                     note="every bag left the workshop")  # fmt: skip


def work_order_note_add(*, work_order: WorkOrder, author: str, text: str) -> WorkOrderNote:
    cleaned = text.strip()
    if not cleaned:
        raise WorkOrderError(_("Write something in the note."))
    if len(cleaned) > NOTE_MAX:
        raise WorkOrderError(_("A note holds at most %(max)d characters.") % {"max": NOTE_MAX})
    with transaction.atomic():
        return WorkOrderNote.objects.create(
            work_order=work_order, author=author[:150], text=cleaned
        )


def _reencoded_photo(data: bytes) -> tuple[bytes, int, int]:
    """Trust nothing of the upload but its pixels: check, turn upright, re-encode as JPEG.

    Re-encoding drops whatever rode along (EXIF with the workshop's GPS,
    scripts in a polyglot file); only formats cameras write are taken.
    """
    refused = WorkOrderError(_("That file is not a photo (JPEG, PNG or WebP)."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise refused
            width, height = probe.size
            if width * height > PHOTO_MAX_PIXELS:
                raise WorkOrderError(_("The photo has too many pixels; take a smaller one."))
            if min(width, height) < PHOTO_MIN_SIDE:
                raise WorkOrderError(
                    _("The photo is too small to show the bag; %(min)d pixels a side at least.")
                    % {"min": PHOTO_MIN_SIDE}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:  # fmt: skip
        raise refused from exc
    upright.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=86, optimize=True)
    return out.getvalue(), upright.width, upright.height


def work_order_photo_add(*, work_order: WorkOrder, upload: IO[bytes], actor: str) -> WorkOrderPhoto:
    limit = int(settings.ATELIER_PHOTO_MAX_BYTES)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise WorkOrderError(
            _("The photo is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    jpeg, width, height = _reencoded_photo(data)
    name = f"{secrets.token_hex(16)}.jpg"
    path = photo_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg)
    try:
        with transaction.atomic():
            return WorkOrderPhoto.objects.create(
                work_order=work_order, name=name, width=width, height=height,
                uploaded_by=actor[:150],
            )  # fmt: skip
    except Exception:
        path.unlink(missing_ok=True)
        raise


def kit_order_pack(*, kit: KitOrder, actor: str) -> KitOrder:
    with transaction.atomic():
        locked = KitOrder.objects.select_for_update().get(pk=kit.pk)
        if locked.status == KitOrder.Status.PACKED:
            return locked
        locked.status = KitOrder.Status.PACKED
        locked.packed_by = actor[:150]
        locked.packed_at = timezone.now()
        locked.save(update_fields=["status", "packed_by", "packed_at"])
    return locked


def spec_sheet_file(work_order: WorkOrder, language: str) -> Path:
    key = f"spec-{work_order.pk}-{language}-v{sheets.SHEETS_VERSION}"
    return sheet_ensure(key, lambda: sheets.spec_sheet_pdf(work_order, language))


def kit_guide_file(kit: KitOrder, language: str) -> Path:
    key = f"kit-{kit.pk}-{language}-v{sheets.SHEETS_VERSION}"
    return sheet_ensure(key, lambda: sheets.kit_guide_pdf(kit, language))


def sheets_prepare(*, kind: str, pk: int) -> int:
    """Print a work order's spec sheets (or a kit's guides) in every shop language."""
    work_order = WorkOrder.objects.filter(pk=pk).first() if kind == "spec" else None
    kit = KitOrder.objects.filter(pk=pk).first() if kind == "kit" else None
    if work_order is None and kit is None:
        return 0
    for language in sheets.LANGUAGES:
        if work_order is not None:
            spec_sheet_file(work_order, language)
        elif kit is not None:
            kit_guide_file(kit, language)
    return len(sheets.LANGUAGES)


@task()
def prepare_sheets(kind: str, pk: int) -> int:
    return sheets_prepare(kind=kind, pk=pk)


def sheet_ensure(key: str, build: Callable[[], bytes]) -> Path:
    """Build a printable sheet once; it reads only frozen snapshots, so it never goes stale."""
    path = sheet_cache_path(key)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
        partial.write_bytes(build())
        partial.replace(path)
    return path


def photo_limit_mb() -> int:
    return int(settings.ATELIER_PHOTO_MAX_BYTES) // (1024 * 1024)
