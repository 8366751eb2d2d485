from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keep files written by tests out of the developer's var/media."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root  # type: ignore[attr-defined]
    settings.PRIVATE_ROOT = tmp_path_factory.mktemp("private")  # type: ignore[attr-defined]
    return root


@pytest.fixture(autouse=True)
def fresh_local_caches():
    """Each test sees its own database, never a snapshot cached by the last one."""
    from trunkshow.common.local_cache import clear_local_caches

    clear_local_caches()
    yield
    clear_local_caches()


@pytest.fixture(autouse=True)
def write_behind_off(settings, tmp_path_factory):
    """Tests write in the request unless they ask for the journal (write_behind below):
    a journal outliving its test would store rows into the next one's database."""
    settings.WRITE_BEHIND = False
    settings.WRITE_BEHIND_DIR = str(tmp_path_factory.mktemp("no-journal") / "journal")


@pytest.fixture
def write_behind(settings, tmp_path, transactional_db):
    """Quiz results journaled and stored by a thread, as `make run` serves them on SQLite."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip(
            "the write-behind journal is for SQLite (one machine); PostgreSQL writes at once"
        )
    yield from _journaled(settings, tmp_path)


@pytest.fixture
def writes_as_served(settings, tmp_path, transactional_db):
    """Results stored as `make run` stores them: journaled on SQLite, at once on PostgreSQL."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield None
        return
    yield from _journaled(settings, tmp_path)


def _journaled(settings, tmp_path):
    from trunkshow.common import write_behind as journal

    settings.WRITE_BEHIND = True
    settings.WRITE_BEHIND_DIR = str(tmp_path / "journal")
    yield Path(settings.WRITE_BEHIND_DIR)
    journal.shutdown()
