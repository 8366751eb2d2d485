"""Locale codes: BCP 47 ("zh-Hans") outside, Django's ("zh-hans") inside.

Shoppers, the API and stored content speak BCP 47 because that is what
browsers, mini-programs and translators use; Django lower-cases language
codes. These helpers translate between the two so no other module has to.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation


def to_bcp47(django_code: str) -> str:
    """Return the BCP 47 form of a Django language code ("zh-hans" -> "zh-Hans")."""
    parts = django_code.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4:
            out.append(part.title())
        elif len(part) == 2:
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def supported_locales() -> list[str]:
    """Return the shopper locales in settings order, Chinese first."""
    return [to_bcp47(code) for code, _name in settings.LANGUAGES]


def normalize_locale(value: str) -> str | None:
    """Return the supported BCP 47 locale matching `value` case-insensitively, or None."""
    wanted = value.strip().replace("_", "-").lower()
    for locale in supported_locales():
        if locale.lower() == wanted:
            return locale
    return None


def accepted_locale(header: str) -> str | None:
    """The first shop locale an Accept-Language header names (en-GB is en, zh-CN is zh-Hans)."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    for language, _quality in parse_accept_lang_header(header[:500]):
        try:
            return normalize_locale(translation.get_supported_language_variant(language))
        except LookupError:
            continue
    return None


def to_django(locale: str) -> str:
    return locale.lower()


def current_locale() -> str:
    return to_bcp47(translation.get_language() or settings.LANGUAGE_CODE)


def localized(texts: Mapping[str, str] | None, locale: str) -> str:
    """Pick the text for `locale` from a {locale: text} mapping, falling back sensibly.

    The fallback order (the asked locale, English, Chinese, anything) keeps a
    page readable while a translator catches up, instead of showing a blank.
    """
    if not texts:
        return ""
    for candidate in (locale, "en", "zh-Hans", *texts.keys()):
        text = texts.get(candidate)
        if text:
            return text
    return ""
