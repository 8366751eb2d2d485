from django.conf import settings
from django.db import connection


def test_sqlite_runs_in_wal_mode_and_locks_for_writing_at_begin(db):
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_secret_key_is_not_a_placeholder():
    assert len(settings.SECRET_KEY) >= 50
    assert "insecure" not in settings.SECRET_KEY


def test_an_empty_var_dir_setting_keeps_the_secret_key_out_of_the_checkout(tmp_path):
    # Given TRUNKSHOW_VAR_DIR set but empty, when the settings load in a fresh
    # process started elsewhere, then its files go to the default folder, not the cwd
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    shown = subprocess.run(
        [sys.executable, "-c", "from trunkshow import settings; print(settings.VAR_DIR)"],
        cwd=tmp_path, env={**os.environ, "TRUNKSHOW_VAR_DIR": "", "PYTHONPATH": str(root)},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert Path(shown.stdout.strip()) == root / "var"
    assert not any(tmp_path.iterdir())
