"""The shop's own rules, configured by the environment: rate limits, holds,
analytics, personal video renders, privacy, the workshop and commerce.

Star-imported at the end of trunkshow/settings.py, which keeps Django's wiring
(database, cache, apps, jobs); README.md lists every variable.
"""

from __future__ import annotations

import os

from trunkshow.settings_env import env_bool

# Requests per minute: "per_address" counts one client address (sized for a
# carrier's shared address in China, far beyond one household), "per_client"
# counts one cart or one browser session. "per_address_burst" (per second) is
# for the costly writes: one address's minute of allowance, spent in its first
# second by a flood, would fill every worker at once; spread out, the server's
# other clients keep their turns. trunkshow/common/ratelimits.py maps each
# write and costly read to a row; README.md lists them.
RATE_LIMITS = {
    "cart-create": {"per_address": "300/m", "per_client": "10/m", "per_address_burst": "10/s"},
    "cart-write": {"per_address": "1200/m", "per_client": "60/m"},
    "checkout": {"per_address": "300/m", "per_client": "10/m", "per_address_burst": "10/s"},
    "quiz-result": {"per_address": "300/m", "per_client": "20/m", "per_address_burst": "10/s"},
    "design": {"per_address": "600/m", "per_client": "60/m", "per_address_burst": "20/s"},
    "paint": {"per_address": "1200/m", "per_client": "120/m"},
    "privacy": {"per_address": "60/m", "per_client": "5/m"},
    "login": {"per_address": "60/m", "per_client": "20/m"},
    "api-read": {"per_address": "3000/m", "per_client": "600/m"},
    "beacon": {"per_address": "3000/m", "per_client": "240/m"},
}
for _name in RATE_LIMITS:
    # RATE_LIMIT_CART_CREATE_PER_ADDRESS=600/m and the like override one figure.
    for _scope in ("per_address", "per_client", "per_address_burst"):
        _var = f"RATE_LIMIT_{_name.upper().replace('-', '_')}_{_scope.upper()}"
        if os.environ.get(_var):
            RATE_LIMITS[_name][_scope] = os.environ[_var]

# --- Analytics (trunkshow/analytics) ------------------------------------------
# Off: no event is recorded from any request (bench/analytics.py compares the two).
ANALYTICS_ENABLED = env_bool("ANALYTICS_ENABLED", True)
# Paid amounts are also kept in this currency, at the ExchangeRate rows' rates.
ANALYTICS_REPORTING_CURRENCY = os.environ.get("ANALYTICS_REPORTING_CURRENCY", "USD")

# --- Holds: one client cannot keep the shelf (trunkshow/commerce/holds.py) -----
# Counted over live holds (unexpired, cart not yet ordered); past one: 409 hold_limit.
HOLD_MAX_UNITS_PER_CART = int(os.environ.get("HOLD_MAX_UNITS_PER_CART", "10"))
HOLD_MAX_CARTS_PER_SESSION = int(os.environ.get("HOLD_MAX_CARTS_PER_SESSION", "2"))
# Per e-mail (a cart takes the e-mail given at its checkout): open carts with holds
# and unpaid orders together, whatever address or session each cart came from.
HOLD_MAX_CARTS_PER_EMAIL = int(os.environ.get("HOLD_MAX_CARTS_PER_EMAIL", "2"))
HOLD_MAX_UNITS_PER_EMAIL = int(os.environ.get("HOLD_MAX_UNITS_PER_EMAIL", "20"))
# One client address may be a carrier's gateway for many shoppers: sized for that.
HOLD_MAX_CARTS_PER_ADDRESS = int(os.environ.get("HOLD_MAX_CARTS_PER_ADDRESS", "40"))
HOLD_MAX_UNITS_PER_ADDRESS = int(os.environ.get("HOLD_MAX_UNITS_PER_ADDRESS", "80"))
# Share of one SKU's shelf (on hand - allocated) one address may hold, and the
# units it may always hold whatever the shelf.
HOLD_MAX_SKU_SHARE_PER_ADDRESS = float(os.environ.get("HOLD_MAX_SKU_SHARE_PER_ADDRESS", "0.25"))
HOLD_MIN_SKU_UNITS_PER_ADDRESS = int(os.environ.get("HOLD_MIN_SKU_UNITS_PER_ADDRESS", "3"))

# Seconds a process may show a catalog or quiz snapshot after an edit.
CATALOG_CACHE_SECONDS = float(os.environ.get("CATALOG_CACHE_SECONDS", "10"))

# Personal video renders per client (address, and session when there is one)
# per window; past it a result still answers, with the nameless card that
# shoppers with the same picks share (video.status "limited").
VIDEO_RENDER_LIMIT = int(os.environ.get("VIDEO_RENDER_LIMIT", "20"))
VIDEO_RENDER_LIMIT_SECONDS = int(os.environ.get("VIDEO_RENDER_LIMIT_SECONDS", "3600"))
# A render's lease: past it, a render whose worker died (kill -9, OOM) is
# taken over by the next sweep. Longer than any render (bench/video.py).
VIDEO_RENDER_LEASE_SECONDS = float(os.environ.get("VIDEO_RENDER_LEASE_SECONDS", "120"))
# A render still queued after this long is asked for again by the sweep (its
# RQ job may have been lost with a Redis restarted empty).
VIDEO_RENDER_STALE_SECONDS = float(os.environ.get("VIDEO_RENDER_STALE_SECONDS", "300"))
# Personal videos of results nobody bought from or opened for this many days
# are removed by the periodic sweep (the privacy retention reuses it).
VIDEO_RETENTION_DAYS = float(os.environ.get("VIDEO_RETENTION_DAYS", "30"))

# --- Privacy requests (trunkshow/privacy) -------------------------------------
# How long an e-mailed export/erase link works (a day), and how often one
# e-mail address may ask (the address is counted, known or not).
PRIVACY_LINK_SECONDS = int(os.environ.get("PRIVACY_LINK_SECONDS", str(24 * 3600)))
PRIVACY_EMAIL_RATE = os.environ.get("PRIVACY_EMAIL_RATE", "5/h")
# Open carts, quiz results of visitors who never ordered (with their videos)
# and designs in no cart or order are removed after this many days
# (trunkshow/privacy/retention.py; README lists it).
PERSONAL_DATA_RETENTION_DAYS = float(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "180"))

# --- Atelier ------------------------------------------------------------------
# The workshop plans its days in its own time zone.
ATELIER_TIME_ZONE = os.environ.get("ATELIER_TIME_ZONE", "Asia/Shanghai")
# A phone photo of a finished bag is 2-8 MB; anything past this is not a photo.
ATELIER_PHOTO_MAX_BYTES = int(os.environ.get("ATELIER_PHOTO_MAX_BYTES", str(12 * 1024 * 1024)))

# --- Commerce -----------------------------------------------------------------
RESERVATION_MINUTES = float(os.environ.get("RESERVATION_MINUTES", "15"))
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "trunkshow.commerce.payments.SandboxProvider")
# Empty: derived from SECRET_KEY (see commerce.payments.webhook_secret).
SANDBOX_WEBHOOK_SECRET = os.environ.get("SANDBOX_WEBHOOK_SECRET", "")
