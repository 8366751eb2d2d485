import os

from trunkshow.common.lean_imports import defer_django_test

defer_django_test()  # before django-ninja loads

from django.core.wsgi import get_wsgi_application  # noqa: E402

from trunkshow.common.asgi_body import largest_body  # noqa: E402
from trunkshow.common.early_refusal import with_early_refusal_wsgi  # noqa: E402
from trunkshow.common.wsgi_body import with_streamed_bodies  # noqa: E402
from trunkshow.video.card_segments import with_card_segments_wsgi  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")


# Outermost: a client past its API limits is refused before anything reads its body.
# Then players' card segments: on campaign day they are most of the requests.
application = with_early_refusal_wsgi(
    with_card_segments_wsgi(with_streamed_bodies(get_wsgi_application(), limit=largest_body))
)
