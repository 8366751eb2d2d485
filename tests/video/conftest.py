from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import override_settings

from tests.quiz.conftest import demo_quiz, shop  # noqa: F401 - shared fixtures


@pytest.fixture(scope="session")
def demo_clip_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Draw and encode the demo clips once per test run (they take seconds)."""
    from trunkshow.demo.clips import encode_demo_clips

    root = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=root):
        encode_demo_clips()
    return root / "video" / "clips"


@pytest.fixture
def demo_clips(db, settings, demo_clip_folder):
    """Register the demo clips in this test's database and media folder."""
    from trunkshow.demo.clips import load_demo_clips
    from trunkshow.video.models import DesignerClip

    target = Path(settings.MEDIA_ROOT) / "video" / "clips"
    shutil.copytree(demo_clip_folder, target, dirs_exist_ok=True)
    load_demo_clips()
    return DesignerClip.objects.filter(status="ready")
