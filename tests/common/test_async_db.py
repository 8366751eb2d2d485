import threading

import pytest
from asgiref.sync import async_to_sync

from trunkshow.common import async_db


def test_a_read_from_async_code_runs_off_the_loop_and_hands_its_connection_back(monkeypatch):
    # Given a read that notes the thread it ran on, and a record of connection clean-ups
    cleaned_on: list[int] = []
    monkeypatch.setattr(
        async_db, "close_old_connections", lambda: cleaned_on.append(threading.get_ident())
    )

    def read(*, n: int) -> tuple[int, int]:
        return n * 2, threading.get_ident()

    # When async code awaits it
    value, ran_on = async_to_sync(async_db.db_read_async(read))(n=21)
    # Then it answers, on an executor thread, which then gave its connection back
    # (a pooled connection kept by an executor thread starves the requests)
    assert value == 42
    assert ran_on != threading.get_ident()
    assert cleaned_on == [ran_on]


def test_a_failed_read_still_hands_its_connection_back(monkeypatch):
    cleaned: list[bool] = []
    monkeypatch.setattr(async_db, "close_old_connections", lambda: cleaned.append(True))

    def broken() -> None:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        async_to_sync(async_db.db_read_async(broken))()
    assert cleaned == [True]
