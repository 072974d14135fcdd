"""Settings for Policy Timeline, read from the environment.

Every knob is an environment variable with a development default. The helpers
below raise ImproperlyConfigured on a value they cannot read, so a typo in a
deployment fails at start-up instead of quietly running with a default.
"""

import datetime
import os
import zoneinfo
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}")


def env_int(name, default, minimum=0):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_choice(name, default, choices):
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, not {value!r}")
    return value


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# The development key only ever works with DEBUG on; a production process
# without its own key refuses to start rather than sign cookies with a known one.
_DEVELOPMENT_SECRET_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEVELOPMENT_SECRET_KEY
elif SECRET_KEY == _DEVELOPMENT_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY is the public development key; set a secret one.")
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "timeline.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "django_htmx",
    "template_partials",
    "reversion",
    "csp",
    "axes",
    # The admin's spreadsheet import of events (timeline/imports.py).
    "import_export",
    # For its Swagger UI files, served from here (see timeline/api.py).
    "ninja",
    # `manage.py bench` and `bench_data`: the benchmark, outside the site's own app.
    "benchmark",
    "timeline",
]

# The page indexes carry the cards' columns (INCLUDE) so PostgreSQL walks the
# index alone (timeline/models.py); SQLite builds them without those columns,
# which is all the warning says, on every command of the embedded default.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "timeline.api.allow_any_origin",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's documented place); the
    # language comes from the switcher's cookie, else Accept-Language (timeline/i18n.py).
    "timeline.i18n.ReaderLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "timeline.replica.route_reads",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Editors saving at the same moment on the embedded default (measured: 10
    # editors, 40-45 of 50 saves were a 500 "database is locked"; now none).
    DATABASES["default"]["OPTIONS"] = {
        # A transaction takes the write lock when it begins. SQLite's default
        # starts it read-only, and a save that then writes while another holds
        # the lock fails at once: waiting there could deadlock, so SQLite does not.
        "transaction_mode": "IMMEDIATE",
        # How long a write waits for the others' locks: well past a queue of a
        # newsroom's saves, well inside gunicorn's 30 s worker timeout.
        "timeout": 20,
        # Readers never wait for a writer, nor a writer for readers. The default
        # synchronous=FULL stays: a saved edit survives a power cut.
        "init_command": "PRAGMA journal_mode=WAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
# A read replica (PostgreSQL streaming replication, or a pool of replicas
# behind one address): readers' requests read it, editors and writes use
# the primary (timeline/replica.py). Never created, migrated or flushed by
# the tests: it mirrors the primary's test database by replication.
if DATABASE_REPLICA_URL := env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
    if not DATABASES["default"]["ENGINE"] == DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL, for it and for DATABASE_URL.")
    # A replica that does not answer costs a reader this long before the primary serves them.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
DATABASE_ROUTERS = ["timeline.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory keeps 300 entries by default, then drops a third of them, the
# least recently read: each page of new filters puts 25 cards and a view's
# counts in it, so a busy worker turned 300 over within seconds, taking with
# it what is slow to compute again (the measures view: 0.3 s at 1,000,000
# events). Served bench at a million events, local memory: the measures
# page's p99 1.4 s and 43 requests/s with 300 entries, 38 ms and 110 with 3,000.
CACHE_MAX_ENTRIES = env_int("CACHE_MAX_ENTRIES", 3000, minimum=1)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES}}}
# How long a filtered view's facet counts and a card's HTML stay cached. Their
# keys carry the data version (timeline/changes.py), so an edit shows at once
# in every process whatever the cache; this only bounds what the cache keeps.
FACET_CACHE_SECONDS = env_int("FACET_CACHE_SECONDS", 60)
# Where the facet index's snapshots are written and memory-mapped from by every
# app process (timeline/facet_index.py); a folder per database inside it.
FACET_INDEX_DIR = env_str("FACET_INDEX_DIR", str(BASE_DIR / "facet-index"))
# Events edited since the snapshot beyond which a process starts writing a new one.
FACET_DELTA_LIMIT = env_int("FACET_DELTA_LIMIT", 2000, minimum=1)
# Public downloads (/export.csv, /export.json) one app process streams at
# once; another is answered 503 with Retry-After. Keep it below gunicorn's
# threads (config/gunicorn.conf.py) so readers always find a free thread.
DOWNLOADS_PER_PROCESS = env_int("DOWNLOADS_PER_PROCESS", 2, minimum=1)
# Whether a process writes the export lines an edit deleted, in a thread, after its commit
# (timeline/export_lines.py); off, they wait for `manage.py fill_export_lines` and
# downloads compute the missing ones meanwhile.
EXPORT_LINES_REFILL = env_bool("EXPORT_LINES_REFILL", True)

# Releases of the dataset (/data/releases/): files written once and never
# changed, under RELEASES_ROOT. Keep it on storage every app server reads, and in backups.
RELEASES_ROOT = Path(env_str("RELEASES_ROOT") or BASE_DIR / "media" / "releases")
# The site's public address, for what is written without a request: the event
# addresses in a release cut by `manage.py cut_release` (from cron).
SITE_URL = env_str("SITE_URL").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must be an http(s) address such as https://timeline.example.org, not {SITE_URL!r}")
if REDIS_URL := env_str("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The readers' pages in English, French or German: the language a reader picked
# with the switcher (a cookie), else the browser's Accept-Language, else
# English. The URLs stay the same in every language. The admin stays in
# English (timeline/i18n.py). Catalogs: locale/<lang>/LC_MESSAGES/django.po.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A year: a reader's choice should outlive a browsing session.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_choice("TIME_ZONE", "UTC", zoneinfo.available_timezones() | {"UTC"})
USE_I18N = True
USE_TZ = True
# ISO 8601 dates in the admin (config/formats/en/formats.py); each language's
# formats for readers' dates are beside it (READER_* in config/formats/<lang>/).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Text search configuration on PostgreSQL: English stemming after removing
# accents (NUKIB finds NÚKIB), created by migration 0010.
SEARCH_CONFIG = "timeline_english"

# The EU is a bloc, not an ISO 3166 country; "EU" is its exceptionally
# reserved ISO code, so it sits in the same list editors pick countries from.
COUNTRIES_OVERRIDE = {"EU": gettext_lazy("European Union")}

# Security. HTTPS is on by default in production; `make run` switches it off
# because it serves plain HTTP on loopback.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Repeated failed logins for one username from one address lock that pair
# out for a while; the lockout page says how long.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Behind a proxy the client's address is in X-Forwarded-For; trusting it
# elsewhere would let anyone pick the address they are locked out as.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if BEHIND_PROXY else ["REMOTE_ADDR"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "WARNING", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})},
}
