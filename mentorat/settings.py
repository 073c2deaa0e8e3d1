"""Django settings, read from environment variables (see .env.example).

Defaults suit the zero-setup demo (SQLite, DEBUG on); production sets DEBUG=0 and the
required variables, and `manage.py check --deploy` is then clean.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mentorat.lib.env import env_bool, env_int, env_list, env_secret_key, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "demo-only-insecure-secret-key-change-me-in-production")
else:
    # Refuses an unset key, the placeholders published in this repository and short keys.
    SECRET_KEY = env_secret_key("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "axes",
    "csp",
    "django_htmx",
    # Serves the API's interactive documentation from the project's static files (no CDN).
    "ninja",
    # Before django_tasks_db: its `db_worker` command (heartbeat, recovery) replaces the library's.
    "mentorat.worker",
    "django_tasks",
    "django_tasks_db",
    "mentorat.notifications",
    "mentorat.accounts",
    "mentorat.audit",
    "mentorat.organizations",
    "mentorat.legal",
    "mentorat.participants",
    "mentorat.programs",
    "mentorat.applications",
    "mentorat.applications.imports",
    "mentorat.mentorships",
    "mentorat.safeguarding",
    "mentorat.matching",
    "mentorat.conversations",
    "mentorat.announcements",
    "mentorat.resources",
    "mentorat.partnerships",
    "mentorat.training",
    "mentorat.recognition",
    "mentorat.events",
    "mentorat.networking",
    "mentorat.opportunities",
    "mentorat.sso",
    "mentorat.api",
    "mentorat.webhooks",
    "mentorat.reports",
    "mentorat.privacy",
    "mentorat.privacy.exports",
    "mentorat.privacy.erasure",
    "mentorat.privacy.retention",
    "mentorat.web",
    "mentorat.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mentorat.accounts.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mentorat.accounts.middleware.RequireTwoFactorMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentorat.urls"
WSGI_APPLICATION = "mentorat.wsgi.application"
ASGI_APPLICATION = "mentorat.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mentorat" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentorat.web.context_processors.navigation",
            ],
            # `number` and `percentage` filters in every template, in the reader's language.
            "builtins": ["mentorat.lib.template_numbers"],
        },
    },
]
# Widgets, labels and error lists written in Python, the same HTML as Django's templates
# (issue 23: they were most of the time of the pages with forms).
FORM_RENDERER = "mentorat.lib.form_rendering.PythonFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Lets the statements compiled once per process (mentorat.lib.compiled_sql) be prepared
    # once per connection too; Django's own cursors bind on the client and never prepare.
    # Turn off behind a pooler that cannot keep prepared statements (PgBouncer in
    # transaction mode before 1.21): README, production deployment.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process: allauth keeps its rate-limit counters and the TOTP
# codes already used in it, so a per-process cache would multiply every limit by the
# number of workers and accept one code once per worker (docs/adr/0006-shared-cache.md).
# Redis when REDIS_URL is set; otherwise a table of the database (created by `migrate`),
# which needs no other service. The table is culled past MAX_ENTRIES, live entries too,
# so the ceiling is far above what the short-lived sign-in entries need.
REDIS_URL = env_str("REDIS_URL", "")
CACHES: dict[str, dict[str, object]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "mentorat_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"

# Sessions end after SESSION_IDLE_MINUTES without activity: a request renews the
# session's expiry, but writes it at most once every SESSION_REFRESH_SECONDS
# (mentorat.accounts.middleware.SessionActivityMiddleware), not on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
if not 0 <= SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_REFRESH_SECONDS must be under SESSION_IDLE_MINUTES.")
SESSION_SAVE_EVERY_REQUEST = False
# With Redis, sessions are read from the shared cache and written through to the
# database (cached_db): one query less per request. With the database cache table, a
# cache read is a query too and a write costs two: plain database sessions then.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "mentorat.accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "mentorat.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mentorat] "
# Rate limits (on with DEBUG off) key on the client address of mentorat.lib.client_ip.
# Failed sign-ins: 20 a minute per address, and at most 10 per 5 minutes per account from
# all addresses together. That account-wide ceiling throttles rather than locks: it is a
# sliding window (no cool-off to sit out), so spraying one account from many addresses
# gets 10 guesses per 5 minutes; and a browser where the owner signed in before counts
# its failures apart (mentorat.accounts.devices), so a spray cannot keep the owner out.
LOGIN_RATE_LIMITS = {"login_failed": "20/m/ip,10/5m/key"}
ACCOUNT_RATE_LIMITS = LOGIN_RATE_LIMITS if not DEBUG else False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Single sign-on (mentorat.sso, docs/adr/0014-single-sign-on.md): the apps are the
# organisations' connections, read by the adapter; the provider of an organisation is
# the authority on its domains' addresses, so they need no confirmation email.
SOCIALACCOUNT_ADAPTER = "mentorat.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"saml": {"provider_class": "mentorat.sso.providers.SAMLProvider"}}
# Name servers ("host" or "host:port", comma-separated) that check the TXT records proving
# an organisation controls an email domain (docs/sso.md); empty: the system's resolver.
SSO_DNS_NAMESERVERS = env_list("SSO_DNS_NAMESERVERS", [])
SSO_DNS_TIMEOUT_SECONDS = env_int("SSO_DNS_TIMEOUT_SECONDS", 5)
MFA_TOTP_ISSUER = "Mentorat"

# Number of reverse proxies of ours in front of the app, each appending the address it
# received the request from to X-Forwarded-For (1 behind the proxy of the deployment
# guide). 0: the header is ignored and REMOTE_ADDR is the client, so it cannot be forged.
# mentorat.lib.client_ip reads it: the one client address allauth (AccountAdapter.
# get_client_ip) and axes (AXES_CLIENT_IP_CALLABLE) key on.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "mentorat.lib.client_ip.client_ip"

# django-axes: lock the pair (account, client address) after repeated failures, so five
# bad passwords from one address lock that address out of that account only; the
# account-wide ceiling is allauth's throttle above.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "mentorat.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Platform security log (mentorat.audit): refused accesses kept this many days, at most
# SECURITY_EVENT_RATE_LIMIT rows per account every SECURITY_EVENT_RATE_WINDOW seconds
# (counted in the shared cache).
SECURITY_EVENT_RETENTION_DAYS = env_int("SECURITY_EVENT_RETENTION_DAYS", 180)
SECURITY_EVENT_RATE_LIMIT = env_int("SECURITY_EVENT_RATE_LIMIT", 20)
SECURITY_EVENT_RATE_WINDOW = env_int("SECURITY_EVENT_RATE_WINDOW", 3600)

# REST API: calls allowed per API key ("<n>/<s|m|h|d>"), counted in the shared cache.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/m")

# Roles that must use two-factor authentication before doing anything else.
MFA_REQUIRED_ROLES = ("admin", "coordinator")
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "mentorat" / "static"]
# Files holding personal data (data exports) live in their own storage, outside
# STATIC_ROOT and any served folder: no URL maps to it, only views that check who is
# asking read them (mentorat.privacy.exports). Back it up like the database.
PRIVATE_FILES_ROOT = Path(env_str("PRIVATE_FILES_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "mentorat.lib.private_storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Email: console in the demo, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mentorat <noreply@mentorat.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds each SMTP step may take: a server that accepts the connection and never answers
# would otherwise hold a worker, and every task queued behind it, forever. A send that
# times out is recorded as failed in the delivery ledger (mentorat.notifications.outbox).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# Background tasks (Django's tasks API through the django-tasks backport). The database
# backend needs `manage.py db_worker`; the immediate one runs tasks inline (demo, tests).
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
# Each `db_worker` writes a heartbeat every WORKER_HEARTBEAT_SECONDS. A task still running
# while its worker has been silent for WORKER_STALE_SECONDS is orphaned: the email tasks
# are queued again (at most WORKER_MAX_ATTEMPTS attempts in all), the others marked failed
# (mentorat.worker.recovery).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 120)
WORKER_MAX_ATTEMPTS = env_int("WORKER_MAX_ATTEMPTS", 3)
# Webhooks (docs/webhooks.md): endpoints must be https on public addresses unless this is
# on (development, tests); a failing endpoint is turned off after this many failures.
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = env_bool("WEBHOOKS_ALLOW_PRIVATE_NETWORKS", DEBUG)
WEBHOOKS_DISABLE_AFTER_FAILURES = env_int("WEBHOOKS_DISABLE_AFTER_FAILURES", 15)
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)
# Seconds before each retry of a failed delivery (the Standard Webhooks reference schedule),
# and how long a worker holds a delivery it is sending before another may take it over.
WEBHOOKS_RETRY_SECONDS = [
    int(s)
    for s in env_list(
        "WEBHOOKS_RETRY_SECONDS", ["5", "300", "1800", "7200", "18000", "36000", "36000"]
    )
]
WEBHOOKS_LEASE_SECONDS = env_int("WEBHOOKS_LEASE_SECONDS", 60)
# Report charts drawn by a worker shortly after a program's data change (see
# mentorat/reports/rendered.py); off in development, where no worker runs.
REPORT_CHARTS_IN_BACKGROUND = env_bool("REPORT_CHARTS_IN_BACKGROUND", not DEBUG)

# Matching: a run without a heartbeat for this long is declared dead (failed, retryable);
# MATCHING_ANSWER_DAYS is the answer delay of pairs whose program has no matching settings
# (each program sets its own); self-matching requests.
MATCHING_RUN_STALE_SECONDS = env_int("MATCHING_RUN_STALE_SECONDS", 120)
MATCHING_ANSWER_DAYS = env_int("MATCHING_ANSWER_DAYS", 7)
MATCHING_MAX_PENDING_REQUESTS = env_int("MATCHING_MAX_PENDING_REQUESTS", 3)
MATCHING_REQUEST_EXPIRY_DAYS = env_int("MATCHING_REQUEST_EXPIRY_DAYS", 14)

# Seconds after a message before its unread readers are told by email (those who chose
# "immediately"; mentorat.conversations.notify).
MESSAGE_NOTIFICATION_DELAY_SECONDS = env_int("MESSAGE_NOTIFICATION_DELAY_SECONDS", 900)

# Security headers. Production values are strict; the demo runs on plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
