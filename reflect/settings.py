"""Settings for Reflect: one file, configured from the environment.

Every value that differs between a laptop and production is read through the
small typed helpers below, which refuse bad values at start-up rather than
letting a typo quietly weaken the site. The README lists every variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envsecret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to an unreadable file: {exc}") from exc
    return os.environ.get(name, default)


def is_weak_secret(value: str) -> bool:
    # The same test Django's deploy check applies (security.W009).
    return len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure-")


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = envsecret("DJANGO_SECRET_KEY")
if not DEBUG and is_weak_secret(SECRET_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set to a random string of at "
        "least 50 characters when DJANGO_DEBUG is off. Generate one with: python -c "
        "'import secrets; print(secrets.token_urlsafe(64))'"
    )
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# HTTPS-only behaviour (redirects, HSTS, Secure cookies). On unless developing.
SECURE = envbool("DJANGO_SECURE", not DEBUG)

INSTALLED_APPS = [
    "reflect.apps.ReflectConfig",
    "journal.apps.JournalConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth's passkey list says "last used 2 days ago"
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, so every log line of the request (and its response) carries its id.
    "reflect.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything parses the request: a NUL byte is refused with a 400.
    "reflect.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Loads the session and user itself, so a database outage there is a 503 too.
    "reflect.middleware.DatabaseOutageMiddleware",
    "reflect.middleware.SessionIdleRefreshMiddleware",
    # allauth: re-authentication before sensitive actions, and the sessions list.
    "allauth.account.middleware.AccountMiddleware",
    "reflect.security.SessionActivityMiddleware",
    "reflect.security.RequireMFAMiddleware",
    "reflect.middleware.NoStoreForSignedInMiddleware",
    "reflect.middleware.MethodNotAllowedPageMiddleware",
    "reflect.middleware.ClinicianTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last so it sees the outcome of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reflect.urls"
WSGI_APPLICATION = "reflect.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'reflect.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests (autosave beside a page load) may write at once. WAL lets
    # readers go on beside one writer; IMMEDIATE takes the write lock when a
    # transaction begins, where the busy timeout can wait for it, instead of
    # failing at its first write with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "reflect.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts (django-allauth): sign in by email, verified before first use, and
# never a page that tells a stranger whether an address has an account.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
# A reset asked for an unknown address sends nothing (as before), and says the same.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The session lasts SESSION_COOKIE_AGE (30 idle minutes, below); no "remember me".
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # this session stays; every other one ends
ACCOUNT_CHANGE_EMAIL = True
# Confirm who you are again (password, code or passkey) before changing the email or
# password; two-factor settings, backup, import and deleting the account ask too.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = envint("ACCOUNT_REAUTHENTICATION_MINUTES", 5, minimum=1) * 60
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_ADAPTER = "reflect.security.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "reflect.forms.LoginForm",
    "signup": "reflect.forms.SignupForm",
}
# One lockout mechanism: axes (below) counts failed sign-ins, so allauth's own
# failed-login limit is off. allauth still limits how often emails are sent.
ACCOUNT_RATE_LIMITS = {"login_failed": None, "login": None}

# Two-factor: an authenticator app, passkeys and recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Reflect"
# Browsers allow WebAuthn on http://localhost only; the server must agree in development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = envbool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", DEBUG)
# Everyone must set up two-factor before using the journal (supervisors always must).
REFLECT_REQUIRE_MFA = envbool("REFLECT_REQUIRE_MFA", False)

# Sessions list: last seen is recorded once a minute by reflect.security, not per request.
USERSESSIONS_TRACK_ACTIVITY = False

# Security activity (sign-ins, two-factor changes, backups...) is kept this long.
SECURITY_ACTIVITY_KEEP_DAYS = envint("SECURITY_ACTIVITY_KEEP_DAYS", 365, minimum=1)

# Lock an email + address pair after five failures for fifteen minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "reflect.security.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Sessions end after 30 idle minutes. Activity pushes the deadline on, but the
# session row is rewritten at most once a minute (SessionIdleRefreshMiddleware),
# not on every request: under load those writes were most of the lock waits.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
# A load balancer probes /healthz over plain HTTP; it must see 200 or 503, not 301.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000 if SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", SECURE)
if envbool("DJANGO_BEHIND_PROXY", False):
    # Behind a load balancer: trust its X-Forwarded-* headers, and only its.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_PROXY_COUNT = envint("DJANGO_PROXY_COUNT", 1, minimum=1)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: templates load files from our own host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form arrows and checkmarks as data: SVG in its CSS.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = envstr("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("DJANGO_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# One time budget. gunicorn's timeout is this plus a few seconds of grace
# (reflect/gunicorn.conf.py), so limits inside a request set from it fire first
# and answer properly instead of the worker being killed mid-request.
REQUEST_TIMEOUT_SECONDS = envint("REQUEST_TIMEOUT_SECONDS", 30, minimum=1)

# Request bodies are capped: ordinary forms are small. File uploads (the backup
# import) are streamed to a temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE and
# are bounded by IMPORT_MAX_BYTES instead (a 10,000-entry backup is about 12 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 64 * 1024 * 1024, minimum=1024)

# Long exports run in the background: `manage.py run_worker` (make run starts one).
TASKS = {"default": {"BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
EXPORT_KEEP_HOURS = envint("EXPORT_KEEP_HOURS", 24, minimum=1)
# A supervisor's invitation link works once, for this many days.
SUPERVISION_INVITE_DAYS = envint("SUPERVISION_INVITE_DAYS", 7, minimum=1)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Reflect <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Logs carry request paths and status codes, never what a clinician wrote. Every
# line names its request id (also sent as X-Request-ID); a failure is one line
# with the exception's type and where it was raised, never its message or a
# traceback, which can quote the text being saved.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "reflect.logs.RequestIdFilter"},
        "one_line_failure": {"()": "reflect.logs.OneLineFailureFilter"},
    },
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id", "one_line_failure"],
        },
    },
    "root": {"handlers": ["console"], "level": envstr("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers for these would print tracebacks (and, in debug,
        # mail admins); ours print one line.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint narrates every layout step at INFO; keep only its warnings.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
