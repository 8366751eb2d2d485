"""The video engine alone: encode once, join by copying packets, describe for HLS."""

from __future__ import annotations

import hashlib
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw

from trunkshow.engines.video.encode import encode_segment
from trunkshow.engines.video.house import HOUSE
from trunkshow.engines.video.playlist import Cue, PlaylistEntry, hls_playlist, webvtt
from trunkshow.engines.video.stitch import probe, stitch_mp4, to_mpegts


def frames(n: int, colour: tuple[int, int, int]):
    for i in range(n):
        image = Image.new("RGB", (HOUSE.width, HOUSE.height), colour)
        ImageDraw.Draw(image).rectangle((40 + i * 5, 600, 240 + i * 5, 800), fill=(20, 20, 20))
        yield image


def tone(n_frames: int, hz: float) -> np.ndarray:
    t = np.arange(n_frames * HOUSE.samples_per_frame) / HOUSE.sample_rate
    wave = (0.2 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    return np.stack([wave, wave])


@pytest.fixture(scope="module")
def segments(tmp_path_factory):
    folder = tmp_path_factory.mktemp("segments")
    made = []
    for name, n, colour, hz in [("a", 64, (240, 200, 200), 440), ("b", 40, (200, 240, 200), 550),
                                ("c", 80, (200, 200, 240), 660)]:  # fmt: skip
        made.append(encode_segment(folder / f"{name}.mp4", frames(n, colour), audio=tone(n, hz)))
    return made


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_segment_is_house_format_and_padded_to_whole_blocks(segments):
    info = segments[1]
    assert info.frames == 48  # 40 frames rounded up to a 16-frame block
    with av.open(str(info.path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.width, video.codec_context.height) == (720, 1280)
        assert video.codec_context.name == "h264"
        assert audio.codec_context.name == "aac" and audio.codec_context.sample_rate == 48_000
    measured = probe(info.path)
    assert measured.video_frames == 48
    assert measured.keyframe_times[0] == 0.0


def test_the_same_input_encodes_to_the_same_bytes(tmp_path):
    one = encode_segment(tmp_path / "one.mp4", frames(16, (10, 20, 30)), audio=tone(16, 440))
    two = encode_segment(tmp_path / "two.mp4", frames(16, (10, 20, 30)), audio=tone(16, 440))
    assert sha(one.path) == sha(two.path)


def test_stitched_mp4_lasts_the_sum_of_its_parts_with_audio_in_step(segments, tmp_path):
    out = stitch_mp4([s.path for s in segments], tmp_path / "whole.mp4")
    measured = probe(out)
    expected = sum(s.frames for s in segments) / HOUSE.fps
    assert measured.video_frames == sum(s.frames for s in segments)
    assert abs(measured.seconds - expected) <= 1 / HOUSE.fps
    # No drift: the sound ends where the picture ends (within one video frame).
    assert abs(measured.audio_seconds - expected) <= 1 / HOUSE.fps
    # Every join opens on a keyframe.
    starts = [0.0, 64 / 30, (64 + 48) / 30]
    assert all(any(abs(k - s) < 0.02 for k in measured.keyframe_times) for s in starts)
    # Faststart: the index (moov) comes before the media data (mdat).
    head = out.read_bytes()[:4096]
    assert head.find(b"moov") != -1 and (
        head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")
    )


def test_stitching_copies_packets_so_shared_segments_are_untouched(segments, tmp_path):
    before = [sha(s.path) for s in segments]
    stitch_mp4([segments[0].path, segments[2].path], tmp_path / "x.mp4")
    stitch_mp4([segments[1].path, segments[2].path], tmp_path / "y.mp4")
    assert [sha(s.path) for s in segments] == before


def test_a_segment_copied_to_mpeg_ts_decodes(segments, tmp_path):
    ts = to_mpegts(segments[0].path, tmp_path / "a.ts")
    assert probe(ts).video_frames == segments[0].frames
    assert ts.read_bytes()[0] == 0x47  # MPEG-TS sync byte


def test_nothing_half_written_is_left_behind(tmp_path):
    def broken():
        yield Image.new("RGB", (720, 1280))
        raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        encode_segment(tmp_path / "broken.mp4", broken())
    assert not (tmp_path / "broken.mp4").exists()


def test_hls_playlist_lists_segments_with_discontinuities():
    text = hls_playlist([PlaylistEntry("intro.ts", 4.2667), PlaylistEntry("card.ts", 2.6667)])
    assert text.startswith("#EXTM3U\n")
    assert "#EXT-X-TARGETDURATION:5" in text
    assert text.count("#EXT-X-DISCONTINUITY") == 1
    assert "#EXTINF:4.267,\nintro.ts" in text
    assert text.rstrip().endswith("#EXT-X-ENDLIST")
    with pytest.raises(ValueError):
        hls_playlist([PlaylistEntry("a.ts\n#EXT-X-ENDLIST", 1)])


def test_webvtt_shows_names_literally():
    text = webvtt([Cue(0, 2.5, "Hi <b>Lin</b> & friends"), Cue(2.5, 4, "line\n\n-->x")])
    assert text.startswith("WEBVTT\n")
    assert "00:00:00.000 --> 00:00:02.500\nHi &lt;b&gt;Lin&lt;/b&gt; &amp; friends" in text
    assert "line\n--&gt;x" in text
