"""A small per-process cache for read-mostly data (catalog snapshots, quiz definitions).

Django's cache would pickle thousands of objects on every hit; these values
are read on every quiz result, so they stay as live objects in the process,
each for a bounded time. Every process converges within `seconds` of an
edit; prices and stock that must be exact are read live at checkout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_entries: dict[Hashable, tuple[float, Any]] = {}
_SWEEP_ABOVE = 4096


def cached(key: Hashable, seconds: float, build: Callable[[], T]) -> T:
    """Return the value under `key`, building it when missing or older than `seconds`."""
    if seconds <= 0:
        return build()
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] > now:
        value: T = entry[1]
        return value
    value = build()
    with _lock:
        _entries[key] = (now + seconds, value)
        if len(_entries) > _SWEEP_ABOVE:
            # Keys built from shoppers' answers come and go: drop the expired.
            for stale in [k for k, (expires, _v) in _entries.items() if expires <= now]:
                del _entries[stale]
    return value


def cached_from(key: Hashable, seconds: float, source: object, build: Callable[[], T]) -> T:
    """Like cached(), but only while `source` (a snapshot another cache holds) is the same
    object it was built from: a new snapshot makes a new value at once."""
    built_from, value = cached(key, seconds, lambda: (source, build()))
    if built_from is not source:
        forget(key)
        built_from, value = cached(key, seconds, lambda: (source, build()))
    return value


def clear_local_caches() -> None:
    with _lock:
        _entries.clear()


def forget(key: Hashable) -> None:
    """Drop one entry in this process (other processes converge within their TTL)."""
    with _lock:
        _entries.pop(key, None)
