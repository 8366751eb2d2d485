"""Django settings for Trunk Show.

Configured only by the environment so the same code runs a laptop demo and a
campaign-day cluster. See README.md for every variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from trunkshow.settings_env import env_bool, env_list

# Lets admin classes be written ModelAdmin[Model] for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# An empty TRUNKSHOW_VAR_DIR means the default too, never the current folder
# (the secret key and the database would land in the checkout).
VAR_DIR = Path(os.environ.get("TRUNKSHOW_VAR_DIR") or BASE_DIR / "var")


def _secret_key() -> str:
    """Return SECRET_KEY, generating one under var/ on first start.

    A key in the repository would be a key every deployment shares, so none is
    committed; one generated per machine keeps sessions valid across restarts.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Behind TLS (HTTPS=true) every cookie is secure and HSTS is on; the local demo
# runs on plain http://127.0.0.1 and must keep working without it.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything the pages use comes from the site itself; inline style attributes
# (a swatch's colour) are the one inline thing allowed. Pictures and videos may
# also be data:/blob: URLs the studio and the player make in the page.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "trunkshow.common",
    "trunkshow.analytics",
    "trunkshow.catalog",
    "trunkshow.inventory",
    "trunkshow.video",
    "trunkshow.quiz",
    "trunkshow.studio",
    "trunkshow.commerce",
    "trunkshow.atelier",
    "trunkshow.campaigns",
    "trunkshow.storefront",
    "trunkshow.privacy",
    "trunkshow.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The API's rate limits, before any other work (trunkshow/common/ratelimits.py).
    "trunkshow.common.ratelimits.ApiRateLimitMiddleware",
    "trunkshow.common.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "trunkshow.common.middleware.ApiLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "trunkshow.common.middleware.MarketMiddleware",
    # The anonymous visitor's id (cookie ts_vid / X-Visitor-Id): analytics and privacy requests.
    "trunkshow.common.visitors.VisitorMiddleware",
    # After the language is known (a page's 429 is in its language); before any view.
    "trunkshow.common.http_hygiene.HttpHygieneMiddleware",
    "trunkshow.common.ratelimits.RateLimitMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trunkshow.urls"
WSGI_APPLICATION = "trunkshow.wsgi.application"
ASGI_APPLICATION = "trunkshow.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trunkshow.common.context_processors.market",
                "trunkshow.storefront.context_processors.bag",
                "trunkshow.privacy.context_processors.consent",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite is the embedded default. WAL lets readers go on while one writer
# writes; IMMEDIATE makes every transaction take the write lock at BEGIN, so
# two writers queue on the busy timeout instead of failing with "database is
# locked" halfway through a read-then-write (a checkout reads the cart, then
# writes the order). synchronous=NORMAL is durable in WAL mode up to the last
# checkpointed commit on power loss, never corrupt. Services write with
# transaction.atomic() alone; trunkshow/common/sqlite says how writers queue.
VAR_DIR.mkdir(parents=True, exist_ok=True)
_default_sqlite = f"sqlite:///{VAR_DIR / 'trunkshow.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_sqlite,
        # Persistent per-thread connections, SQLite included: opening one and
        # running its PRAGMAs costs more than a quiz result's own queries.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with one process's writers taking turns (see there).
    DATABASES["default"]["ENGINE"] = "trunkshow.common.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for the write lock before "database is locked".
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
    }
    # The test database lives in memory shared across threads; a file keeps
    # the browser tests' live server and the test on one database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Campaign day: each web process keeps a pool of connections (psycopg 3's
    # pool, Django's OPTIONS["pool"]) instead of one per thread, so hundreds of
    # processes fit under max_connections. DATABASE_POOL=false with PgBouncer in
    # transaction mode in front instead: then no persistent connection and no
    # server-side cursors (a cursor cannot outlive PgBouncer's transaction).
    if env_bool("DATABASE_POOL", True):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses pool + persistent
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
            # Room for WEB_SYNC_CONCURRENCY requests plus the event streams' reads.
            "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "20")),
            # Seconds a request waits for a free connection before it fails
            # (a 503 with Retry-After, never a hung request).
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "5")),
        }
        # With a pool, CONN_HEALTH_CHECKS (on above) makes Django check each
        # connection as it leaves the pool: one the server dropped (restart,
        # failover) is replaced there, not found by a request's error.
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and rate limits -------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "trunkshow",
        }
    }
    CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": "trunkshow-rl"}
    # Sessions read from Redis, written through to the database, so a Redis
    # restart on campaign day signs nobody out and empties no bag.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Rate-limit counts must be one count for every web process on the
        # machine, and exact: diskcache keeps them in SQLite files of their own
        # under var/ (so they never take the shop database's write lock), and
        # its add and incr are atomic transactions across processes. Django's
        # file and database caches read then write, so concurrent requests
        # could each see the count below the limit.
        "ratelimit": {
            "BACKEND": "trunkshow.common.ratelimit_cache.RateLimitCache",
            "LOCATION": str(
                Path(os.environ.get("RATELIMIT_CACHE_DIR") or VAR_DIR / "cache" / "ratelimit")
            ),
            "SHARDS": 4,
            # Seconds one shard's lock is waited for before retrying; a count
            # (add, incr) retries until it lands, a read gives up and counts.
            "DATABASE_TIMEOUT": 0.05,
            "OPTIONS": {"size_limit": 2**28},
        },
    }
