"""The staff analytics dashboard (/analytics/): pictures with their numbers, CSV of each table."""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trunkshow.analytics.selectors import Cut
from trunkshow.analytics.services import reporting_currency
from trunkshow.common.errors import DomainError, Invalid
from trunkshow.common.models import Market
from trunkshow.engines.analytics import reports
from trunkshow.quiz.experiments import experiment_readout
from trunkshow.quiz.models import Experiment, Quiz
from trunkshow.quiz.services import experiment_promote
from trunkshow.storefront.charts import Bar, bar_chart
from trunkshow.storefront.insights import report_counts, report_cut

TABLES = ("funnel", "questions", "profiles", "revenue", "video")


def _step_names() -> dict[str, str]:
    return {
        "viewed": _("Viewed the quiz"), "first_answer": _("Answered a question"),
        "completed": _("Completed the quiz"), "video_50": _("Watched half the video"),
        "product_click": _("Clicked a pick"), "add_to_cart": _("Added to bag"),
        "paid": _("Paid"),
    }  # fmt: skip


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _tables(summed: Any) -> dict[str, dict[str, Any]]:
    names = _step_names()
    money = reporting_currency()
    steps = reports.funnel(summed)
    questions = reports.by_question(summed)
    profiles = reports.profiles(summed)
    video = reports.video(summed)
    no_profile = _("(bought without a profile)")
    return {
        "funnel": {
            "title": _("Funnel: from the quiz to a paid order"),
            "headers": [_("Step"), _("Visitors"), _("Of those who viewed")],
            "rows": [[names[s.key], s.visitors, _percent(s.rate)] for s in steps],
            "bars": [Bar(names[s.key], s.visitors, str(s.visitors)) for s in steps],
        },
        "questions": {
            "title": _("Drop-off per question"),
            "headers": [_("Question"), _("Shown to"), _("Answered"), _("Drop-off")],
            "rows": [[q.key, q.shown, q.answered, _percent(q.drop_off)] for q in questions],
            "bars": [Bar(q.key, q.drop_off, _percent(q.drop_off)) for q in questions],
        },
        "profiles": {
            "title": _("Profile mix"),
            "headers": [_("Profile"), _("Completions"), _("Share")],
            "rows": [[p.profile, p.completions, _percent(p.share)] for p in profiles if p.profile],
            "bars": [
                Bar(p.profile, p.completions, _percent(p.share)) for p in profiles if p.profile
            ],
        },
        "revenue": {
            "title": _("Revenue per profile (%(currency)s)") % {"currency": money},
            "headers": [_("Profile"), _("Orders"), _("Revenue"), _("Average order")],
            "rows": [
                [p.profile or no_profile, p.orders, p.revenue, p.average_order_value or "–"]
                for p in profiles
                if p.orders
            ],
            "bars": [
                Bar(p.profile or no_profile, float(p.revenue), f"{p.revenue:,.0f}")
                for p in profiles
                if p.orders
            ],
        },
        "video": {
            "title": _("Video completion"),
            "headers": [_("Reached"), _("Visitors"), _("Of those who started")],
            "rows": [
                [_("Started") if v.mark == 0 else f"{v.mark} %", v.visitors, _percent(v.rate)]
                for v in video
            ],
            "bars": [
                Bar(_("Started") if v.mark == 0 else f"{v.mark} %", v.visitors, str(v.visitors))
                for v in video
            ],
        },
    }


def _csv(name: str, table: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 (Chinese) only with the mark
    writer = csv.writer(response)
    writer.writerow(table["headers"])
    for row in table["rows"]:
        # A cell starting with = + - @ would be a formula in a spreadsheet.
        writer.writerow([f"'{c}" if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
    return response


def _staff(request: HttpRequest) -> HttpResponse | None:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("atelier-login"))
    if not (user.is_active and user.is_staff):
        return render(request, "atelier/forbidden.html", status=403)
    return None


def dashboard(request: HttpRequest) -> HttpResponse:
    refused = _staff(request)
    if refused is not None:
        return refused
    quizzes = list(Quiz.objects.order_by("slug").values_list("slug", flat=True))
    quiz = request.GET.get("quiz") or (quizzes[0] if quizzes else "")
    market = request.GET.get("market") or None
    asked = {"quiz": quiz, "market": market, "day_from": _date(request.GET.get("from")),
             "day_to": _date(request.GET.get("to"))}  # fmt: skip
    cut: Cut | None
    try:
        cut = report_cut(**asked)  # type: ignore[arg-type]
    except Invalid as exc:
        for _path, message in exc.errors:
            messages.error(request, message)
        cut = report_cut(quiz=quiz) if quiz in quizzes else None
    tables = _tables(report_counts(cut)) if cut else {}
    wanted = request.GET.get("csv")
    if wanted in tables:
        return _csv(wanted, tables[wanted])
    for name, table in tables.items():
        table["chart"] = bar_chart(table["title"], table["bars"])
        table["csv_url"] = "?" + urlencode({**request.GET.dict(), "csv": name})
    experiments = [experiment_readout(e) for e in
                   Experiment.objects.filter(quiz__slug=quiz).select_related("quiz")]  # fmt: skip
    for readout in experiments:
        readout["chart"] = bar_chart(
            _("Conversion to a paid order per variant"),
            [Bar(v["key"], v["conversion_rate"], _percent(v["conversion_rate"]))
             for v in readout["variants"]],
        )  # fmt: skip
    context = {
        "quizzes": quizzes, "market_choices": Market.objects.order_by("position", "code"),
        "cut": cut, "tables": [(n, tables[n]) for n in TABLES if n in tables],
        "experiments": experiments, "currency": reporting_currency(),
    }  # fmt: skip
    return render(request, "storefront/insights.html", context)


@require_POST
def promote(request: HttpRequest, slug: str) -> HttpResponse:
    refused = _staff(request)
    if refused is not None:
        return refused
    experiment = get_object_or_404(Experiment, slug=slug)
    variant = request.POST.get("variant", "")[:15]
    try:
        version = experiment_promote(experiment=experiment, variant_key=variant)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(variant)s is now the quiz's current version (v%(n)s).")
                         % {"variant": variant, "n": version.number})  # fmt: skip
    return HttpResponseRedirect(
        reverse("analytics-dashboard") + "?" + urlencode({"quiz": experiment.quiz.slug})
    )
