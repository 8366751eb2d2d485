import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from trunkshow.common.wsgi_body import with_streamed_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")


def _largest_body(path: str) -> int:
    """The most a view at `path` takes: the API's JSON, or a workshop photo with its form."""
    if path.startswith("/api/"):
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return max(int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), int(settings.ATELIER_PHOTO_MAX_BYTES)) + (
        256 * 1024
    )


application = with_streamed_bodies(get_wsgi_application(), limit=_largest_body)
