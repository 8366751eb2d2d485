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
