import os

from django.core.wsgi import get_wsgi_application

from trunkshow.common.asgi_body import largest_body
from trunkshow.common.wsgi_body import with_streamed_bodies
from trunkshow.video.card_segments import with_card_segments_wsgi

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")


# Players' card segments first: on campaign day they are most of the requests.
application = with_card_segments_wsgi(
    with_streamed_bodies(get_wsgi_application(), limit=largest_body)
)
