import os

from django.core.wsgi import get_wsgi_application

from trunkshow.common.asgi_body import largest_body
from trunkshow.common.wsgi_body import with_streamed_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")


application = with_streamed_bodies(get_wsgi_application(), limit=largest_body)
