"""Samverkan settings: everything comes from the environment.

Development (``DEBUG=1``) runs with SQLite under ``SAMVERKAN_HOME`` and the
console e-mail backend. Production (``DEBUG`` unset or 0) turns on the
security settings that ``samverkan check --deploy`` looks for.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samverkan.lib.env import env_bool, env_int, env_list, env_str

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
SAMVERKAN_HOME = Path(env_str("SAMVERKAN_HOME") or Path.cwd() / "var").resolve()

DEBUG = env_bool("DEBUG", False)
# Django's debug 404/500 pages while DEBUG is on; `make demo` turns them off so that
# the demo shows the product's own error pages (core/middleware.py).
DEBUG_ERROR_PAGES = env_bool("DEBUG_ERROR_PAGES", DEBUG)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once per installation."""
    configured = env_str("SECRET_KEY")
    if configured:
        if not DEBUG and len(configured) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")
        return configured
    key_file = SAMVERKAN_HOME / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    SAMVERKAN_HOME.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",  # serves Swagger UI from its own static files instead of a CDN
    "bootstrap",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks",
    "django_tasks_db",
    "samverkan.core",
    "samverkan.accounts",
    "samverkan.agreements",
    "samverkan.relationships",
    "samverkan.collaboration",
    "samverkan.documents",
    "samverkan.appendix",
    "samverkan.innovation",
    "samverkan.negotiation",
    "samverkan.health",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samverkan.core.middleware.PrivateResponsesMiddleware",  # after WhiteNoise: not static files
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samverkan.accounts.middleware.UserLanguageMiddleware",
    "samverkan.accounts.middleware.TwoFactorMiddleware",  # a sign-in's second step first
    "samverkan.accounts.middleware.SignInSessionMiddleware",  # "last seen" on the profile
    "django.contrib.messages.middleware.MessageMiddleware",
    "samverkan.core.middleware.ErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "samverkan.api.middleware.ApiBodyMiddleware",
    "samverkan.documents.middleware.DocumentTooLargeMiddleware",
    "samverkan.core.audit.AuditMiddleware",  # auditlog's, with one correlation id per request
    "axes.middleware.AxesMiddleware",
]

# The largest request body the API reads (a JSON object or an agreement file); larger
# ones are refused with 413 before any work is done. Forms and uploads: Django's limits.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1_000_000)
# Word and PDF documents that take longer than this to write are refused with a message
# saying what to shorten (documents/bounded.py); keep it below the worker timeout.
DOCUMENT_TIMEOUT_SECONDS = env_int("DOCUMENT_TIMEOUT_SECONDS", 20)

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "samverkan.core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under SAMVERKAN_HOME unless DATABASE_URL says otherwise.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    SAMVERKAN_HOME.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SAMVERKAN_HOME / "samverkan.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "samverkan.accounts.oidc.CompanySignInBackend",  # company sign-in (OpenID Connect)
]
# Company sign-in: each organisation registers its own OpenID Connect provider in the app
# (Organisation → Company sign-in); these apply to every provider. The signing algorithm
# of ID tokens the providers must use, and how long to wait for a provider (seconds).
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO") or "RS256"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
# Two-factor authentication (django-otp): the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER") or "Samverkan"
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
LOGIN_REDIRECT_URL = "home"  # "Mitt arbete": what needs the person now
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login throttling: five failures lock that username from that address for 30 min.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "samverkan.accounts.forms.login_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)

