"""Django settings for parindex.

Everything that differs between installations is read from an environment variable through the
typed helpers in :mod:`parindex_web.lib.env`; docs/settings.md documents every one of them (a test
checks it). The defaults give a local development server: debug on, SQLite and uploaded files
under ``var/`` in the checkout, e-mail printed to the console.
"""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from parindex.reminders import ScheduleError, parse_schedule
from parindex_web.lib.env import envbool, envint, envlist, envstr

# Django's generic classes accept type arguments at run time, as django-stubs types them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = REPO_DIR / "var"

# Core

DEBUG = envbool("PARINDEX_DEBUG", True)

SECRET_KEY = envstr("PARINDEX_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("PARINDEX_SECRET_KEY must be set when PARINDEX_DEBUG is off")
    SECRET_KEY = "django-insecure-parindex-local-development-only"
# Old keys, newest first, still accepted for sessions, password-reset links and signed values
# while a new SECRET_KEY takes over (docs/security.md: rotating the secret key).
SECRET_KEY_FALLBACKS = envlist("PARINDEX_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = envlist("PARINDEX_ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = envlist("PARINDEX_CSRF_TRUSTED_ORIGINS", [])

# Security: with debug off the site is HTTPS only (`manage.py check --deploy` reports nothing
# with the production variables of docs/settings.md). With debug on (make run, tests) it keeps
# working over plain http. Behind a proxy that terminates TLS, PARINDEX_TLS_PROXY_HEADER names
# the header it sets to "https" (e.g. X-Forwarded-Proto); without it every request would look
# like plain http and be redirected again and again.

SECURE_SSL_REDIRECT = envbool("PARINDEX_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's liveness probe may come over plain http
_tls_header = envstr("PARINDEX_TLS_PROXY_HEADER", "")
if _tls_header and not re.fullmatch(r"[A-Za-z0-9-]+", _tls_header):
    raise ImproperlyConfigured(
        f"PARINDEX_TLS_PROXY_HEADER={_tls_header!r} is not a header name such as X-Forwarded-Proto"
    )
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _tls_header.upper().replace("-", "_"), "https") if _tls_header else None
)
SECURE_HSTS_SECONDS = envint("PARINDEX_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("PARINDEX_HSTS_SECONDS must be 0 (off) or more")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("PARINDEX_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("PARINDEX_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses (parindex_web.lib.headers.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
# Content-Security-Policy (django-csp): scripts, styles and everything else from this site only,
# no inline <script>, <style>, style="…" or on…= in any served page (tests/web/
# test_security_headers.py scans the templates). The API docs page adds data: images for
# Swagger UI's icons (parindex_web.api.api).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Applications: the project's own apps, one per area. Add a new app with one line here (and its
# URLs with one line in urls.py).

PARINDEX_APPS = [
    "parindex_web.home",
    "parindex_web.accounts",
    "parindex_web.units",
    "parindex_web.methodologies",
    "parindex_web.cycles",
    "parindex_web.audit",
    "parindex_web.secretariat",
    "parindex_web.appraisal",
    "parindex_web.reports",
    "parindex_web.assessments",
    "parindex_web.api",
    "parindex_web.profiles",
    "parindex_web.results",
    "parindex_web.operations",
    "parindex_web.notifications",
    "parindex_web.jobs",
    "parindex_web.surveys",
    "parindex_web.answering",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # django-ninja: serves its API docs page and assets locally (no CDN)
    "axes",  # login throttling and lockout (see Accounts below)
    "django_otp",  # two-factor authentication: TOTP apps and backup codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",  # long work off the request: the tasks framework (see Jobs below)
    *PARINDEX_APPS,
    "django_tasks_db",  # after parindex_web.jobs, whose db_worker (with recovery) wins
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, whose static files are compressed once at collectstatic; before the
    # rest, which read or write the body. ConditionalGet inside it: ETags of the plain bytes.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "parindex_web.lib.headers.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (see Security above)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): second factor passed
    "parindex_web.accounts.middleware.SessionExpiryMiddleware",  # idle and absolute expiry
    "parindex_web.accounts.middleware.SecondFactorMiddleware",  # code (or set-up) before work
    "parindex_web.audit.context.ActorMiddleware",  # who changed roles, for the audit trail
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "parindex_web.urls"
WSGI_APPLICATION = "parindex_web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise. Each server thread keeps its
# connection for a minute (checked before reuse): opening one per request costs a PostgreSQL
# backend process each time, which under a hundred officers is most of a save's time.

DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'parindex.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=envint("PARINDEX_DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError as e:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {e}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Many officers save at once: WAL lets readers run beside the writer, IMMEDIATE
    # transactions take the write lock up front (no deadlock on upgrade), and a writer waits
    # for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Jobs: imports, phase changes and a publication's files run off the request, queued in the
# database (django-tasks-db) and run by `manage.py db_worker`. `manage.py serve` starts one worker
# beside gunicorn unless PARINDEX_JOBS_WORKER is off (production with its own worker process). A
# cycle of at most PARINDEX_JOBS_INLINE_UNITS units imports and changes phase within the request.

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PARINDEX_JOBS_WORKER = envbool("PARINDEX_JOBS_WORKER", True)
PARINDEX_JOBS_INLINE_UNITS = envint("PARINDEX_JOBS_INLINE_UNITS", 20)
# A running job whose worker gave no sign of life for this long is resumed or failed (jobs.recovery).
PARINDEX_JOBS_HEARTBEAT_SECONDS = envint("PARINDEX_JOBS_HEARTBEAT_SECONDS", 600)

# Cache: the public results pages and the API's rate-limit counts are kept here (page keys
# change with every publication). Files under var/cache by default, shared by every server
# process on the machine and needing no server; Redis (or Memcached) by setting, for several
# machines. The tests keep theirs in memory (tests/conftest.py).

CACHES = {
    "default": {
        "BACKEND": envstr(
            "PARINDEX_CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"
        ),
        "LOCATION": envstr("PARINDEX_CACHE_LOCATION", str(VAR_DIR / "cache")),
        "TIMEOUT": envint("PARINDEX_CACHE_TIMEOUT", 300),
    }
}

# API: a personal token expires this many days after it is created. Requests are limited per
# client (per address without a token, per user with one) to a rate "<number>/<s|min|hour|day>",
# or "off"; the counts are kept in the cache above, so share it between server processes. The
# client's address is the connection's, or behind N trusted proxies the one they add to
# X-Forwarded-For (django-ninja's NINJA_NUM_PROXIES).

PARINDEX_API_TOKEN_DAYS = envint("PARINDEX_API_TOKEN_DAYS", 90)
if PARINDEX_API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("PARINDEX_API_TOKEN_DAYS must be at least 1")
PARINDEX_API_ANON_RATE = envstr("PARINDEX_API_ANON_RATE", "120/min")
PARINDEX_API_USER_RATE = envstr("PARINDEX_API_USER_RATE", "600/min")
# The public online form (parindex_web.answering), per client address, in the same cache: every
# request that gives a one-time code, and every submission of answers.
PARINDEX_ANSWER_CODE_RATE = envstr("PARINDEX_ANSWER_CODE_RATE", "30/10min")
PARINDEX_ANSWER_SUBMIT_RATE = envstr("PARINDEX_ANSWER_SUBMIT_RATE", "20/hour")
for _name, _rate in [
    ("PARINDEX_API_ANON_RATE", PARINDEX_API_ANON_RATE),
    ("PARINDEX_API_USER_RATE", PARINDEX_API_USER_RATE),
    ("PARINDEX_ANSWER_CODE_RATE", PARINDEX_ANSWER_CODE_RATE),
    ("PARINDEX_ANSWER_SUBMIT_RATE", PARINDEX_ANSWER_SUBMIT_RATE),
]:
    if not re.fullmatch(r"off|[1-9]\d*/([1-9]\d*)?(s|sec|m|min|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"{_name}={_rate!r} is not a rate such as 120/min, or off")
NINJA_NUM_PROXIES = envint("PARINDEX_API_PROXIES", 0)
if NINJA_NUM_PROXIES < 0:
    raise ImproperlyConfigured("PARINDEX_API_PROXIES must be 0 or more")

# Accounts

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): after PARINDEX_LOGIN_FAILURE_LIMIT wrong passwords for one account, or
# PARINDEX_LOGIN_ADDRESS_FAILURE_LIMIT from one address (offices share an address), sign-in is
# refused for PARINDEX_LOGIN_LOCKOUT_MINUTES, even with the right password. Every login path
# goes through the backend above (login page, admin). The address is the API's (behind
# PARINDEX_API_PROXIES trusted proxies). Lockouts and their lifting go into the audit trail.
PARINDEX_LOGIN_FAILURE_LIMIT = envint("PARINDEX_LOGIN_FAILURE_LIMIT", 5)
PARINDEX_LOGIN_ADDRESS_FAILURE_LIMIT = envint("PARINDEX_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
PARINDEX_LOGIN_LOCKOUT_MINUTES = envint("PARINDEX_LOGIN_LOCKOUT_MINUTES", 30)
for _name, _value in [
    ("PARINDEX_LOGIN_FAILURE_LIMIT", PARINDEX_LOGIN_FAILURE_LIMIT),
    ("PARINDEX_LOGIN_ADDRESS_FAILURE_LIMIT", PARINDEX_LOGIN_ADDRESS_FAILURE_LIMIT),
    ("PARINDEX_LOGIN_LOCKOUT_MINUTES", PARINDEX_LOGIN_LOCKOUT_MINUTES),
]:
    if _value < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
AXES_HANDLER = "parindex_web.accounts.lockout.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = PARINDEX_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=PARINDEX_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # this order: see AccountAndAddressHandler
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "parindex_web.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "parindex_web.accounts.lockout.lockout_response"
AXES_VERBOSE = False

# Two factors (django-otp): these roles ("secretariat", "appraiser", "officer", "leader", and
# "staff" for staff and superusers) must set up a TOTP app; everyone may. A user with a device
# enters a code after the password. API tokens are created on a verified session.
PARINDEX_OTP_REQUIRED_ROLES = envlist(
    "PARINDEX_OTP_REQUIRED_ROLES", ["secretariat", "appraiser", "staff"]
)
_unknown = set(PARINDEX_OTP_REQUIRED_ROLES) - {
    "secretariat",
    "appraiser",
    "officer",
    "leader",
    "staff",
}
if _unknown:
    raise ImproperlyConfigured(
        f"PARINDEX_OTP_REQUIRED_ROLES has unknown roles: {', '.join(sorted(_unknown))}"
    )
OTP_TOTP_ISSUER = envstr("PARINDEX_OTP_ISSUER", "parindex")

# Sessions end after PARINDEX_SESSION_IDLE_MINUTES without a request, and at the latest
# PARINDEX_SESSION_MAX_HOURS after sign-in (parindex_web.accounts.middleware).
PARINDEX_SESSION_IDLE_MINUTES = envint("PARINDEX_SESSION_IDLE_MINUTES", 30)
PARINDEX_SESSION_MAX_HOURS = envint("PARINDEX_SESSION_MAX_HOURS", 12)
if PARINDEX_SESSION_IDLE_MINUTES < 2 or PARINDEX_SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured(
        "PARINDEX_SESSION_IDLE_MINUTES must be at least 2 and PARINDEX_SESSION_MAX_HOURS at least 1"
    )
SESSION_COOKIE_AGE = PARINDEX_SESSION_MAX_HOURS * 3600
LOGIN_REDIRECT_URL = "assessments:work"
LOGOUT_REDIRECT_URL = "home:index"

# Languages and formats: Vietnamese first, English available. Dates dd/mm/yyyy and a decimal
# comma in Vietnamese (see formats/vi/formats.py). No thousand separator by default, so that
# years and codes print as they are; group a figure explicitly with floatformat:"2g".

LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["parindex_web.formats"]
USE_THOUSAND_SEPARATOR = False

TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

# Files

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = envstr("PARINDEX_STATIC_ROOT", str(VAR_DIR / "static"))
# WhiteNoise serves static files; with debug off, from collectstatic's compressed copies with
# content hashes in their names (cached for a year). With debug on, no collectstatic is needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Fixed here because the test runner turns DEBUG off at run time: with debug on (development,
# tests) WhiteNoise finds files in the apps' static folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = envstr("PARINDEX_MEDIA_ROOT", str(VAR_DIR / "media"))
# Uploads being received and evidence files being written wait here (on MEDIA_ROOT's file
# system, so that a finished file is renamed into place); `manage.py serve` empties it of the
# leftovers of a killed server when it starts (parindex_web.cycles.storage).
FILE_UPLOAD_TEMP_DIR = envstr("PARINDEX_UPLOAD_TEMP_DIR", str(Path(MEDIA_ROOT) / "tmp"))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)

# Uploaded tables and workbooks (external points, the self-assessment workbook): the core checks
# a workbook's ZIP archive before parsing it and refuses one that unpacks to more than this.

PARINDEX_UPLOAD_MAX_EXPANDED_MB = envint("PARINDEX_UPLOAD_MAX_EXPANDED_MB", 20)

# Evidence documents: stored by content hash under MEDIA_ROOT, served only to those allowed.

PARINDEX_EVIDENCE_MAX_BYTES = envint("PARINDEX_EVIDENCE_MAX_MB", 20) * 1024 * 1024
PARINDEX_EVIDENCE_TYPES = envlist(
    "PARINDEX_EVIDENCE_TYPES",
    [
        "application/pdf",
        "image/jpeg",
        "image/png",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
    ],
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail

EMAIL_BACKEND = envstr("PARINDEX_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("PARINDEX_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("PARINDEX_EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("PARINDEX_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("PARINDEX_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("PARINDEX_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("PARINDEX_DEFAULT_FROM_EMAIL", "parindex@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Notifications (parindex_web.notifications): e-mails carry absolute links on this address (the
# address people open the site at, without a trailing slash). Deadline reminders
# (manage.py send_reminders) go out on these days before each phase's deadline; a negative
# number is days after it passed (docs/notifications.md).

PARINDEX_SITE_URL = envstr("PARINDEX_SITE_URL", "http://localhost:8000")
if not re.fullmatch(r"https?://[^/\s]+(/[^\s]*)?", PARINDEX_SITE_URL):
    raise ImproperlyConfigured(
        f"PARINDEX_SITE_URL={PARINDEX_SITE_URL!r} is not an address such as https://chiso.example.vn"
    )
try:
    PARINDEX_REMINDER_DAYS = parse_schedule(
        envlist("PARINDEX_REMINDER_DAYS", ["7", "3", "1", "-1"])
    )
except ScheduleError as e:
    raise ImproperlyConfigured(f"PARINDEX_REMINDER_DAYS: {e}") from None
