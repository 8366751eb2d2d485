"""Tell every web process that a stream changed: one Redis publish after the commit.

Apart from the watch (stream_fanout) so the services that pin and unpin can
announce without importing the watch, which reads through those services.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

CHANNEL = "trunkshow:stream-changed:"

_publisher: redis.Redis | None = None


def announce_change(stream_id: int) -> None:
    """Tell every web process that the stream changed (after the commit; no-op without Redis)."""
    global _publisher
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return
    import redis  # only where REDIS_URL is set: the client is 17 MiB in every web process

    try:
        if _publisher is None:
            _publisher = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        _publisher.publish(f"{CHANNEL}{stream_id}", b"")
    except redis.RedisError:
        # The pin is committed; viewers see it at their next look at the database.
        log.warning("Could not announce a change of stream %s", stream_id, exc_info=True)
