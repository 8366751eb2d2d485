from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from trunkshow.common.api_errors import ApiError, resolve_market, unknown_locale_message
from trunkshow.common.clients import client_keys
from trunkshow.common.consent import consent_allows
from trunkshow.common.locales import accepted_locale, normalize_locale, supported_locales
from trunkshow.common.visitors import visitor_id
from trunkshow.engines.quiz import AnswerError
from trunkshow.quiz import selectors, services
from trunkshow.quiz.experiments import Served, quiz_for_visitor
from trunkshow.quiz.presentation import quiz_for_locale
from trunkshow.quiz.tracking import completed_event, viewed_event
from trunkshow.video.services import message_mark_opened

router = Router(tags=["quiz"])


class AnswerOut(Schema):
    key: str
    text: str
    image_url: str


class QuestionOut(Schema):
    key: str
    text: str
    answers: list[AnswerOut]


class ProfileSummaryOut(Schema):
    key: str
    title: str


class QuizOut(Schema):
    slug: str
    title: str
    intro: str
    locale: str
    version: int
    questions: list[QuestionOut]
    profiles: list[ProfileSummaryOut]


class ResultIn(Schema):
    answers: dict[str, Any] = Field(..., description="question key -> answer key")
    name: str | None = Field(
        None,
        description=(
            "Shown literally, at most 40 characters: a longer name is kept to 39 and ends"
            " in '…'. The answer's `display_name` is the name as the video card shows it."
        ),
    )
    locale: str | None = None
    market: str | None = None
    personalised: bool = Field(
        True, description="False: the brand's default ranking (PIPL art. 24)."
    )


def _answer_templates() -> dict[str, str]:
    return {
        "unanswered": gettext("%(key)s: is not answered."),
        "not_text": gettext(
            "%(key)s: must be an answer key (text), not %(kind)s; choose one of: %(allowed)s."
        ),
        "unknown_answer": gettext("%(key)s: has no answer %(given)s; choose one of: %(allowed)s."),
        "unknown_question": gettext("%(key)s: is not a question of this quiz."),
        "more_unknown": gettext("%(key)s: and %(count)s more keys that are not questions."),
    }


def _json_kinds() -> dict[str, str]:
    return {
        "true/false": gettext("true/false"),
        "a number": gettext("a number"),
        "a list": gettext("a list"),
        "an object": gettext("an object"),
        "a value that is not text": gettext("a value that is not text"),
    }


def answer_message(key: str, code: str, params: dict[str, str]) -> str:
    """One answer's problem in the request's language (the engine names it as data)."""
    template = _answer_templates().get(code)
    if template is None:
        return f"{key}: {code}."
    values = {**params, "key": key}
    if "kind" in values:
        values["kind"] = _json_kinds().get(values["kind"], values["kind"])
    return template % values


def _absolute(request: HttpRequest) -> Any:
    # The host is validated once, not once per link in the answer.
    base = request.build_absolute_uri("/").rstrip("/")
    return lambda path: base + path


def _locale_or_422(locale: str | None, fallback: str) -> str:
    if locale is None:
        return fallback
    found = normalize_locale(locale[:35])
    if found is None:
        known = ", ".join(supported_locales())
        raise ApiError.unprocessable([(["query", "locale"], unknown_locale_message(locale, known))])
    return found


def _quiz_or_404(request: HttpRequest, slug: str) -> Served:
    """The version this client is served (its experiment variant's, if one runs)."""
    found = quiz_for_visitor(slug=slug[:40], visitor_id=visitor_id(request))
    if found is None:
        raise ApiError(
            404, "not_found", gettext("No published quiz %(slug)s.") % {"slug": repr(slug[:40])}
        )
    return found


@router.get("/quizzes/{slug}", response=QuizOut, summary="A quiz in one language")
def get_quiz(request: HttpRequest, slug: str, locale: str | None = None) -> dict[str, Any]:
    served = _quiz_or_404(request, slug)
    version, definition = served.version, served.definition
    # Without ?locale, the first shop language the client's Accept-Language
    # names (en-GB is en, zh-CN is zh-Hans), else the quiz's own.
    asked = accepted_locale(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    resolved = _locale_or_422(locale, asked or normalize_locale(definition.default_locale) or "en")
    viewed_event(request, version, locale=resolved, variant=served.variant)
    return {**quiz_for_locale(definition, resolved), "version": version.number}


@router.post("/quizzes/{slug}/result", summary="Score answers; get a profile and bags")
def create_result(request: HttpRequest, slug: str, payload: ResultIn) -> dict[str, Any]:
    served = _quiz_or_404(request, slug)
    market, locale = resolve_market(payload.market, payload.locale, where="body")
    try:
        result = services.quiz_result_create(
            slug=slug,
            answers=payload.answers,
            name=payload.name or "",
            locale=locale,
            market=market,
            personalised=payload.personalised and consent_allows(request, "personalisation"),
            clients=client_keys(request),
            visitor_id=visitor_id(request),
            on_stored=lambda stored: completed_event(request, stored, served.variant),
            version=served.version,
        )
    except AnswerError as exc:
        raise ApiError.unprocessable(
            [(["body", "answers", key], answer_message(key, code, params))
             for key, code, params in exc.reasons]
        ) from exc  # fmt: skip
    return selectors.result_payload(result, locale=locale, absolute=_absolute(request), fresh=True)


@router.get("/quiz-results/{result_id}", summary="Reopen a stored result")
def get_result(request: HttpRequest, result_id: str, locale: str | None = None) -> dict[str, Any]:
    result = selectors.result_by_public_id(result_id)
    if result is None:
        raise ApiError(404, "not_found", gettext("No such result."))
    if result.video_message is not None:
        message_mark_opened(message=result.video_message)
    resolved = _locale_or_422(locale, result.locale)
    return selectors.result_payload(result, locale=resolved, absolute=_absolute(request))
