"""Load the demo designer's clips: drawn, scored and encoded once, then reused."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from trunkshow.demo.catalog_data import COLOURS, PRODUCTS
from trunkshow.demo.media import intro_frames, music_bed, outro_frames, product_frames
from trunkshow.engines.video.encode import encode_segment
from trunkshow.engines.video.house import HOUSE
from trunkshow.video import files
from trunkshow.video.models import DesignerClip
from trunkshow.video.services import clip_store_rendered

DEMO_QUIZ = Path(__file__).resolve().parent / "quizzes" / "ask-the-designer.yaml"
# Bump when the drawings change, so the next load draws them again.
CLIPS_VERSION = "1"
PROFILE_COLOURS = {
    "city-explorer": "#1F3A5F",
    "jet-setter": "#3D6CB3",
    "weekend-wanderer": "#2E5E4E",
    "gallery-opener": "#7A4B94",
    "evening-icon": "#B3261E",
}
OUTRO_TEXT = {
    "en": "Tap a bag to make it yours, or paint one of your own in the studio.",
    "zh-Hans": "点一下，把它带回家；或者去工作室，亲手画一只属于你的包。",
}


def _cache_dir() -> Path:
    """Encoded demo clips kept outside the media folder, so a fresh shop (a reset
    database, each test) copies them instead of encoding them again."""
    path = Path(settings.VAR_DIR) / "cache" / "demo-clips"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _encoded(spec: str, frames_factory, frames: int, chord: int) -> Path:  # type: ignore[no-untyped-def]
    name = hashlib.sha256(f"{CLIPS_VERSION}:{spec}:{HOUSE}".encode()).hexdigest()[:32]
    path = files.clip_dir() / f"demo-{name}.mp4"
    if not path.exists():
        cached = _cache_dir() / path.name
        if not cached.exists():
            encode_segment(cached, frames_factory(), audio=music_bed(frames, chord))
        partial = path.with_name(path.name + ".part")
        shutil.copyfile(cached, partial)
        partial.replace(path)
    return path


def _present(kind: str, profile_key: str, product_slug: str, path: Path) -> bool:
    clip = DesignerClip.objects.filter(
        kind=kind, profile_key=profile_key, product_slug=product_slug,
        status=DesignerClip.Status.READY, segment=files.relative(path),
    ).first()  # fmt: skip
    return clip is not None and (files.media_root() / (clip.stream.name or "")).exists()


@dataclass(frozen=True)
class DemoClip:
    kind: str
    profile_key: str
    product_slug: str
    path: Path
    subtitles: dict[str, str]


def encode_demo_clips() -> list[DemoClip]:
    """Draw and encode every demo clip that is not on disk yet (no database needed)."""
    clips: list[DemoClip] = []
    quiz = yaml.safe_load(DEMO_QUIZ.read_text(encoding="utf-8"))
    intro_count = HOUSE.frames_for(3.2)
    for chord, profile in enumerate(quiz["profiles"]):
        colour = PROFILE_COLOURS.get(profile["key"], "#1F3A5F")
        path = _encoded(
            f"intro:{profile['key']}:{colour}",
            lambda colour=colour: intro_frames(colour, intro_count),
            intro_count,
            chord,
        )
        clips.append(DemoClip("intro", profile["key"], "", path, dict(profile["description"])))
    product_count = HOUSE.frames_for(2.1)
    for index, product in enumerate(PRODUCTS):
        colour = COLOURS[product["colours"][0]][0]
        path = _encoded(
            f"product:{product['slug']}:{colour}",
            lambda p=product, c=colour: product_frames(p["silhouette"], c, product_count),
            product_count,
            index,
        )
        # Chinese sets its colon full-width, with no space after it.
        subtitles = {
            loc: f"{title}：{text}" if loc.startswith("zh") else f"{title}: {text}"
            for loc, (title, text) in product["text"].items()
        }
        clips.append(DemoClip("product", "", product["slug"], path, subtitles))
    outro_count = HOUSE.frames_for(2.1)
    path = _encoded("outro", lambda: outro_frames(outro_count), outro_count, 1)
    clips.append(DemoClip("outro", "", "", path, dict(OUTRO_TEXT)))
    return clips


def load_demo_clips() -> int:
    """Make sure every demo clip exists and is registered; return how many were (re)registered."""
    made = 0
    for clip in encode_demo_clips():
        if not _present(clip.kind, clip.profile_key, clip.product_slug, clip.path):
            clip_store_rendered(
                kind=clip.kind, profile_key=clip.profile_key, product_slug=clip.product_slug,
                segment=clip.path, subtitles=clip.subtitles,
            )  # fmt: skip
            made += 1
    return made
