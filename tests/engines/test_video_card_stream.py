"""The card made the cheap way (card_video.py, still_options) looks and joins like before."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from trunkshow.engines.video.card import card_frames
from trunkshow.engines.video.card_video import card_video_frames
from trunkshow.engines.video.encode import encode_segment
from trunkshow.engines.video.house import HOUSE
from trunkshow.engines.video.stitch import probe, stitch_mp4

SUBTITLE = "A message from the designer"


def whole_picture_yuv(image: Image.Image) -> np.ndarray:
    return av.VideoFrame.from_image(image).reformat(format="yuv420p").to_ndarray()


def assert_same_pictures(**card) -> None:
    drawn = [whole_picture_yuv(frame) for frame in card_frames(**card)]
    made = [frame.to_ndarray() for frame in card_video_frames(**card)]
    assert len(made) == len(drawn)
    for index, (mine, theirs) in enumerate(zip(made, drawn, strict=True)):
        worst = int(np.abs(mine.astype(np.int16) - theirs).max())
        assert worst <= 1, f"frame {index} differs by {worst} levels"


@pytest.mark.parametrize(
    ("name", "title", "subtitle"),
    [
        ("Lin", "The Jet-Setter", SUBTITLE),
        ("林晓雨", "环球旅行家", "设计师给你的话"),
        ("Maximilian Alexander von Habsburg-Lothringen", "The Gallery Opener", SUBTITLE),
        ("", "The Evening Icon", SUBTITLE),
    ],
)
def test_the_cheap_card_shows_the_same_pictures_in_both_scripts(name, title, subtitle):
    # Given a Latin, a Chinese, a two-line and an empty name, when the card is
    # made as ready video frames, then every frame is the drawn card's, within
    # one level of rounding.
    assert_same_pictures(name=name, title=title, subtitle=subtitle, seconds=2.5)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(max_size=40),
    seconds=st.floats(min_value=0.0, max_value=0.6),
    size=st.sampled_from([(720, 1280), (360, 640), (98, 130)]),
)
def test_any_name_length_and_size_match_the_drawn_card(name, seconds, size):
    width, height = size
    assert_same_pictures(name=name, title="T", subtitle="S", seconds=seconds, width=width,
                         height=height)  # fmt: skip


def test_the_settled_frames_are_one_picture_converted_once():
    frames = list(card_video_frames(name="Lin", title="T", subtitle="S", seconds=2.5))
    assert len(frames) == 75
    assert frames[-1] is frames[40]  # the card settles by 0.95 s
    assert len({id(frame) for frame in frames}) < 40


@pytest.fixture(scope="module")
def house_clip(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("house") / "clip.mp4"
    frames = [Image.new("RGB", (HOUSE.width, HOUSE.height), (20 * i, 90, 160)) for i in range(8)]
    encode_segment(out, frames)
    return out


def parameter_sets(path: Path) -> bytes:
    with av.open(str(path)) as container:
        return bytes(container.streams.video[0].codec_context.extradata or b"")


def test_a_card_with_the_still_settings_joins_house_clips_by_copying(house_clip, tmp_path):
    # Given a card encoded with the cheaper settings, when it is stitched
    # between house clips, then its stream parameters are the house's and the
    # whole decodes without a single error, every part opening on a keyframe.
    frames = HOUSE.frames_for(2.5)
    card = tmp_path / "card.mp4"
    info = encode_segment(
        card,
        card_video_frames(
            name="林晓雨", title="环球旅行家", subtitle="设计师给你的话", seconds=2.5
        ),
        options=HOUSE.still_options(frames),
    )
    assert info.frames == frames == 80
    assert parameter_sets(card) == parameter_sets(house_clip)

    joined = stitch_mp4([house_clip, card, house_clip], tmp_path / "joined.mp4",
                        frames=[16, 80, 16])  # fmt: skip
    measured = probe(joined)
    assert measured.video_frames == 112
    assert measured.keyframe_times[:3] == (0.0, round(16 / 30, 4), round(96 / 30, 4))
    assert abs(measured.audio_seconds - measured.seconds) < 0.03


def test_the_house_stream_is_main_profile_level_3_1(house_clip):
    # What Safari-class and Chromium decoders are promised (house.py).
    sps = parameter_sets(house_clip)
    start = sps.index(b"\x67") if sps[:1] == b"\x00" else 8
    profile_idc, _constraints, level_idc = sps[start + 1 : start + 4]
    assert (profile_idc, level_idc) == (77, 31)


def test_a_card_of_an_odd_size_is_refused():
    with pytest.raises(ValueError, match="even"):
        next(
            card_video_frames(name="Lin", title="T", subtitle="S", seconds=1, width=98, height=131)
        )


def test_a_ready_frame_of_another_size_is_refused(tmp_path):
    wrong = av.VideoFrame(64, 64, "yuv420p")
    with pytest.raises(ValueError, match="yuv420p 720x1280"):
        encode_segment(tmp_path / "x.mp4", [wrong])


def test_copies_made_without_probing_are_byte_for_byte_the_same(house_clip, tmp_path, monkeypatch):
    from trunkshow.engines.video import stitch

    quick = stitch_mp4([house_clip, house_clip], tmp_path / "quick.mp4")
    monkeypatch.setattr(stitch, "QUICK_OPEN", {})
    probed = stitch_mp4([house_clip, house_clip], tmp_path / "probed.mp4")
    assert quick.read_bytes() == probed.read_bytes()


def test_a_silent_segment_from_recorded_sound_is_the_encoded_one(tmp_path, monkeypatch):
    from trunkshow.engines.video import encode

    frames = [Image.new("RGB", (HOUSE.width, HOUSE.height), (200, 90, 20))] * 16
    monkeypatch.setattr(encode, "_SILENCE", {})
    first = encode_segment(tmp_path / "first.mp4", frames)  # encodes and records the silence
    assert encode._SILENCE
    again = encode_segment(tmp_path / "again.mp4", frames)  # copies the recorded packets
    assert first.path.read_bytes() == again.path.read_bytes()
    assert abs(probe(again.path).audio_seconds - 16 / 30) < 0.001
