"""The application `manage.py serve` runs (Granian, ASGI): async views wait without a thread."""

import os

from django.core.asgi import get_asgi_application

from trunkshow.common.asgi_body import largest_body, with_body_limit
from trunkshow.common.asgi_limit import sync_request_limit, with_sync_limit
from trunkshow.common.early_refusal import with_early_refusal_asgi

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")
# Outermost: a client past its API limits is refused without a turn of the sync slots.
application = with_early_refusal_asgi(
    with_sync_limit(
        with_body_limit(get_asgi_application(), limit=largest_body), limit=sync_request_limit
    )
)
