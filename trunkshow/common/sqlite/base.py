"""Django's SQLite backend, with a process's writers queueing in turn.

SQLite has one writer at a time. Every transaction here begins IMMEDIATE
(settings.py), so a second writer waits in SQLite's busy handler, which
polls by sleeping 1, 2, 5 ... 100 ms: under a burst of quiz results, threads
of one process slept far past the moment the lock came free (bench/quiz.py,
bench/README.md). Threads of one process therefore take a lock before BEGIN
and hand it on at COMMIT or ROLLBACK, so the next one starts at once; only
writers in other processes still meet the busy handler. This is the one
place it lives: services write `transaction.atomic()` and nothing else.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_writers = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_turn = False

    def _start_transaction_under_autocommit(self) -> None:
        # Waits no longer than SQLite itself would before "database is locked".
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not _writers.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._holds_write_turn = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._pass_write_turn()
            raise

    def _pass_write_turn(self) -> None:
        if self._holds_write_turn:
            self._holds_write_turn = False
            _writers.release()

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._pass_write_turn()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._pass_write_turn()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._pass_write_turn()
