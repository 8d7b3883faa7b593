"""Observatoire settings: one file, configured by environment variables (see README)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A development key is only acceptable while DEBUG is on: production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and (
    SECRET_KEY == DEVELOPMENT_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value (50 characters or more) when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "observatoire.core",
    "observatoire.accounts",
    "observatoire.referentials",
    "observatoire.organizations",
    "observatoire.deduplication",
    "observatoire.referencing",
    "observatoire.imports",
    "observatoire.groups",
    "observatoire.events",
    "observatoire.surveys",
    "observatoire.support",
    "observatoire.partnerships",
    "observatoire.projects",
    "observatoire.finance",
    "observatoire.workspace",
    "observatoire.news",
    "observatoire.portal",
    "observatoire.maps",
    "observatoire.feeds",
    "observatoire.publishing",
    "observatoire.watch",
    "observatoire.matching",
    "observatoire.newsletters",
    "observatoire.campaigns",
    "observatoire.calls",
    "observatoire.selection",
    "observatoire.grants",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "observatoire.api",
    "observatoire.observatory",
    # After every other app: their demos publish a report and files of the figures loaded.
    "observatoire.reports",
    "observatoire.opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "observatoire.core.middleware.NullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "observatoire.core.context_processors.network",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite by default, PostgreSQL (or any database) through DATABASE_URL.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'observatoire.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "observatoire.accounts.backends.RolePermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Brute-force protection: lock a username + address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The login form posts the e-mail address in its "username" field.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# config/locale keeps Django's wording where a dependency translates Django's messages again
# (see scripts/keep_django_wording.py).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "config" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"

# Mail: SMTP in production, the console while developing unless EMAIL_HOST is given.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Observatoire <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or not DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
if not EMAIL_HOST:
    EMAIL_HOST = "localhost"

# Background tasks: stored in the database, run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# A cache shared by every web process (gunicorn runs several): the spam protection of the
# public forms counts submissions per address in it. `manage.py createcachetable` creates it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "observatoire_cache",
    }
}

# What the network calls itself, shown in pages, mails and the privacy notice.
NETWORK_NAME = os.environ.get("NETWORK_NAME", "Réseau régional Nouvelle-Aquitaine")
NETWORK_CONTACT_EMAIL = os.environ.get("NETWORK_CONTACT_EMAIL", "contact@example.org")
NETWORK_DPO_EMAIL = os.environ.get("NETWORK_DPO_EMAIL", NETWORK_CONTACT_EMAIL)

# The address of the site, used in links sent by e-mail from the worker.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The watch's feeds (docs/watch.md): how long the worker waits for a feed, and the largest body
# it reads (the download stops there with « Flux trop volumineux »).
WATCH_FEED_TIMEOUT = float(os.environ.get("WATCH_FEED_TIMEOUT", "15"))
WATCH_FEED_MAX_BYTES = int(os.environ.get("WATCH_FEED_MAX_BYTES", str(5 * 1024 * 1024)))
# Campaigns (docs/campaigns.md): how many messages the worker sends per minute (0: as fast as
# the mail server accepts them), how many it sends over one SMTP connection, and how long a
# sending run's lease on a campaign lasts without renewal before another run may take over.
CAMPAIGNS_RATE_PER_MINUTE = int(os.environ.get("CAMPAIGNS_RATE_PER_MINUTE", "600"))
CAMPAIGNS_BATCH_SIZE = int(os.environ.get("CAMPAIGNS_BATCH_SIZE", "100"))
CAMPAIGNS_LEASE_SECONDS = int(os.environ.get("CAMPAIGNS_LEASE_SECONDS", "120"))

# Open data: where the worker writes the files of /donnees-ouvertes/ (outside MEDIA: they are
# swapped as a whole), and the prefix of the identifiers the network gives in its IATI file to
# organisations that have no official one (docs/open-data.md).
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", DATA_DIR / "open-data"))
OPEN_DATA_IDENTIFIER_PREFIX = os.environ.get("OPEN_DATA_IDENTIFIER_PREFIX", "XI-RRMA-NA")

# Calls for proposals: where applicants' attachments are stored, outside MEDIA_ROOT (never
# served publicly; staff download them through the application's page).
CALLS_ATTACHMENTS_ROOT = Path(
    os.environ.get("CALLS_ATTACHMENTS_ROOT", DATA_DIR / "calls-attachments")
)

# Referencing: open requests older than this many days are "pending for too long".
REFERENCING_STALE_DAYS = int(os.environ.get("REFERENCING_STALE_DAYS", "30"))
# Spam protection of the public form: submissions per address and window (in seconds), kept
# in the cache, and the least time a person takes to fill the form.
REFERENCING_RATE_LIMIT = 10
REFERENCING_RATE_WINDOW = 60 * 60
REFERENCING_MIN_SECONDS = 5
# How long the link confirming the requester's e-mail address stays valid.
REFERENCING_CONFIRMATION_DAYS = 14
# How many hours before the first sitting of an event its participants get a reminder.
EVENT_REMINDER_HOURS = int(os.environ.get("EVENT_REMINDER_HOURS", "48"))

# Satisfaction surveys: hours after the end of an event's last sitting before the survey goes
# out, and days after sending before one reminder goes to those who have not answered.
SURVEY_SEND_DELAY_HOURS = int(os.environ.get("SURVEY_SEND_DELAY_HOURS", "24"))
SURVEY_REMINDER_DAYS = int(os.environ.get("SURVEY_REMINDER_DAYS", "7"))

# Days before a report is due to a funder when the project's team gets a reminder (and once more
# when it is late).
REPORT_REMINDER_DAYS = int(os.environ.get("REPORT_REMINDER_DAYS", "14"))

# Mailing lists (docs/newsletters.md): hours a subscription's confirmation link stays valid;
# the secret part of the bounce webhook's URL (/lettre/rebonds/<secret>/, disabled when empty);
# the bounce mailbox the worker reads, over IMAP (disabled without a host) or as a local Maildir.
NEWSLETTERS_CONFIRMATION_HOURS = int(os.environ.get("NEWSLETTERS_CONFIRMATION_HOURS", "48"))
NEWSLETTERS_BOUNCE_WEBHOOK_SECRET = os.environ.get("NEWSLETTERS_BOUNCE_WEBHOOK_SECRET", "")
NEWSLETTERS_BOUNCE_IMAP_HOST = os.environ.get("NEWSLETTERS_BOUNCE_IMAP_HOST", "")
NEWSLETTERS_BOUNCE_IMAP_PORT = int(os.environ.get("NEWSLETTERS_BOUNCE_IMAP_PORT", "993"))
NEWSLETTERS_BOUNCE_IMAP_USER = os.environ.get("NEWSLETTERS_BOUNCE_IMAP_USER", "")
NEWSLETTERS_BOUNCE_IMAP_PASSWORD = os.environ.get("NEWSLETTERS_BOUNCE_IMAP_PASSWORD", "")
NEWSLETTERS_BOUNCE_IMAP_SSL = env_bool("NEWSLETTERS_BOUNCE_IMAP_SSL", True)
NEWSLETTERS_BOUNCE_IMAP_FOLDER = os.environ.get("NEWSLETTERS_BOUNCE_IMAP_FOLDER", "INBOX")
NEWSLETTERS_BOUNCE_MAILDIR = os.environ.get("NEWSLETTERS_BOUNCE_MAILDIR", "")

# Exports larger than this are built by the worker and e-mailed as a link.
EXPORT_SYNC_LIMIT = int(os.environ.get("EXPORT_SYNC_LIMIT", "5000"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every subdomain to HTTPS for years: an opt-in, not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Django 6 behaviour now: a typed web address without a scheme becomes https://.
FORMS_URLFIELD_ASSUME_HTTPS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Maps: the tile layer drawn under the shipped outlines (empty: outlines only, no tile server),
# its attribution, and the INSEE code of the network's region (the map by département).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
MAP_REGION_CODE = os.environ.get("MAP_REGION_CODE", "75")

# The REST API (/api/v1/, observatoire/api). Anonymous callers read the public data, up to
# API_ANON_RATE requests per client address (counted in the shared cache); staff write with a
# token made in their account page (/compte/jetons/), valid API_TOKEN_DAYS days.
API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/minute")
API_USER_RATE = os.environ.get("API_USER_RATE", "600/minute")
API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "20"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "100"))
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "365"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["knox.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["observatoire.api.permissions.ReadOrStaffWrite"],
    "DEFAULT_THROTTLE_CLASSES": [
        "observatoire.api.throttling.AnonymousThrottle",
        "observatoire.api.throttling.TokenThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "observatoire.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "observatoire.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "obs_",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Observatoire API",
    "DESCRIPTION": (
        "Public data of the network (organisations, projects, events, partnerships, news and "
        "referentials), and writes for the network's staff with a token."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "observatoire.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "observatoire.events.models.Event.Kind",
        "PartnershipKindEnum": "observatoire.partnerships.models.Partnership.Kind",
        "PartnershipStatusEnum": "observatoire.partnerships.models.Partnership.Status",
        "OrganizationStatusEnum": "observatoire.organizations.models.Organization.Status",
        "EventStatusEnum": "observatoire.events.models.Event.Status",
    },
}
