"""The personal card alone: pure Python, no database."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from trunkshow.engines.video import fonts
from trunkshow.engines.video.card import PAPER, card_frames, card_poster

SUBTITLE = "A message from the designer"
W, H = 720, 1280
# The inner gold hairline is 40 px in; nothing of the text may reach it.
FRAME_INSET = 40


def poster(name: str, title: str = "The Jet-Setter", subtitle: str = SUBTITLE) -> Image.Image:
    return card_poster(name=name, title=title, subtitle=subtitle)


def painted_box(image: Image.Image, blank: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of the pixels where `image` differs from `blank`."""
    diff = np.any(np.asarray(image) != np.asarray(blank), axis=2)
    if not diff.any():
        return None
    ys, xs = np.nonzero(diff)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def test_frame_count_size_and_mode():
    frames = list(card_frames(name="Lin", title="The Jet-Setter", subtitle=SUBTITLE, seconds=2.5))
    assert len(frames) == 75
    assert all(frame.size == (W, H) and frame.mode == "RGB" for frame in frames)

    other = list(
        card_frames(name="Lin", title="T", subtitle="S", seconds=1.0, fps=24, width=360, height=640)
    )
    assert len(other) == 24
    assert all(frame.size == (360, 640) for frame in other)


def test_zero_seconds_yields_nothing_and_bad_arguments_raise():
    assert list(card_frames(name="Lin", title="T", subtitle="S", seconds=0)) == []
    with pytest.raises(ValueError):
        list(card_frames(name="Lin", title="T", subtitle="S", seconds=-1))
    with pytest.raises(ValueError):
        list(card_frames(name="Lin", title="T", subtitle="S", seconds=1, fps=0))


def test_frames_are_deterministic():
    def render() -> list[bytes]:
        return [
            frame.tobytes()
            for frame in card_frames(
                name="林小姐 Lin", title="环球旅行家", subtitle="设计师的一封信", seconds=1.2
            )
        ]

    assert render() == render()


def test_card_animates_then_settles_on_the_poster():
    frames = list(card_frames(name="Lin", title="The Jet-Setter", subtitle=SUBTITLE, seconds=2.0))
    blank = Image.new("RGB", (W, H), PAPER)
    first_box = painted_box(frames[0], blank)
    # Only the gold frame is drawn at first; the text comes in over time.
    assert frames[0].tobytes() != frames[10].tobytes() != frames[-1].tobytes()
    assert first_box is not None
    assert frames[-1].tobytes() == poster("Lin").tobytes()


def test_a_short_card_still_ends_complete():
    frames = list(card_frames(name="Lin", title="The Jet-Setter", subtitle=SUBTITLE, seconds=0.3))
    assert len(frames) == 9
    assert frames[-1].tobytes() == poster("Lin").tobytes()


def test_font_is_the_simplified_chinese_face_from_the_package():
    path, index = fonts.cjk_font_path()
    assert path.endswith(fonts.FILENAME)
    assert fonts.cjk_font(40).getname() == ("Noto Sans CJK SC", "Regular")
    assert index >= 0
    assert fonts.missing_glyphs("林小姐 Lin 环球旅行家 Jet-Setter 设计师的一封信 …") == []
    # The check does see a missing glyph when there is one.
    assert fonts.missing_glyphs("Lin😀") == ["😀"]


def test_missing_font_package_names_the_package(monkeypatch):
    monkeypatch.setattr(fonts, "MODULE", "no_such_font_package_here")
    with pytest.raises(RuntimeError, match="noto-cjk-sans-otc"):
        fonts.cjk_font_path.__wrapped__()


def test_chinese_name_and_title_render_with_real_glyphs():
    no_name = poster("", title="")
    chinese = poster("林小姐", title="环球旅行家")
    other = poster("王先生", title="环球旅行家")
    tofu = poster("\uffff\uffff\uffff", title="\uffff\uffff\uffff\uffff\uffff")

    box = painted_box(chinese, no_name)
    assert box is not None
    assert chinese.tobytes() != other.tobytes()
    # Real glyphs, not three (or five) of the font's empty boxes.
    assert chinese.tobytes() != tofu.tobytes()
    assert painted_box(chinese, tofu) is not None


def test_ten_thousand_character_name_stays_inside_the_frame():
    blank = poster("")
    for name in ["W" * 10_000, "林" * 10_000, "Lin " * 2_500, "Z" + "\u0336\u0489\u0310" * 3_000]:
        image = poster(name)
        box = painted_box(image, blank)
        assert box is not None
        left, top, right, bottom = box
        assert left > FRAME_INSET and right < W - FRAME_INSET
        # The name keeps to its own band, between the subtitle and the rule.
        assert top > 470 and bottom < 690


def test_long_name_is_cut_but_short_names_are_not():
    blank = poster("")
    short = painted_box(poster("Lin"), blank)
    long = painted_box(poster("Maximiliana Alexandrovna Wolkonskaya-Rostopchina"), blank)
    assert short is not None and long is not None
    assert long[2] - long[0] > short[2] - short[0]
    assert long[2] < W - FRAME_INSET


@pytest.mark.parametrize(
    "name",
    [
        "%{localtime}",
        "<b>Lin</b>",
        "\u202eLin",
        "Lin \U0001f600\U0001f469\u200d\U0001f4bb",
        "ليلى",
        "שרה",
        "a\nb\tc\x00d",
        "\ud800",
        "'\"\\",
        "   ",
        "",
    ],
)
def test_awkward_names_render(name):
    frames = list(card_frames(name=name, title="The Jet-Setter", subtitle=SUBTITLE, seconds=0.5))
    assert len(frames) == 15
    assert frames[-1].tobytes() == poster(name).tobytes()


def test_names_are_shown_literally():
    blank = poster("")
    assert painted_box(poster("%{localtime}"), blank) is not None
    assert poster("<b>Lin</b>").tobytes() != poster("Lin").tobytes()
    assert poster("%{localtime}").tobytes() != poster("").tobytes()


def test_empty_name_leaves_the_name_band_as_paper():
    image = np.asarray(poster(""))
    band = image[500:680, FRAME_INSET + 4 : W - FRAME_INSET - 4]
    paper = np.asarray(Image.new("RGB", (1, 1), PAPER))[0, 0]
    assert (band == paper).all()
