from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from trunkshow.common.clients import client_keys
from trunkshow.common.consent import consent_allows
from trunkshow.common.locales import current_locale, localized
from trunkshow.common.middleware import request_market
from trunkshow.common.visitors import visitor_id
from trunkshow.engines.quiz import AnswerError, QuizDefinition
from trunkshow.quiz import selectors, services
from trunkshow.quiz.definitions import definition_of
from trunkshow.quiz.experiments import quiz_for_visitor
from trunkshow.quiz.presentation import quiz_for_locale
from trunkshow.quiz.tracking import completed_event, viewed_event
from trunkshow.video.selectors import message_payload
from trunkshow.video.services import message_mark_opened

ANSWER_PREFIX = "answer-"
NAME_LIMIT = 40  # what clean_display_name keeps, shown to the shopper as they type


def _quiz_context(
    definition: QuizDefinition, chosen: dict[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    quiz = quiz_for_locale(definition, current_locale())
    for question in quiz["questions"]:
        question["chosen"] = chosen.get(question["key"], "")
        question["error"] = errors.get(question["key"], "")
        question["field"] = ANSWER_PREFIX + question["key"]
    questions = quiz["questions"]
    # The step the page opens on is drawn by the server, so the first paint is
    # already one question per screen (nothing collapses after it, no layout
    # shift): the first question still to answer, else the last step (the name).
    current = next(
        (i for i, q in enumerate(questions) if not q["chosen"] or q["error"]), len(questions)
    )
    steps = len(questions) + 1
    return {
        "quiz": quiz,
        "steps": steps,
        "current_step": current,
        "current_number": current + 1,
        "progress_percent": f"{100 * (current + 1) / steps:.4f}",
        # What quiz.js writes on each step, written here for the first one.
        "step_label": (
            gettext("Question %(n)s of %(total)s") % {"n": current + 1, "total": len(questions)}
            if current < len(questions)
            else gettext("Last step")
        ),
        "name_limit": NAME_LIMIT,
    }


@require_http_methods(["GET", "POST"])
def quiz_page(request: HttpRequest, slug: str) -> HttpResponse:
    served = quiz_for_visitor(slug=slug, visitor_id=visitor_id(request))
    market = request_market(request)
    if served is None or market is None:
        raise Http404("No such quiz.")
    version, definition = served.version, served.definition
    if request.method == "GET":
        viewed_event(request, version, variant=served.variant)
        context = _quiz_context(definition, {}, {})
        context.update(quiz_version=version.number, quiz_variant=served.variant)
        context["personalised"] = consent_allows(request, "personalisation")
        return render(request, "quiz/quiz.html", context)

    chosen = {
        key[len(ANSWER_PREFIX) :]: request.POST.get(key, "")[:40]
        for key in list(request.POST)[:100]
        if key.startswith(ANSWER_PREFIX)
    }
    name = request.POST.get("name", "")
    # The banner's refusal wins over the form's box (PIPL art. 24).
    personalised = request.POST.get("personalised") == "1" and consent_allows(
        request, "personalisation"
    )
    try:
        result = services.quiz_result_create(
            slug=slug,
            answers=chosen,
            name=name,
            locale=current_locale(),
            market=market,
            personalised=personalised,
            clients=client_keys(request),
            visitor_id=visitor_id(request),
            on_stored=lambda stored: completed_event(request, stored, served.variant),
            version=version,
        )
    except AnswerError as exc:
        # Keep every answer and the name, so nothing the shopper did is lost.
        context = _quiz_context(definition, chosen, {k: str(m) for k, m in exc.issues})
        context.update(name=name[:NAME_LIMIT], personalised=personalised, has_errors=True)
        context.update(quiz_version=version.number, quiz_variant=served.variant)
        return render(request, "quiz/quiz.html", context, status=422)
    return HttpResponseRedirect(reverse("quiz-result", args=[result.public_id]))


def result_page(request: HttpRequest, public_id: str) -> HttpResponse:
    result = selectors.result_by_public_id(public_id)
    if result is None:
        raise Http404("No such result.")
    if result.video_message is not None:
        message_mark_opened(message=result.video_message)
    locale = current_locale()
    definition = definition_of(result.version)
    profile = definition.profile(result.profile_key)
    answered = []
    for question in definition.questions:
        answer = question.answer(result.answers.get(question.key, ""))
        if answer is not None:
            answered.append(
                {
                    "question": localized(question.text, locale),
                    "answer": localized(answer.text, locale),
                }
            )
    served = quiz_for_visitor(slug=result.version.quiz.slug, visitor_id=visitor_id(request))
    context = {
        "result": result,
        "quiz_slug": result.version.quiz.slug,
        # The variant this visitor is in, if the result was made with its version.
        "quiz_variant": served.variant if served and served.version.pk == result.version_id else "",
        "profile_title": localized(profile.title, locale),
        "profile_description": localized(profile.description, locale),
        "deciding": selectors.deciding_labels(definition, result.deciding_traits, locale),
        "answered": answered,
        "cards": selectors.result_cards(result, definition, locale),
        "answer_fields": [(ANSWER_PREFIX + k, v) for k, v in result.answers.items()],
        "share_url": request.build_absolute_uri(),
        "video": (
            message_payload(result.video_message, absolute=request.build_absolute_uri)
            if result.video_message is not None
            else None
        ),
        "market_differs": result.market_id != getattr(request_market(request), "code", None),
    }
    response = render(request, "quiz/result.html", context)
    # A result carries a name: keep it out of shared caches and search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
