from decimal import Decimal

import pytest

from trunkshow.common.locales import localized, normalize_locale, supported_locales, to_bcp47
from trunkshow.common.money import amount_str, format_price


def test_supported_locales_put_chinese_first():
    assert supported_locales() == ["zh-Hans", "en"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [("zh-Hans", "zh-Hans"), ("zh-hans", "zh-Hans"), ("ZH_HANS", "zh-Hans"), ("en", "en"),
     ("fr", None), ("", None), ("zh", None), ("<script>", None)],
)  # fmt: skip
def test_normalize_locale_accepts_only_supported_locales(given, expected):
    assert normalize_locale(given) == expected


def test_to_bcp47_title_cases_scripts_and_upper_cases_regions():
    assert to_bcp47("zh-hans") == "zh-Hans"
    assert to_bcp47("pt-br") == "pt-BR"


def test_localized_falls_back_to_english_then_chinese_then_anything():
    assert localized({"en": "Black", "zh-Hans": "黑色"}, "zh-Hans") == "黑色"
    assert localized({"en": "Black"}, "zh-Hans") == "Black"
    assert localized({"zh-Hans": "黑色"}, "en") == "黑色"
    assert localized({"fr": "Noir"}, "en") == "Noir"
    assert localized({}, "en") == ""


def test_prices_are_written_as_each_locale_writes_its_currency():
    assert format_price(Decimal("3980"), "CNY", "zh-Hans") == "¥3,980.00"
    assert format_price(Decimal("498"), "USD", "en") == "$498.00"
    # A Chinese reader in the US market must still see it is dollars.
    assert format_price(Decimal("498"), "USD", "zh-Hans") == "US$498.00"


def test_api_amounts_have_their_currencys_minor_units():
    assert amount_str(Decimal("1234"), "CNY") == "1234.00"
    assert amount_str(Decimal("0.5"), "USD") == "0.50"
    assert amount_str(Decimal("18000.00"), "JPY") == "18000"
