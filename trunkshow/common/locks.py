"""Transaction-scoped locks on a name, from the database itself.

Counting a client's holds and then writing one is a check-then-insert: two
requests of one client (two carts from one address, two checkouts under one
e-mail) could both count before either writes, and both pass a cap. There is
no row to lock for "this address", so PostgreSQL's advisory locks stand for
it: `pg_advisory_xact_lock` waits for whoever holds the name and lets go at
COMMIT or ROLLBACK by itself. SQLite needs nothing: its transactions begin
IMMEDIATE (settings), so writers already run one at a time.
"""

from __future__ import annotations

import hashlib

from django.db import connection


def _key(name: str) -> int:
    # A signed 64-bit number as pg_advisory_xact_lock(bigint) takes it; stable
    # across processes and Python runs (hash() is salted per process).
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_names(*names: str) -> None:
    """Inside a transaction: hold a lock on each non-empty name until it ends.

    Names are taken in one sorted order, so two transactions that want the
    same names can never each hold one the other waits for."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({_key(name) for name in names if name})
    if not keys:
        return
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
