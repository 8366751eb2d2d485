"""Names on the video card and Chinese punctuation in subtitles (issue 21): no Django."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PIL import Image

from trunkshow.engines.text import chinese_punctuation, shown_name
from trunkshow.engines.video.card import PAPER, card_name, card_poster

W, H, FRAME_INSET = 720, 1280, 40


def name_rows(name: str) -> list[int]:
    """The pixel rows of the name band where the card painted ink."""
    image = np.asarray(card_poster(name=name, title="", subtitle=""))
    blank = np.asarray(Image.new("RGB", (W, H), PAPER))
    # The band between the subtitle and the rule (which begins at row 687).
    painted = np.any(image != blank, axis=2)[470:686, FRAME_INSET + 1 : W - FRAME_INSET - 1]
    return [int(y) for y in np.nonzero(painted.any(axis=1))[0]]


@pytest.mark.parametrize(
    "name",
    [
        "Lin",
        "林小姐",
        "欧阳" * 20,
        "W" * 40,
        "Maximiliana Anastasia Wolfeschlegelstein",
        "María-José Ñúñez de la Concepción Álvar",
    ],
)
def test_every_name_within_the_limit_is_drawn_whole(name):
    assert len(name) <= 40
    assert card_name(name) == name


def test_a_long_name_takes_two_lines_inside_the_frame():
    # Given forty Chinese characters, which no single line holds at a readable size
    rows = name_rows("欧阳" * 20)
    # Then the ink forms two bands (two lines) with a gap between them
    gaps = [b - a for a, b in itertools.pairwise(rows) if b - a > 1]
    assert rows and len(gaps) == 1
    # and a short name stays one large line
    short = name_rows("Lin")
    assert not [b - a for a, b in itertools.pairwise(short) if b - a > 1]


def test_only_text_past_two_lines_is_cut_with_an_ellipsis():
    assert card_name("林" * 60).endswith("…")
    assert len(card_name("林" * 60)) < 60
    assert card_name("W" * 160).endswith("…")


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("Lin", "Lin"),
        ("x" * 40, "x" * 40),
        ("x" * 41, "x" * 39 + "…"),
        ("林" * 100, "林" * 39 + "…"),
        ("\u202eniL", "niL"),
        ("  Anna   Maria ", "Anna Maria"),
    ],
)
def test_a_name_is_never_cut_silently(given, shown):
    assert shown_name(given) == shown
    assert len(shown_name(given)) <= 40


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("标志托特包: 城市通勤, 一包搞定!", "标志托特包：城市通勤，一包搞定！"),
        ("周末去哪儿?", "周末去哪儿？"),
        ("Signature Tote: 你好", "Signature Tote：你好"),
        ("价格 1.5 元.", "价格 1.5 元。"),
        # Latin text, times and versions keep their ASCII marks
        ("Lin, hi: 10:30", "Lin, hi: 10:30"),
        ("版本 v2.0 发布", "版本 v2.0 发布"),
        ("Lin · 环球旅行家", "Lin · 环球旅行家"),
    ],
)
def test_chinese_text_gets_full_width_punctuation(given, expected):
    assert chinese_punctuation(given) == expected
