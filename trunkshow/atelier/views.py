"""The artisan board (staff only) and the shopper's kit guide (by its link).

Every board page needs a staff account allowed to change work orders; a
shopper's session, signed in or not, is refused. Each action is a plain
form post that answers with a redirect, so the board works on a workshop
phone without scripts and a reload never repeats a move.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trunkshow.atelier import selectors, services, sheets
from trunkshow.atelier.models import WorkOrder
from trunkshow.atelier.services import TRANSITIONS, WorkOrderError
from trunkshow.common.locales import current_locale

BOARD_PERMISSION = "atelier.change_workorder"
# The multipart envelope around a photo is small; a body past this is not a photo.
UPLOAD_SLACK = 256 * 1024

View = Callable[..., HttpResponseBase]


class WorkshopSignInForm(AuthenticationForm):
    """The site's staff sign-in (workshop, stream hosts) refuses the admin's
    (superuser) account: it signs in at the admin alone, so its password has one
    door, and a workshop phone never holds an admin session."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user.is_superuser:
            raise ValidationError(
                _("This account cannot sign in to the workshop."), code="not_workshop"
            )


class WorkshopSignIn(LoginView):
    """Staff sign in on the site. Wrong passwords are counted by django-axes in the
    database (one count for every web process, the admin's sign-in included);
    past the limit its middleware answers the translated 429 page."""

    template_name = "atelier/login.html"
    next_page = "atelier-board"
    form_class = WorkshopSignInForm


def staff_only(view: View) -> View:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("atelier-login"))
        if not (user.is_active and user.is_staff and user.has_perm(BOARD_PERMISSION)):
            return render(request, "atelier/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


def _actor(request: HttpRequest) -> str:
    return str(request.user.get_username())


def _work_order(pk: int) -> WorkOrder:
    """The bag an action is about; services lock and re-read it, so no relations here."""
    work_order = selectors.work_order_by_pk(pk)
    if work_order is None:
        raise Http404("No such work order.")
    return work_order


@require_GET
@staff_only
def board(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "open")
    artisan = selectors.artisan_for(request.user)
    if view == "kits":
        kits = [(kit, sheets.kit_contents(int(kit.snapshot.get("quantity", 1))))
                for kit in selectors.kits_to_pack()]  # fmt: skip
        totals: dict[str, int] = {}
        for _kit, contents in kits:
            for count, item in contents:
                totals[item] = totals.get(item, 0) + count
        return render(request, "atelier/kits.html", {
            "kits": kits,
            "totals": sorted(totals.items(), key=lambda item: -item[1]),
            "view": view, "counts": selectors.board_counts(),
        })  # fmt: skip
    if view not in selectors.BOARD_VIEWS:
        view = "open"
    today = selectors.workshop_today()
    rows = [
        {"wo": wo, "preview_url": sheets.preview_url(wo.snapshot),
         "overdue": wo.promised_ship_date < today, "due_today": wo.promised_ship_date == today}
        for wo in selectors.board(view=view, artisan=artisan)
    ]  # fmt: skip
    return render(request, "atelier/board.html", {
        "rows": rows,
        "view": view,
        "artisan": artisan,
        "counts": selectors.board_counts(),
    })  # fmt: skip


@require_GET
@staff_only
def work_order_page(request: HttpRequest, pk: int) -> HttpResponse:
    work_order = selectors.work_order_for_board(pk)
    if work_order is None:
        raise Http404("No such work order.")
    snapshot = work_order.snapshot
    locale = current_locale()
    return render(request, "atelier/work_order.html", {
        "wo": work_order,
        "artisan": selectors.artisan_for(request.user),
        "artisans": selectors.active_artisans(),
        "moves": [to for to in WorkOrder.Status if to in TRANSITIONS.following(work_order.status)],
        "colours": sheets.board_colours(snapshot, locale),
        "preview_url": sheets.preview_url(snapshot),
        "overdue": work_order.promised_ship_date < selectors.workshop_today()
        and work_order.status != WorkOrder.Status.SHIPPED,
        "stencil": (snapshot.get("document") or {}).get("stencil"),
        "monogram": (snapshot.get("document") or {}).get("monogram"),
        "bag": sheets.bag_title(snapshot, locale),
        "stopped": work_order.order_line.order.status in services.STOPPED_ORDERS,
        "photo_max_mb": services.photo_limit_mb(),
    })  # fmt: skip


def _done(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect("atelier-work-order", pk=pk)


@require_POST
@staff_only
def work_order_claim(request: HttpRequest, pk: int) -> HttpResponse:
    work_order = _work_order(pk)
    chosen = request.POST.get("artisan", "")
    artisan = selectors.active_artisan(chosen) if chosen else selectors.artisan_for(request.user)
    if artisan is None:
        messages.error(request, _("Choose which artisan takes this bag."))
        return _done(request, pk)
    try:
        services.work_order_claim(work_order=work_order, artisan=artisan, actor=_actor(request),
                                  expected=request.POST.get("expected") or None)  # fmt: skip
    except WorkOrderError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s has this bag.") % {"name": artisan.name})
    return _done(request, pk)


@require_POST
@staff_only
def work_order_move(request: HttpRequest, pk: int) -> HttpResponse:
    work_order = _work_order(pk)
    to = request.POST.get("to", "")
    if to not in WorkOrder.Status.values:
        messages.error(request, _("Choose where the bag goes next."))
        return _done(request, pk)
    try:
        moved = services.work_order_move(
            work_order=work_order, to=to, actor=_actor(request),
            note=request.POST.get("note", "")[:500],
            expected=request.POST.get("expected") or None,
            artisan=selectors.artisan_for(request.user),
        )  # fmt: skip
    except WorkOrderError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Moved to “%(status)s”.") % {
            "status": moved.get_status_display()})  # fmt: skip
    return _done(request, pk)


