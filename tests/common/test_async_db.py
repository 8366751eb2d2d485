import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from trunkshow.common import async_db


def awaited(fn, **kwargs):
    """Await `fn(**kwargs)` on a loop of its own, in a thread of its own (a browser test
    earlier in the run may have left the main thread's loop running)."""
    import asyncio

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, fn(**kwargs)).result()


def test_a_read_from_async_code_runs_off_the_loop_and_hands_its_connection_back(monkeypatch):
    # Given a read that notes the thread it ran on, and a record of connection clean-ups
    cleaned_on: list[int] = []
    monkeypatch.setattr(
        async_db, "close_old_connections", lambda: cleaned_on.append(threading.get_ident())
    )

    def read(*, n: int) -> tuple[int, int]:
        return n * 2, threading.get_ident()

    # When async code awaits it
    value, ran_on = awaited(async_db.db_read_async(read), n=21)
    # Then it answers, on an executor thread, which then gave its connection back
    # (a pooled connection kept by an executor thread starves the requests)
    assert value == 42
    assert ran_on not in (threading.get_ident(), None)
    assert cleaned_on == [ran_on]


def test_a_failed_read_still_hands_its_connection_back(monkeypatch):
    cleaned: list[bool] = []
    monkeypatch.setattr(async_db, "close_old_connections", lambda: cleaned.append(True))

    def broken() -> None:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        awaited(async_db.db_read_async(broken))
    assert cleaned == [True]
