"""Colours described in words (keys the shop's layer translates), no Django needed."""

from __future__ import annotations

import pytest

from trunkshow.engines.paint import PaintError, mix
from trunkshow.engines.paint.names import HUE_KEYS, TONES, ColourWords, describe


@pytest.mark.parametrize(
    ("colour", "words"),
    [
        ("#8A2BE2", ColourWords("blue-violet")),
        ("#1F3A5F", ColourWords("blue", "dark")),
        ("#87CEEB", ColourWords("blue", "light")),
        ("#FF0000", ColourWords("red")),
        ("#FFC0CB", ColourWords("pink")),
        ("#5A3E2B", ColourWords("brown", "dark")),
        ("#808080", ColourWords("grey")),
        ("#000000", ColourWords("black")),
        ("#FFFFFF", ColourWords("white")),
        ("#2C9D59", ColourWords("green")),
    ],
)
def test_a_colour_is_described_by_hue_lightness_and_chroma(colour, words):
    assert describe(colour) == words


def test_every_colour_gets_words_the_shop_can_translate():
    for value in range(0, 0x1000000, 0x0F0F0F // 3):
        words = describe(f"#{value:06X}")
        assert words.hue in HUE_KEYS and words.tone in (None, *TONES)


def test_a_paint_error_carries_a_code_and_its_facts():
    with pytest.raises(PaintError) as caught:
        mix({"gold": 1})
    assert caught.value.code == "unknown_paint"
    assert caught.value.data["paint"] == "gold" and "red" in caught.value.data["known"]
    with pytest.raises(PaintError) as caught:
        mix({"red": 0})
    assert caught.value.code == "no_parts"
