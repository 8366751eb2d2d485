"""Names with emoji show them in colour on the card and poster, not as boxes."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

from trunkshow.engines.video.card import card_frames, card_poster
from trunkshow.engines.video.emoji import runs

SUBTITLE = "A message from the designer"


def vivid_pixels(name: str) -> int:
    """Coloured pixels in the name's band (the gold rule and the title lie outside it)."""
    image = card_poster(name=name, title="The Jet-Setter", subtitle=SUBTITLE)
    band = np.asarray(image)[500:680, 80:640] / 255.0
    hsv = np.array([colorsys.rgb_to_hsv(*px) for px in band.reshape(-1, 3)[::7]])  # sampled
    # Ink, paper and their anti-aliased blends are dark or nearly grey.
    return int(((hsv[:, 1] > 0.3) & (hsv[:, 2] > 0.3)).sum())


def test_a_plain_name_has_no_colour_and_an_emoji_name_does():
    assert vivid_pixels("Lin") == 0
    assert vivid_pixels("Lin 🌸") > 50
    assert vivid_pixels("林小美🎉") > 50


@pytest.mark.parametrize("name", ["👩‍👩‍👧‍👦", "👍🏽 Mei", "🇨🇳 Lin", "Lin 😀😀😀😀😀😀😀😀"])
def test_sequences_flags_and_skin_tones_draw_in_colour(name):
    assert vivid_pixels(name) > 50


def test_an_emoji_is_one_glyph_not_a_box_per_code_point():
    assert runs("Lin 👩‍🎨!") == [("Lin ", False), ("👩‍🎨", True), ("!", False)]


def test_the_animated_frames_end_on_the_colour_poster():
    frames = list(card_frames(name="Lin 🌸", title="T", subtitle=SUBTITLE, seconds=1.5, fps=10))
    poster = card_poster(name="Lin 🌸", title="T", subtitle=SUBTITLE)
    assert np.array_equal(np.asarray(frames[-1]), np.asarray(poster))
