"""SafeMoves settings, read from the environment.

Production is the default: every secret must be given, cookies are secure and
DEBUG is off. ``SAFEMOVES_DEMO=1`` turns on the demo conveniences (an SQLite
database and generated secrets under ``var/``, the on-screen second-factor
code for demo accounts); nothing demo-only exists when it is off.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from safemoves.common.env import env_bool, env_int, env_list, env_secret, env_str

DEMO = env_bool("SAFEMOVES_DEMO", False)
DEBUG = env_bool("DEBUG", False)
if DEBUG and not DEMO:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DEBUG may only be turned on together with SAFEMOVES_DEMO=1.")

DATA_DIR = Path(env_str("SAFEMOVES_DATA_DIR", str(Path.cwd() / "var"))).resolve()
PACKAGE_DIR = Path(__file__).resolve().parent

SECRET_KEY = env_secret("SECRET_KEY", fallback_file=DATA_DIR / "secret_key" if DEMO else None)
AUDIT_HMAC_KEY = env_secret("AUDIT_HMAC_KEY", fallback_file=DATA_DIR / "audit_key" if DEMO else None)
SAFEMOVES_KEYRING_FILE = Path(env_str("SAFEMOVES_KEYRING_FILE", str(DATA_DIR / "keyring.json")))
SAFEMOVES_KEYRING_AUTOCREATE = env_bool("SAFEMOVES_KEYRING_AUTOCREATE", DEMO)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEMO else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Number of reverse proxies in front of the app whose X-Forwarded-For entries we trust.
SAFEMOVES_TRUSTED_PROXIES = env_int("SAFEMOVES_TRUSTED_PROXIES", 0)
if SAFEMOVES_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Where "Exit this page" on the public intake pages sends a visitor: a neutral, everyday site.
SAFEMOVES_EXIT_URL = env_str("SAFEMOVES_EXIT_URL", "https://www.bbc.co.uk/weather")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "safemoves.common",
    "safemoves.audit",
    "safemoves.accounts",
    "safemoves.organisations",
    "safemoves.keys",
    "safemoves.cases",
    "safemoves.risk",
    "safemoves.safety",
    "safemoves.emergency",
    "safemoves.intake",
    "safemoves.properties",
    "safemoves.reciprocal",
    "safemoves.api",
    "safemoves.documents",
    "safemoves.letters",
    "safemoves.tasks",
    "safemoves.notifications",
    "safemoves.reports",
    "safemoves.web",
    "safemoves.jobs",
    "safemoves.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safemoves.common.middleware.RequestIdMiddleware",
    "safemoves.common.middleware.NullCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "safemoves.common.middleware.FormNewlinesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safemoves.accounts.middleware.StaffOTPMiddleware",
    "safemoves.accounts.middleware.StaffSessionMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "safemoves.common.middleware.OrganisationScopeMiddleware",
    "safemoves.common.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safemoves.urls"
WSGI_APPLICATION = "safemoves.wsgi.application"

CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "csp.context_processors.nonce",
    "safemoves.web.context_processors.shell",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": CONTEXT_PROCESSORS,
            # After Django's own: the same date filter, compiled once per format (ADR 0033).
            "builtins": ["safemoves.common.templatetags.dates"],
        },
    },
    {
        # The busiest pages and their frame (ADR 0037): templates in each app's jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "safemoves.web.jinja.environment",
            "context_processors": [
                *CONTEXT_PROCESSORS,
                "safemoves.web.jinja.csrf_once",
                "safemoves.web.jinja.addresses",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'safemoves.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend plus the row-level security settings that follow the scope (ADR 0020).
    DATABASES["default"]["ENGINE"] = "safemoves.common.db.postgresql"
    # Connecting as the application role is the production setup; when the connection's
    # user owns the tables, DATABASE_ASSUME_ROLE makes every session SET ROLE to it instead.
    if assume_role := env_str("DATABASE_ASSUME_ROLE", ""):
        DATABASES["default"].setdefault("OPTIONS", {})["assume_role"] = assume_role
    # Server-side parameters, and psycopg's prepared statements for a statement a connection has
    # run this many times: PostgreSQL then plans each statement once per connection instead of
    # on every execution. Planning was most of the database's CPU on the case page (ADR 0032).
    # 0 turns both off (client-side binding, Django's default), e.g. behind a connection pooler
    # in transaction mode that does not track prepared statements.
    if prepare_threshold := env_int("DATABASE_PREPARE_THRESHOLD", 5):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=prepare_threshold
        )
# The role the application's queries run as on PostgreSQL; migrations grant it its rights.
SAFEMOVES_DB_APP_ROLE = env_str("SAFEMOVES_DB_APP_ROLE", "safemoves_app")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers continue while a writer commits; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing on lock upgrade.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# A dropped connection (a database restart, a failover, pg_terminate_backend) is noticed at the
# start of the next request and replaced, so the service recovers without a restart of its own.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache (ADR 0025): rate limits and locks must hold across every web process and
# worker, so production with more than one process names Redis. Without it (the demo, one
# process) the per-process memory cache is enough.
REDIS_URL = env_str("REDIS_URL", "")
CACHE_URL = env_str("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "sm"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "safemoves"}}

# Background jobs on Celery (ADR 0025). Without a broker every job runs in-process at once
# (the demo and the test suite); with one, workers run them and beat runs the clocks.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A job's message is acknowledged only when the job has finished, and put back when the
# worker dies: a kill -9 mid-job loses nothing (the job's writes commit or roll back as one).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "safemoves")
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
SAFEMOVES_TICK_SECONDS = env_int("SAFEMOVES_TICK_SECONDS", 300)
# How long a job's file (an export, a board pack) or shown result is kept before the tick deletes it.
SAFEMOVES_JOB_OUTPUT_HOURS = env_int("SAFEMOVES_JOB_OUTPUT_HOURS", 24)
CELERY_BEAT_SCHEDULE = {
    "clocks": {"task": "safemoves.jobs.tasks.tick", "schedule": float(SAFEMOVES_TICK_SECONDS)},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "safemoves.accounts.backends.StaffBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"

# Sessions: 30 minutes idle and 12 hours absolute, both enforced by StaffSessionMiddleware
# from times kept in the session (ADR 0015). The last-activity time is rewritten only when it
# is more than SAFEMOVES_SESSION_ACTIVITY_GRANULARITY old, so a request that changes nothing
# does not write the session row; the stored row lives one granularity longer than the idle
# limit so that it never expires before the middleware's own check.
SAFEMOVES_SESSION_IDLE_SECONDS = 30 * 60
SAFEMOVES_SESSION_ACTIVITY_GRANULARITY = 60
SESSION_COOKIE_AGE = SAFEMOVES_SESSION_IDLE_SECONDS + SAFEMOVES_SESSION_ACTIVITY_GRANULARITY
SESSION_SAVE_EVERY_REQUEST = False
# Database sessions whose read is a prepared statement (safemoves/accounts/sessions.py, ADR 0030).
SESSION_ENGINE = "safemoves.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SAFEMOVES_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEMO
CSRF_COOKIE_SECURE = not DEMO
SESSION_COOKIE_NAME = "__Host-sm_session" if not DEMO else "sm_session"
CSRF_COOKIE_NAME = "__Host-sm_csrf" if not DEMO else "sm_csrf"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEMO)
# The load balancer probes over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 0 if DEMO else env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEMO
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a decision for the operator's domain, not the application.
    "security.W021",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

OTP_TOTP_ISSUER = "SafeMoves"

# Lockout counters stay in the database (ADR 0025): every web process shares it already, and a
# lockout must survive a restart or flush of the cache (the machine's Redis keeps nothing on disk).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
# Lock the pair (username, address): a guesser elsewhere cannot lock a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_CLIENT_IP_CALLABLE = "safemoves.accounts.security.client_ip"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "token"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEMO
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The demo serves static files straight from the installed packages; production collects them.
WHITENOISE_USE_FINDERS = DEMO
WHITENOISE_AUTOREFRESH = DEMO

# Every send_mail becomes a job (ADR 0025): the queued backend enqueues the message and a worker
# delivers it through SAFEMOVES_EMAIL_DELIVERY_BACKEND (EMAIL_BACKEND in the environment).
SAFEMOVES_EMAIL_DELIVERY_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEMO else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_BACKEND = (
    "safemoves.jobs.mail.QueuedEmailBackend" if env_bool("EMAIL_QUEUE", True) else SAFEMOVES_EMAIL_DELIVERY_BACKEND
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") if env_bool("EMAIL_USE_AUTH", False) else ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SafeMoves <no-reply@safemoves.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address staff reach SafeMoves at, for links in notification e-mails (e.g. https://safemoves.example.org).
SAFEMOVES_SITE_URL = env_str("SAFEMOVES_SITE_URL", "").rstrip("/")

# One JSON object a line, with the request id, in production (LOG_FORMAT=plain for people).
# Nothing logs request bodies or form fields; referral and invitation tokens are redacted.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEMO else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "safemoves.common.logging.JsonFormatter"},
    },
    "filters": {
        "redact_secret_paths": {"()": "safemoves.common.logging.RedactSecretPaths"},
        "request_id": {"()": "safemoves.common.logging.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["redact_secret_paths", "request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # runserver's request log has its own handler in Django's defaults: route it through ours
        # so the secret-path filter sees it too.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Uploads stay in memory (never a clear temporary file) and are bounded (ADR 0023).
FILE_UPLOAD_HANDLERS = ["safemoves.common.uploads.BoundedMemoryUploadHandler"]
UPLOAD_MAX_BYTES = 25 * 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
