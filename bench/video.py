"""The personal video's goals (issue 4), against a naive full re-encode in the same run.

- first playable: the playlist and its first segment (the shared intro,
  cached), which is all a player needs to start; the shopper's card must
  then be ready before the intro ends.
- MP4: the card rendered and encoded, then everything stitched by copying.
- baseline: the same composition decoded and encoded again as one file.

Run alone: .venv/bin/python bench/video.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")
os.environ["TRUNKSHOW_VAR_DIR"] = tempfile.mkdtemp(prefix="trunkshow-bench-")
os.environ["MEDIA_ROOT"] = str(Path(os.environ["TRUNKSHOW_VAR_DIR"]) / "media")

import av
import django
import numpy as np

django.setup()

from trunkshow.demo.clips import encode_demo_clips
from trunkshow.engines.video.card import card_frames
from trunkshow.engines.video.encode import encode_segment
from trunkshow.engines.video.house import HOUSE
from trunkshow.engines.video.playlist import PlaylistEntry, hls_playlist
from trunkshow.engines.video.stitch import probe, stitch_mp4, to_mpegts

RUNS = 3


def naive(parts: list[Path], card: list, out: Path) -> None:
    """Decode every part and encode the whole composition again."""
    frames, audio = [], []
    for index, part in enumerate(parts):
        if index == 1:
            frames += card
            audio.append(np.zeros((2, len(card) * HOUSE.samples_per_frame), dtype=np.float32))
        with av.open(str(part)) as container:
            frames += [f.to_image() for f in container.decode(container.streams.video[0])]
        with av.open(str(part)) as container:
            audio += [f.to_ndarray() for f in container.decode(container.streams.audio[0])]
    encode_segment(out, frames, audio=np.concatenate(audio, axis=1))


def main() -> None:
    started = time.perf_counter()
    clips = encode_demo_clips()
    print(f"setup: demo clips encoded in {time.perf_counter() - started:.1f} s")
    intro = next(c for c in clips if c.kind == "intro" and c.profile_key == "jet-setter")
    products = [c for c in clips if c.kind == "product"][:4]
    outro = next(c for c in clips if c.kind == "outro")
    shared = [intro.path, *(p.path for p in products), outro.path]
    for path in shared:
        if not path.with_suffix(".ts").exists():
            to_mpegts(path, path.with_suffix(".ts"))
    work = Path(tempfile.mkdtemp(prefix="trunkshow-video-"))

    first, card_ready, mp4, base = [], [], [], []
    for run in range(RUNS):
        name = f"Lin {run}"
        t0 = time.perf_counter()
        entries = [
            PlaylistEntry(str(intro.path.with_suffix(".ts")), 3.2),
            PlaylistEntry("card.ts", 2.667),
        ]
        hls_playlist(entries)
        assert intro.path.with_suffix(".ts").exists()
        first.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        card = work / f"card-{run}.mp4"
        encode_segment(
            card, card_frames(name=name, title="环球旅行家", subtitle="设计师给你的话", seconds=2.5)
        )
        to_mpegts(card, card.with_suffix(".ts"))
        card_ready.append(time.perf_counter() - t0)
        stitch_mp4([shared[0], card, *shared[1:]], work / f"message-{run}.mp4")
        mp4.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        drawn = list(
            card_frames(name=name, title="环球旅行家", subtitle="设计师给你的话", seconds=2.5)
        )
        naive(shared, drawn, work / f"naive-{run}.mp4")
        base.append(time.perf_counter() - t0)

    length = probe(work / "message-0.mp4").seconds
    p_first, p_card, p_mp4, p_base = (statistics.median(x) for x in (first, card_ready, mp4, base))
    print(f"composition: {length:.2f} s of video, 720x1280 at 30 fps, {len(shared) + 1} segments")
    print(f"first playable (playlist + cached first segment)  {p_first * 1000:9.3f} ms")
    print(
        f"card ready for HLS                                {p_card * 1000:9.1f} ms  (intro lasts {intro_seconds(intro.path):.2f} s: {'no stall' if p_card < intro_seconds(intro.path) else 'STALL'})"
    )
    print(f"finished MP4 (card + stitch)                      {p_mp4 * 1000:9.1f} ms")
    print(f"baseline: naive full re-encode                    {p_base * 1000:9.1f} ms")
    print(
        f"ratio first playable vs baseline  {p_base / p_first:10.0f}x  (goal >= 100x: {'met' if p_base / p_first >= 100 else 'MISSED'})"
    )
    print(
        f"ratio MP4 vs baseline             {p_base / p_mp4:10.1f}x  (goal >= 10x: {'met' if p_base / p_mp4 >= 10 else 'MISSED'})"
    )
    print(f"renders per minute per core       {60 / p_mp4:10.1f}    (encoder runs single-threaded)")


def intro_seconds(path: Path) -> float:
    return probe(path).seconds


if __name__ == "__main__":
    main()
