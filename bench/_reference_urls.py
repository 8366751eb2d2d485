"""The site's URLs with the reference endpoint on the quiz's own router (bench only)."""

from bench import _reference  # noqa: F401 - adds the route before the API builds its URLs
from trunkshow.urls import urlpatterns  # noqa: F401