# Forgotten passwords: the e-mailed link is valid for one hour (long enough for slow
# mail, short for a link lying in an inbox) and works once. At most 3 requests per
# e-mail address and 10 per client address an hour; past that the answer is the same
# and nothing is sent. The counts live in the "throttle" cache: files under
# SAMVERKAN_HOME, shared by every worker of one host.
PASSWORD_RESET_TIMEOUT = 3600
PASSWORD_RESET_LIMIT_PER_EMAIL = 3
PASSWORD_RESET_LIMIT_PER_CLIENT = 10
PASSWORD_RESET_LIMIT_WINDOW = 3600
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(SAMVERKAN_HOME / "cache" / "throttle"),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["samverkan.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Off: ids and form values must never be grouped ("1 845"); amounts group explicitly (money filter).
USE_THOUSAND_SEPARATOR = False
LANGUAGE_COOKIE_NAME = "samverkan_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "static/"
STATIC_ROOT = SAMVERKAN_HOME / "static"
# Uploaded files (attachments of ideas): never served from a public URL, only through
# views that ask the access module first.
MEDIA_ROOT = SAMVERKAN_HOME / "files"
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
WHITENOISE_USE_FINDERS = DEBUG

# E-mail: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST") or ""
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
SAMVERKAN_BASE_URL = (env_str("SAMVERKAN_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
# Passkeys (django-otp-webauthn) belong to the host of SAMVERKAN_BASE_URL (the relying
# party): changing it later makes every registered passkey useless. Browsers offer them
# only over HTTPS or on http://localhost, so a plain-HTTP address (127.0.0.1 included)
# gets them on http://localhost at its port. Only a second factor: no passwordless
# sign-in, which would skip the password, the session state and axes.
_base = urlsplit(SAMVERKAN_BASE_URL)
if _base.scheme == "https" or _base.hostname == "localhost":
    OTP_WEBAUTHN_RP_ID = _base.hostname or "localhost"
    OTP_WEBAUTHN_ALLOWED_ORIGINS = [SAMVERKAN_BASE_URL]
else:
    OTP_WEBAUTHN_RP_ID = "localhost"
    OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"http://localhost{f':{_base.port}' if _base.port else ''}"]
OTP_WEBAUTHN_RP_NAME = env_str("OTP_WEBAUTHN_RP_NAME") or "Samverkan"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False


def _default_from_email(base_url: str) -> str:
    """``Samverkan <noreply@HOST>`` for the host that the e-mailed links point to.

    An IP address, localhost or a name without a dot (an intranet alias) is no
    domain mail can come from: those keep ``noreply@localhost``.
    """
    try:
        host = (urlsplit(base_url).hostname or "").rstrip(".").encode("idna").decode("ascii")
    except ValueError:  # a malformed address, or a name IDNA cannot encode (UnicodeError)
        host = ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        is_ip_address = False
    else:
        is_ip_address = True
    if is_ip_address or "." not in host:
        host = "localhost"
    return f"Samverkan <noreply@{host}>"


DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or _default_from_email(SAMVERKAN_BASE_URL)
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7)
# Health check: the smallest group for one statement's own figure; a round records it when
# it opens, and it is never below the round's threshold + 2 (samverkan.health.analysis).
HEALTH_STATEMENT_THRESHOLD = env_int("HEALTH_STATEMENT_THRESHOLD", 5)

# Security: on by default whenever DEBUG is off. PLAIN_HTTP=1 is for a trusted network
# without TLS (a test rig, an internal host): no redirect to HTTPS, no HSTS, and cookies
# without the Secure flag, so that signing in works over http:// (`check --deploy` then
# warns about exactly those settings, as it should).
PLAIN_HTTP = env_bool("PLAIN_HTTP", False)
_HTTPS = not DEBUG and not PLAIN_HTTP
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
# Content-Security-Policy (django-csp): scripts and styles only from our own static files;
# no inline script and no eval anywhere (htmx runs with allowEval off). Inline style
# attributes stay allowed: bar widths and the SVG charts set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = True
# One id per user action, made by the server (samverkan.core.audit), never read from a header.
AUDITLOG_CID_GETTER = "samverkan.core.audit.current_cid"

# Paths whose rest is a credential (a personal survey link, a password-reset or an
# invitation link, a company sign-in's answer with its one-time code): kept out of the
# access log and out of log messages (samverkan.core.accesslog). The URL layout is composed here and in urls.py, so the
# capabilities' private links are named here too.
CREDENTIAL_PATHS = ("survey/", "accounts/reset/", "accounts/invitation/", "accounts/oidc/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A warning about a survey page ("Not Found: /survey/…") keeps its message, not the link.
    "filters": {"survey": {"()": "samverkan.core.accesslog.SurveyFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["survey"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "WARNING"},
}

# Background tasks (the health check's e-mails): the database queue, worked by
# `samverkan db_worker`, or "immediate" to run them inside the request (the
# default while DEBUG is on, so the demo needs no worker).
_tasks_backend = env_str("TASKS_BACKEND") or ("immediate" if DEBUG else "database")
if _tasks_backend not in ("immediate", "database"):
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'")
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if _tasks_backend == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}
