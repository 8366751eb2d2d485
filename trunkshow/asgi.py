"""The application `manage.py serve` runs (Granian, ASGI): async views wait without a thread."""

import os

from trunkshow.common.lean_imports import defer_django_test

defer_django_test()  # before django-ninja loads

from django.core.asgi import get_asgi_application  # noqa: E402

from trunkshow.common.asgi_body import largest_body, with_body_limit  # noqa: E402
from trunkshow.common.asgi_limit import sync_request_limit, with_sync_limit  # noqa: E402
from trunkshow.common.early_refusal import with_early_refusal_asgi  # noqa: E402
from trunkshow.video.card_segments import with_card_segments_asgi  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")
# Outermost: a client past its API limits is refused without a turn of the sync slots.
# Then players' card segments: on campaign day they are most of the requests,
# and a file read needs neither Django nor one of its threads.
application = with_early_refusal_asgi(
    with_card_segments_asgi(
        with_sync_limit(
            with_body_limit(get_asgi_application(), limit=largest_body), limit=sync_request_limit
        )
    )
)
