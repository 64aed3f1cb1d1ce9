"""The one settings module of the DMK-Plattform.

Every knob comes from an environment variable with a safe default (STYLE.md "Settings"):
``DATABASE_URL`` (default: an SQLite file under ``var/``), ``SECRET_KEY``, ``DEBUG`` (default
off), ``ALLOWED_HOSTS``, ``EMAIL_URL``, ``PORT`` (only used by ``make demo``), ``BASE_URL``,
``DMK_FUNCTIONAL_MAILBOX`` (the Geschäftsstelle's mailbox for contact-form notices).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR / "dmk"
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean: ``1/true/yes/on`` is True, ``0/false/no/off/''`` is False.

    Raises ImproperlyConfigured for any other value, so a typo never silently flips a switch.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list; blanks are dropped."""
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    """Read an integer; raises ImproperlyConfigured when the value is not one."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

DEBUG = env_bool("DEBUG", False)
_INSECURE_DEV_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdefghij"
SECRET_KEY = os.environ.get("SECRET_KEY", _INSECURE_DEV_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:" + os.environ.get("PORT", "8000"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # our apps first, so our templates win over Wagtail's and allauth's defaults
    "dmk.core",
    "dmk.accounts",
    "dmk.bodies",
    "dmk.access",
    "dmk.documents",
    "dmk.meetings",
    "dmk.papers",
    "dmk.voting",
    "dmk.resolutions",
    "dmk.mailbox",
    "dmk.exchange",
    "dmk.minutes",
    "dmk.website",
    "dmk.portal",
    "dmk.demo",
    "dmk.api",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # background work
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "dmk.accounts.middleware.AccountPagesLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "dmk.core.middleware.UnicodeNFCMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dmk.core.middleware.DeniedAccessAuditMiddleware",
    "dmk.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dmk.core.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dmk.core.middleware.NoStoreForAuthenticatedMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "dmk.website.caching.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "dmk.urls"
WSGI_APPLICATION = "dmk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dmk.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
# One cache for every process (issue 17 item 2): the public page cache, its purge (site
# version), allauth's rate limits (issue 4 item 3) and the TOTP replay guard must be seen by
# every gunicorn worker and the background worker alike. Redis when ``REDIS_URL`` is set
# (redis://host:6379/0), else a file cache in ``CACHE_DIR`` (default ``var/cache``) shared by
# all processes on the machine. Never per-process memory, except in the test run itself.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(os.environ.get("CACHE_DIR", VAR_DIR / "cache"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dmk"),
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "dmk.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "dmk.accounts.tokens.OneHourPasswordResetTokenGenerator"  # nosec B105
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
_RESET_RATE = "5/m/ip,5/h/key"  # at most 5 reset mails a minute per IP and an hour per account
ACCOUNT_RATE_LIMITS = {
    # ASVS 5.0 6.1.1: per account *and* IP, so nobody can lock a minister out from elsewhere
    "login_failed": "5/15m/key",
    "login": "30/m/ip",
    "reset_password": _RESET_RATE,
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "DMK-Plattform"
# RFC 6238 §5.2: accept the code of the neighbouring 30-s step too (clock drift, typing time);
# a code is still accepted only once
MFA_TOTP_TOLERANCE = 1
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or TESTING
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour (issue 4)
DMK_INVITATION_DAYS = 7  # invitation links of the Geschäftsstelle (issue 4 item 1)

# Sessions: 30 minutes idle, 12 hours absolute (issue 4, BSI APP.3.1)
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "DMK-Plattform"
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILADMIN_LOGIN_URL = "/konto/login/"
# Wagtail's own password views know nothing of rate limits, re-authentication or the second
# factor: passwords are reset and changed through allauth only (issue 4 items 1-3).
WAGTAIL_FRONTEND_LOGIN_URL = WAGTAILADMIN_LOGIN_URL
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES = [("de", "Deutsch"), ("en", "English")]
# Search input is data, never query syntax (issue 11, defect 4): Wagtail's database backend,
# wrapped so that only the words of a query reach it (``dmk/core/search.py``).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "dmk.core.search"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "txt", "vtt", "mp4", "webm"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]

# --- Background work ----------------------------------------------------------------------
# Wagtail's own tasks stay immediate so that search is never stale; our jobs are queued.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "queue": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
    },
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "de"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
_KERN_DIST = BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"
if _KERN_DIST.is_dir():
    STATICFILES_DIRS.append(("kern", _KERN_DIST))
_HTMX_DIST = BASE_DIR / "node_modules" / "htmx.org" / "dist"
if _HTMX_DIST.is_dir():
    STATICFILES_DIRS.append(("htmx", _HTMX_DIST))
_TUS_DIST = BASE_DIR / "node_modules" / "tus-js-client" / "dist"
if _TUS_DIST.is_dir():
    STATICFILES_DIRS.append(("tus", _TUS_DIST))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files (papers, documents, images) on local disk by default; ``S3_BUCKET`` switches to an
# S3-compatible object store through django-storages (``pip install '.[s3]'``; issue 17
# item 3, docs/operations.md). Credentials come from the usual AWS_* variables.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
_DEFAULT_STORAGE: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if S3_BUCKET:
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Behind nginx (deploy/nginx/dmk.conf.in), protected files leave through ``X-Accel-Redirect``
# after the app's permission check (dmk.core.downloads); nginx's location for them is
# ``internal``. Off by default: ``make demo`` serves files itself.
X_ACCEL_REDIRECT = env_bool("X_ACCEL_REDIRECT", False)
X_ACCEL_PREFIX = "/_protected/"
if X_ACCEL_REDIRECT:
    # Wagtail documents go the same way (wagtail.utils.sendfile)
    SENDFILE_BACKEND = "dmk.core.downloads"
    SENDFILE_ROOT = str(MEDIA_ROOT)
    SENDFILE_URL = X_ACCEL_PREFIX.rstrip("/")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------------------


def _email_settings(url: str) -> dict[str, object]:
    """Turn ``EMAIL_URL`` into Django settings.

    ``console:`` (default) prints mails; ``smtp://user:pass@host:port`` and ``smtp+tls://…``
    send them; ``memory:`` keeps them in ``django.core.mail.outbox``.
    """
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "memory":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme in {"smtp", "smtp+tls", "smtps"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
            "EMAIL_USE_SSL": parts.scheme == "smtps",
        }
    raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not supported")


globals().update(_email_settings(os.environ.get("EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "geschaeftsstelle@dmk.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The Geschäftsstelle's functional mailbox: told of every new contact-form message (subject
# and back-office link only; dmk.website.tasks.notify_contact_message_task).
DMK_FUNCTIONAL_MAILBOX = os.environ.get("DMK_FUNCTIONAL_MAILBOX", "geschaeftsstelle@dmk.example")
# The functional mailbox read over IMAP (issue 15; docs/operations.md "Funktionspostfach").
# Either one URL, ``imaps://user:password@host:993/INBOX`` (``imap+starttls://`` for port 143
# with STARTTLS; ``imap://`` without TLS only for a local test server), or the separate
# variables below. Without a host nothing is fetched (``make demo``: mail is printed).
DMK_MAILBOX_IMAP_URL = os.environ.get("DMK_MAILBOX_IMAP_URL", "")
DMK_MAILBOX_IMAP_HOST = os.environ.get("DMK_MAILBOX_IMAP_HOST", "")
DMK_MAILBOX_IMAP_PORT = env_int("DMK_MAILBOX_IMAP_PORT", 993)
DMK_MAILBOX_IMAP_USER = os.environ.get("DMK_MAILBOX_IMAP_USER", "")
DMK_MAILBOX_IMAP_PASSWORD = os.environ.get("DMK_MAILBOX_IMAP_PASSWORD", "")
DMK_MAILBOX_IMAP_FOLDER = os.environ.get("DMK_MAILBOX_IMAP_FOLDER", "INBOX")
# "ssl" (IMAPS), "starttls" or "none" (local test servers only)
DMK_MAILBOX_IMAP_SECURITY = os.environ.get("DMK_MAILBOX_IMAP_SECURITY", "ssl")
# after filing, move the mail into this folder (empty: flag it as seen and filed instead)
DMK_MAILBOX_IMAP_DONE_FOLDER = os.environ.get("DMK_MAILBOX_IMAP_DONE_FOLDER", "")
# larger mails are stored as a notice only; the sender gets a polite reply (25 MB)
DMK_MAILBOX_MAX_BYTES = env_int("DMK_MAILBOX_MAX_BYTES", 25 * 1024 * 1024)

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("HTTPS", False)  # behind TLS in production: cookies secure, HSTS one year
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# the load balancer's and systemd's health probe speaks plain HTTP on the loopback
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG and not TESTING and SECRET_KEY == _INSECURE_DEV_KEY and env_bool("PRODUCTION", False):
    raise ImproperlyConfigured("SECRET_KEY must be set in production")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# The Wagtail admin still needs inline styles and scripts of its own; it sits behind the
# second factor and gets a relaxed policy (dmk.core.middleware.ContentSecurityPolicyMiddleware).
DMK_CSP_RELAXED_PREFIXES = ("/verwaltung/",)
# no avatars from gravatar.com in the back office: no third-party requests (and the CSP)
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # a refused request (403/404) is no server fault: it goes to the audit log
    # (``access.denied``), not as a traceback to the console; 5xx errors are still logged
    "loggers": {"django.request": {"level": "ERROR"}},
}

# --- The platform -------------------------------------------------------------------------
DMK_BODY_SHORT_NAME = os.environ.get("DMK_BODY_SHORT_NAME", "DMK")
DMK_SECURITY_CONTACT = os.environ.get("DMK_SECURITY_CONTACT", "mailto:security@dmk.example")
DMK_PUBLIC_RECORD_DIR = BASE_DIR / "data" / "public-record"
# The licence of the open data at /oparl/v1/ (OParl ``license``, issue 16 item 3): default the
# Datenlizenz Deutschland – Namensnennung 2.0; the schemas the interface is checked against.
DMK_OPARL_LICENSE = os.environ.get("DMK_OPARL_LICENSE", "https://www.govdata.de/dl-de/by-2-0")
DMK_OPARL_SCHEMA_DIR = BASE_DIR / "data" / "oparl-1.1.1" / "schema"
# Reminders to Länder that have not registered or submitted go out this many days before
# each deadline (issue 5 item 4; ``manage.py send_reminders``, docs/operations.md).
DMK_REMINDER_DAYS_BEFORE = env_int("DMK_REMINDER_DAYS_BEFORE", 3)
# Public pages kept in the cache per language and URL, purged on change (issue 7 item 6);
# off in tests unless a test turns it on, so no test sees another test's pages.
DMK_PAGE_CACHE = env_bool("DMK_PAGE_CACHE", not TESTING)
# How long nginx's proxy cache may keep a public page before it asks the app again (with
# If-None-Match, answered 304 from the shared cache): the delay after which a purge reaches
# the proxy (``X-Accel-Expires``, issue 17 item 3).
DMK_PROXY_CACHE_SECONDS = env_int("DMK_PROXY_CACHE_SECONDS", 10)
# Rows per page of the public archive lists (issue 17 item 1).
DMK_ARCHIVE_PAGE_SIZE = env_int("DMK_ARCHIVE_PAGE_SIZE", 50)
# /healthz reports the queue as stale when the oldest due job waits longer than this.
DMK_HEALTH_QUEUE_MAX_AGE = env_int("DMK_HEALTH_QUEUE_MAX_AGE", 15 * 60)

# Data exchange platform (issue 14): quota of a new workspace, largest file, days in the trash.
DMK_EXCHANGE_QUOTA_BYTES = env_int("DMK_EXCHANGE_QUOTA_BYTES", 5 * 1024**3)
DMK_EXCHANGE_MAX_FILE_BYTES = env_int("DMK_EXCHANGE_MAX_FILE_BYTES", 500 * 1024**2)
DMK_EXCHANGE_TRASH_DAYS = env_int("DMK_EXCHANGE_TRASH_DAYS", 30)
