"""The campaign's pages: the takeover the home page shows, the campaign page, reminders."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from trunkshow.campaigns.calendar import ics_event
from trunkshow.campaigns.selectors import CampaignView, campaign_in_market, campaign_showing
from trunkshow.campaigns.services import EMAIL_MAX, reminder_sign_up
from trunkshow.campaigns.waiting_room import TicketState, ticket_issue, ticket_state
from trunkshow.common.asgi_limit import received_at
from trunkshow.common.errors import Conflict, DomainError, Invalid, NotFound
from trunkshow.common.locales import current_locale
from trunkshow.common.middleware import request_market
from trunkshow.common.visitors import visitor_id


class ReminderForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail (optional)"), required=False, max_length=EMAIL_MAX
    )
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


def _market_code(request: HttpRequest) -> str:
    market = request_market(request)
    if market is None:
        raise Http404("No market is configured.")
    return str(market.code)


def home_takeover(request: HttpRequest) -> CampaignView | None:
    """Return the campaign the home page becomes (teaser or live) in the shopper's market."""
    market = request_market(request)
    if market is None:
        return None
    view = campaign_showing(market_code=market.code, locale=current_locale())
    return view if view is not None and view.takes_over else None


NOTICE_KEY = "campaign-notice:{slug}"


def _notices() -> dict[str, str]:
    return {
        "stored": _("Thank you: we will remind you by e-mail."),
        "already": _("You are already on the list for this campaign."),
        "nothing": _("Nothing was stored: add the campaign to your calendar."),
        "refused": _(
            "Nothing was stored: reminders are personalised messages, and you turned "
            "personalisation off. You can change that on the privacy page, or add the "
            "campaign to your calendar."
        ),
    }


TICKET_KEY = "drop-ticket:{drop_id}"


def _queue_places(view: CampaignView, request: HttpRequest) -> dict[int, TicketState]:
    """The shopper's place in each drop's waiting room they joined (from their session)."""
    session = getattr(request, "session", None)
    places: dict[int, TicketState] = {}
    if session is None:
        return places
    for drop in view.drops:
        token = session.get(TICKET_KEY.format(drop_id=drop["id"]))
        if not drop["waiting_room"] or not isinstance(token, str):
            continue
        try:
            places[drop["id"]] = ticket_state(drop_id=drop["id"], ticket=token, now=view.now)
        except DomainError:
            session.pop(TICKET_KEY.format(drop_id=drop["id"]), None)
    return places


def takeover_context(view: CampaignView, request: HttpRequest) -> dict[str, object]:
    """The takeover's context, with what the last "remind me" did (shown once, beside the
    form: the site's flash list is not a live region a screen reader announces) and the
    shopper's places in the drops' waiting rooms."""
    session = getattr(request, "session", None)
    notice = session.pop(NOTICE_KEY.format(slug=view.slug), None) if session else None
    return {
        "campaign": view,
        "reminder_form": ReminderForm(initial={"next": request.get_full_path()}),
        "reminder_notice": _notices().get(notice) if isinstance(notice, str) else None,
        "reminder_refused": notice == "refused",
        "queue_places": _queue_places(view, request),
    }


@require_POST
def drop_queue(request: HttpRequest, slug: str, drop_id: int) -> HttpResponse:
    """Take a place in the drop's waiting room; the ticket is kept in the shopper's session."""
    view = _campaign_or_404(request, slug)
    if not any(d["id"] == drop_id and d["waiting_room"] for d in view.drops):
        raise Http404("No such drop in this campaign.")
    key = TICKET_KEY.format(drop_id=drop_id)
    if not isinstance(request.session.get(key), str):
        cart_id = request.session.get("cart_id")
        state = ticket_issue(
            drop_id=drop_id,
            holder=cart_id if isinstance(cart_id, str) else "",
            market_code=view.window.market,
            arrived_at=received_at(request),
        )
        request.session[key] = state.ticket
    next_url = request.POST.get("next") or reverse("campaign", args=[view.slug])
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("campaign", args=[view.slug])
    return HttpResponseRedirect(f"{next_url}#drop-{drop_id}")


def _campaign_or_404(request: HttpRequest, slug: str) -> CampaignView:
    view = campaign_in_market(
        slug=slug[:60], market_code=_market_code(request), locale=current_locale()
    )
    if view is None:
        raise Http404("No such campaign in this market.")
    return view


@require_GET
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    view = _campaign_or_404(request, slug)
    return render(request, "campaigns/page.html", takeover_context(view, request))


@require_GET
def campaign_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign as a calendar event: a reminder that stores nothing on the server."""
    view = _campaign_or_404(request, slug)
    url = request.build_absolute_uri(reverse("campaign", args=[view.slug]))
    body = ics_event(
        uid=f"{view.slug}-{view.window.market}@trunkshow",
        title=view.title,
        description=view.hero_text,
        url=url,
        starts_at=view.window.starts_at,
        ends_at=view.window.ends_at,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{view.slug}.ics"'
    return response


def _next_url(request: HttpRequest, form: ReminderForm, slug: str) -> str:
    next_url = form.cleaned_data["next"] or reverse("campaign", args=[slug])
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("campaign", args=[slug])
    return str(next_url)


@require_POST
def remind_me(request: HttpRequest, slug: str) -> HttpResponse:
    view = _campaign_or_404(request, slug)
    form = ReminderForm(request.POST)
    if form.is_valid():
        try:
            created = reminder_sign_up(
                slug=view.slug,
                market_code=view.window.market,
                email=form.cleaned_data["email"],
                locale=current_locale(),
                visitor_id=visitor_id(request),
            )
        except Conflict:  # the visitor refused personalisation: "consent_refused"
            request.session[NOTICE_KEY.format(slug=view.slug)] = "refused"
            return HttpResponseRedirect(_next_url(request, form, view.slug))
        except Invalid as exc:
            for path, message in exc.errors:
                form.add_error(str(path[0]) if path[0] in form.fields else None, message)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        else:
            if not form.cleaned_data["email"]:
                notice = "nothing"
            else:
                notice = "stored" if created else "already"
            request.session[NOTICE_KEY.format(slug=view.slug)] = notice
            return HttpResponseRedirect(_next_url(request, form, view.slug))
    context = takeover_context(view, request)
    context["reminder_form"] = form
    return render(request, "campaigns/page.html", context, status=400)
