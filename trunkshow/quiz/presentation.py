"""How a quiz definition is shown in one locale: texts picked, pictures resolved."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import staticfiles_storage

from trunkshow.common.locales import localized
from trunkshow.engines.quiz import QuizDefinition


def picture_url(image: str | None) -> str:
    """Resolve an answer picture: an https URL as is, anything else a static file."""
    if not image:
        return ""
    if image.startswith("https://"):
        return image
    try:
        return staticfiles_storage.url(image)
    except ValueError:
        return ""  # not collected: show the answer without its picture


def quiz_for_locale(definition: QuizDefinition, locale: str) -> dict[str, Any]:
    return {
        "slug": definition.slug,
        "title": localized(definition.title, locale),
        "intro": localized(definition.intro, locale),
        "locale": locale,
        "questions": [
            {
                "key": question.key,
                "text": localized(question.text, locale),
                "answers": [
                    {
                        "key": answer.key,
                        "text": localized(answer.text, locale),
                        "image_url": picture_url(answer.image),
                    }
                    for answer in question.answers
                ],
            }
            for question in definition.questions
        ],
        "profiles": [
            {"key": p.key, "title": localized(p.title, locale)} for p in definition.profiles
        ],
    }