@require_POST
@staff_only
def work_order_note(request: HttpRequest, pk: int) -> HttpResponse:
    work_order = _work_order(pk)
    try:
        services.work_order_note_add(work_order=work_order, author=_actor(request),
                                     text=request.POST.get("text", "")[:5000])  # fmt: skip
    except WorkOrderError as exc:
        messages.error(request, str(exc))
    return _done(request, pk)


@require_POST
@staff_only
def work_order_photo(request: HttpRequest, pk: int) -> HttpResponse:
    work_order = _work_order(pk)
    limit = services.photo_limit_mb()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit * 1024 * 1024 + UPLOAD_SLACK:
        # Refuse before Django spools a huge body to disk.
        messages.error(request, _("The photo is larger than %(mb)d MB.") % {"mb": limit})
        return _done(request, pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photo of the finished bag."))
        return _done(request, pk)
    try:
        services.work_order_photo_add(work_order=work_order, upload=upload, actor=_actor(request))
    except WorkOrderError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Photo added."))
    return _done(request, pk)


@require_GET
@staff_only
def work_order_photo_file(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    photo = selectors.photo_of(pk, name)
    if photo is None:
        raise Http404("No such photo.")
    path = selectors.photo_path(photo.name)
    if not path.exists():
        raise Http404("No such photo.")
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _pdf(path: Any, filename: str) -> FileResponse:
    response = FileResponse(path.open("rb"), content_type="application/pdf", filename=filename)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@staff_only
def spec_sheet(request: HttpRequest, pk: int) -> FileResponse:
    work_order = _work_order(pk)
    language = sheets.sheet_language(request.GET.get("lang"), translation.get_language() or "")
    path = services.spec_sheet_file(work_order, language)
    return _pdf(path, f"spec-{work_order.order_number}-{work_order.pk}-{language}.pdf")


@require_POST
@staff_only
def kit_packed(request: HttpRequest, pk: int) -> HttpResponse:
    kit = selectors.kit_by_pk(pk)
    if kit is None:
        raise Http404("No such kit.")
    services.kit_order_pack(kit=kit, actor=_actor(request))
    messages.success(request, _("Kit for order %(number)s is packed.") % {
        "number": kit.order_number})  # fmt: skip
    return redirect(f"{reverse('atelier-board')}?view=kits")


@require_GET
def kit_guide(request: HttpRequest, token: str) -> FileResponse:
    """The shopper's painting guide; its link is the key, like the order's token."""
    kit = selectors.kit_by_token(token)
    if kit is None:
        raise Http404("No such kit.")
    language = sheets.sheet_language(request.GET.get("lang"), kit.locale)
    path = services.kit_guide_file(kit, language)
    return _pdf(path, f"painting-guide-{kit.order_number}-{language}.pdf")
