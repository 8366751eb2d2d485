"""The site's settings plus the bench's reference endpoint (bench/_reference.py).

Only bench/scale.py starts a server with these (DJANGO_SETTINGS_MODULE=
bench._reference_settings); production settings never name the endpoint's
module, so it cannot be reached there.
"""

from trunkshow.settings import *  # noqa: F403

ROOT_URLCONF = "bench._reference_urls"
