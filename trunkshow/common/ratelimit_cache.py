"""The rate-limit counts' store when there is no Redis: diskcache's Django cache.

diskcache keeps the counts in SQLite files of their own under var/ (never the
shop database's write lock), and its add and incr are transactions, so every
web process on the machine counts exactly. This class only keeps its
connections open: Django closes every cache when a request finishes, and
diskcache's close() drops its SQLite connections, so each request would
reconnect and re-run its PRAGMAs, which was most of what a refused request
cost. Connections are per thread, and diskcache reconnects after a fork.
"""

from __future__ import annotations

from typing import Any

from diskcache import DjangoCache


class RateLimitCache(DjangoCache):  # type: ignore[misc]
    def close(self, **kwargs: Any) -> None:
        """Kept open across requests (see the module's text)."""
