import os

from django.core.wsgi import get_wsgi_application

from trunkshow.common.asgi_body import largest_body
from trunkshow.common.early_refusal import with_early_refusal_wsgi
from trunkshow.common.wsgi_body import with_streamed_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")


# Outermost: a client past its API limits is refused before anything reads its body.
application = with_early_refusal_wsgi(
    with_streamed_bodies(get_wsgi_application(), limit=largest_body)
)