RATELIMIT_USE_CACHE = "ratelimit"
# Off only for a test or a load test that measures the server, never the limits.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# Addresses of the reverse proxies in front of the app (comma-separated). Only
# a request whose peer is one of them has its client read from
# X-Forwarded-For (the first hop from the right that is not a proxy).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")


# --- Background jobs ---------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "orders", "previews", "video"],
        # Time-ordered job ids (UUIDv7): a new job row lands beside the last
        # in the key index instead of on a random page.
        "OPTIONS": {"id_function": "trunkshow.common.ids.sortable_uuid"},
    }
}
# Which queues each kind of worker started by `manage.py serve` serves, and
# how many of it. Payments, orders, work orders and e-mails ("orders",
# "default") have a worker of their own, so a backlog of video renders or
# design previews can never delay them; renders take JOB_WORKERS processes,
# one per core by default (a render is single-threaded), and `manage.py serve`
# runs them at a lower CPU priority, so the web and the orders worker come
# first when every core is busy rendering.
JOB_QUEUE_WORKERS = {
    "orders,default": 1,
    "previews": 1,
    "video": max(1, int(os.environ.get("JOB_WORKERS", str(os.cpu_count() or 1)))),
}
# Jobs a retry can redo that come in floods on campaign day (video renders,
# design previews, e-mails) go to RQ on Redis when REDIS_URL is set, through
# django-tasks-rq; trunkshow.common.jobs.enqueue_bulk sends them to
# BULK_TASKS_BACKEND. Jobs that must commit with an order (a payment's
# follow-up, work orders, kits) stay on the database queue above: only it
# joins the order's transaction.
BULK_TASKS_BACKEND = "default"
RQ_QUEUES: dict[str, dict[str, object]] = {}
# Like JOB_QUEUE_WORKERS, for RQ workers (`manage.py rqworker`) started by serve.
RQ_QUEUE_WORKERS: dict[str, int] = {}
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    BULK_TASKS_BACKEND = "bulk"
    TASKS["bulk"] = {
        "BACKEND": "django_tasks_rq.RQBackend",
        "QUEUES": ["video", "previews", "emails"],
    }
    RQ_QUEUES = {
        # A render of a long film may take minutes; RQ stops a job past its timeout.
        "video": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900},
        "previews": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 180},
        "emails": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 180},
    }
    # The database worker also takes the periodic video sweeps (queued by
    # serve on the database queue) and any bulk job Redis refused.
    JOB_QUEUE_WORKERS = {"orders,default,video,previews": 1}
    # An RQ worker takes its queues in the order named: e-mails before previews.
    RQ_QUEUE_WORKERS = {
        "emails,previews": 1,
        "video": max(1, int(os.environ.get("JOB_WORKERS", "1"))),
    }
# Enqueued by `manage.py serve` every PERIODIC_TASK_SECONDS (a small cron in
# the supervisor; each task is idempotent, so two servers running it is fine).
PERIODIC_TASKS = [
    "trunkshow.video.tasks.sweep_video_renders",
    "trunkshow.video.tasks.expire_video_messages",
    "trunkshow.commerce.tasks.reconcile_orders",
    "trunkshow.privacy.tasks.sweep_privacy_requests",
    "trunkshow.privacy.tasks.apply_retention",
    "trunkshow.storefront.tasks.rollup_analytics",
]
# Ordinary (sync) requests one web process runs at once under ASGI; the rest wait as
# coroutines (trunkshow/common/asgi_limit.py). With PostgreSQL, the pool's size less
# room for the event streams' reads: a request past it would only wait for a
# connection, then fail.
_pool = DATABASES["default"].get("OPTIONS", {}).get("pool")
WEB_SYNC_CONCURRENCY = int(
    os.environ.get("WEB_SYNC_CONCURRENCY")
    or (max(1, _pool["max_size"] - 4) if isinstance(_pool, dict) else 16)
)
PERIODIC_TASK_SECONDS = float(os.environ.get("PERIODIC_TASK_SECONDS", "60"))


# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed sign-ins (the admin and the workshop) are counted by django-axes in
# the database, so every web process shares one count; a pause follows.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "trunkshow.common.ratelimits.client_ip"
AXES_LOCKOUT_TEMPLATE = "common/signin_paused.html"
AXES_VERBOSE = False

# --- Languages ---------------------------------------------------------------
# Chinese first: it is the default and the fallback when a browser asks for
# a language we do not have.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "trunkshow" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files only staff may see (photos of finished bags) and printable sheets:
# never under MEDIA_ROOT, which is served to anyone.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# SMTP when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Trunk Show <orders@trunkshow.invalid>")
# Links in emails point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Atelier ------------------------------------------------------------------
LOGIN_URL = "atelier-login"

# The shop's own rules (limits, holds, renders, privacy, commerce), apart from
# Django's wiring above.
from trunkshow.settings_shop import *  # noqa: E402, F403
