from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Field, Router, Schema

from trunkshow.common.api_errors import ApiError, resolve_market
from trunkshow.common.clients import client_keys
from trunkshow.common.locales import normalize_locale, supported_locales
from trunkshow.engines.quiz import AnswerError
from trunkshow.quiz import selectors, services
from trunkshow.quiz.presentation import quiz_for_locale
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
    name: str | None = Field(None, description="Shown literally, capped at 40 characters.")
    locale: str | None = None
    market: str | None = None
    personalised: bool = Field(
        True, description="False: the brand's default ranking (PIPL art. 24)."
    )


def _absolute(request: HttpRequest) -> Any:
    # The host is validated once, not once per link in the answer.
    base = request.build_absolute_uri("/").rstrip("/")
    return lambda path: base + path


def _accepted_locale(header: str) -> str | None:
    for language, _quality in parse_accept_lang_header(header[:500]):
        try:
            return normalize_locale(get_supported_language_variant(language))
        except LookupError:
            continue
    return None


def _locale_or_422(locale: str | None, fallback: str) -> str:
    if locale is None:
        return fallback
    found = normalize_locale(locale[:35])
    if found is None:
        known = ", ".join(supported_locales())
        raise ApiError.unprocessable(
            [(["query", "locale"], f"Unknown locale {locale[:35]!r}; known locales: {known}.")]
        )
    return found


def _quiz_or_404(slug: str) -> Any:
    found = selectors.current_version(slug=slug[:40])
    if found is None:
        raise ApiError(404, "not_found", f"No published quiz {slug[:40]!r}.")
    return found


@router.get("/quizzes/{slug}", response=QuizOut, summary="A quiz in one language")
def get_quiz(request: HttpRequest, slug: str, locale: str | None = None) -> dict[str, Any]:
    version, definition = _quiz_or_404(slug)
    # Without ?locale, the first shop language the client's Accept-Language
    # names (en-GB is en, zh-CN is zh-Hans), else the quiz's own.
    asked = _accepted_locale(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    resolved = _locale_or_422(locale, asked or normalize_locale(definition.default_locale) or "en")
    return {**quiz_for_locale(definition, resolved), "version": version.number}


@router.post("/quizzes/{slug}/result", summary="Score answers; get a profile and bags")
def create_result(request: HttpRequest, slug: str, payload: ResultIn) -> dict[str, Any]:
    _quiz_or_404(slug)
    market, locale = resolve_market(payload.market, payload.locale, where="body")
    try:
        result = services.quiz_result_create(
            slug=slug,
            answers=payload.answers,
            name=payload.name or "",
            locale=locale,
            market=market,
            personalised=payload.personalised,
            clients=client_keys(request),
        )
    except AnswerError as exc:
        raise ApiError.unprocessable(
            [(["body", "answers", key], f"{key}: {message}.") for key, message in exc.issues]
        ) from exc
    return selectors.result_payload(result, locale=locale, absolute=_absolute(request), fresh=True)


@router.get("/quiz-results/{result_id}", summary="Reopen a stored result")
def get_result(request: HttpRequest, result_id: str, locale: str | None = None) -> dict[str, Any]:
    result = selectors.result_by_public_id(result_id)
    if result is None:
        raise ApiError(404, "not_found", "No such result.")
    if result.video_message is not None:
        message_mark_opened(message=result.video_message)
    resolved = _locale_or_422(locale, result.locale)
    return selectors.result_payload(result, locale=resolved, absolute=_absolute(request))
