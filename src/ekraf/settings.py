"""The one settings module. Every knob is an environment variable (see docs/operators.md, "Configuration").

Embedded defaults need nothing: SQLite and files under ``var/``, the database task queue, mail
on the console. Production sets DATABASE_URL, REDIS_URL, S3 and secrets in the environment.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
_checkout = PACKAGE_DIR.parent.parent
# In a source checkout var/ sits beside pyproject.toml; an installed package uses the cwd.
BASE_DIR = _checkout if (_checkout / "pyproject.toml").exists() else Path.cwd()
VAR_DIR = Path(env("EKRAF_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)
KEYS_DIR = Path(env("EKRAF_KEYS_DIR", str(VAR_DIR / "keys"))).resolve()


def secret_from_env_or_file(name: str, filename: str, make) -> str:
    """A secret from the environment, else from a file under KEYS_DIR, created on first use.

    The file keeps the embedded setup working with no configuration while nothing secret ever
    lives in the repository; production passes the value in the environment instead.
    """
    value = env(name)
    if value:
        return value
    path = KEYS_DIR / filename
    if not path.exists():
        KEYS_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
    return path.read_text().strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


DEBUG = env_bool("EKRAF_DEBUG", False)
SECRET_KEY = secret_from_env_or_file(
    "EKRAF_SECRET_KEY", "django-secret-key", lambda: secrets.token_urlsafe(64)
)
# Fernet keys for personal data at rest (NIK); comma-separated, the first encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = env_list("EKRAF_FIELD_KEYS") or [
    secret_from_env_or_file("", "field-encryption.key", _fernet_key)
]
# HMAC key for the searchable hashes that catch duplicate NIK without storing it in clear.
PERSONAL_DATA_HASH_KEY = secret_from_env_or_file(
    "EKRAF_HASH_KEY", "personal-data-hash.key", lambda: secrets.token_hex(32)
)

BASE_URL = env("EKRAF_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The public host name answers by default, so setting EKRAF_BASE_URL alone is enough.
ALLOWED_HOSTS = env_list(
    "EKRAF_ALLOWED_HOSTS",
    f"{urlsplit(BASE_URL).hostname or 'localhost'},127.0.0.1,localhost,testserver",
)
CSRF_TRUSTED_ORIGINS = env_list("EKRAF_CSRF_TRUSTED_ORIGINS", BASE_URL)

INSTALLED_APPS = [
    "ekraf.accounts.admin_site.AdminConfig",  # django.contrib.admin behind the second sign-in step
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # /sitemap.xml (core/sitemaps.py): its template
    "bootstrap",
    "ninja",  # listed so the API docs use its bundled Swagger files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ekraf.core",
    "ekraf.accounts",
    "ekraf.creators",
    "ekraf.trainings",
    "ekraf.credentials",
    "ekraf.talent",
    "ekraf.programs",
    "ekraf.spaces",
    "ekraf.newsroom",
    "ekraf.insights",
    "ekraf.api",
    "ekraf.ops",
]

MIDDLEWARE = [
    "ekraf.core.middleware.RequestIdMiddleware",
    "ekraf.core.uploads.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ekraf.core.middleware.IndonesianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sends a signed-in person whose second factor is still owed to that step (accounts.two_factor).
    "ekraf.accounts.two_factor.TwoFactorMiddleware",
    # Turns a refused sign-in (the lockout in the authentication backend) into its 429 page.
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A database that drops the connection mid-request: 503 page, nothing written.
    "ekraf.core.middleware.UnavailableMiddleware",
    # Last, so its 404 page has the user, messages and the security headers like any page.
    "ekraf.core.middleware.NulCharactersMiddleware",
]

ROOT_URLCONF = "ekraf.urls"
WSGI_APPLICATION = "ekraf.wsgi.application"
ASGI_APPLICATION = "ekraf.asgi.application"

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
                "ekraf.core.context_processors.platform",
            ],
        },
    },
]

FORM_RENDERER = "ekraf.core.forms.FormRenderer"

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ekraf.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif int(env("EKRAF_DB_POOL_SIZE", "4")) > 0:
    # A bounded pool per process (Django's psycopg pool): a burst of requests waits up to
    # EKRAF_DB_POOL_TIMEOUT seconds for a connection instead of opening one per thread until
    # PostgreSQL's max_connections runs out. Django has the pool check each connection before
    # use, so a restarted server costs no error. Processes × pool size must stay below max_connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django must not
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(env("EKRAF_DB_POOL_SIZE", "4")),
        "timeout": float(env("EKRAF_DB_POOL_TIMEOUT", "10")),
    }
else:
    # Without the pool (EKRAF_DB_POOL_SIZE=0, e.g. behind PgBouncer): persistent connections,
    # checked before reuse.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT compilation: it pays off for long analytical queries, not for a page's; on the
    # talent directory it spent 84 ms compiling a 30 ms query (issue 10's benchmark).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

AUTH_USER_MODEL = "accounts.User"
# The lockout sits in the authentication backends, so every sign-in path (the site's form, the
# API token endpoint, /admin/login/) goes through it: axes refuses first, then our backend
# checks the password and slows an account down that is guessed at from everywhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ekraf.accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

LANGUAGE_CODE = "id"
# The language switch's choice outlives the browser session (Django's default): a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env("EKRAF_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("EKRAF_MEDIA_ROOT", str(VAR_DIR / "media")))
# Without collectstatic (make run, tests) whitenoise serves straight from the app directories.
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "staticfiles.json").exists()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not WHITENOISE_USE_FINDERS
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The application's own limit on a request body, whatever a proxy in front allows: declared
# lengths above it get 413 before anything is read, streamed ones stop at it (core.uploads).
MAX_REQUEST_BYTES = int(env("EKRAF_MAX_REQUEST_MB", "32")) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "ekraf.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

S3_BUCKET = env("EKRAF_S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("EKRAF_S3_ENDPOINT_URL") or None,
            "access_key": env("EKRAF_S3_ACCESS_KEY") or None,
            "secret_key": env("EKRAF_S3_SECRET_KEY") or None,
            "region_name": env("EKRAF_S3_REGION") or None,
            # Path-style (https://host/bucket/key) works with every S3-compatible server (MinIO,
            # Ceph, Garage) on a plain host name or IP; AWS itself takes "virtual".
            "addressing_style": env("EKRAF_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "location": env("EKRAF_S3_PREFIX"),
            "default_acl": None,  # the bucket stays private
            # File URLs point at the site's own /media/, which serves public files (logos)
            # from the bucket and nothing else: pages never link the bucket, the CSP's
            # img-src 'self' holds, and personal files go only through permission-checking
            # views, exactly as with files on disk.
            "custom_domain": f"{urlsplit(BASE_URL).netloc}/media",
            "url_protocol": f"{urlsplit(BASE_URL).scheme}:",
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "ekraf.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("EKRAF_CACHE_PREFIX", "ekraf"),
            # A Redis that stops answering costs a request 5 s, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
    # Sessions read from Redis and are written through to the database, so restarting or
    # flushing Redis logs nobody out (plain "cache" sessions would all be lost).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            # A bulk certificate issuance can run for many minutes; RQ's default kills at 180 s.
            "DEFAULT_TIMEOUT": int(env("EKRAF_TASK_TIMEOUT", "7200")),
            "REDIS_CLIENT_KWARGS": {"socket_connect_timeout": 5},
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ekraf_cache",
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

SMTP_HOST = env("EKRAF_SMTP_HOST")
if SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = SMTP_HOST
    EMAIL_PORT = int(env("EKRAF_SMTP_PORT", "587"))
    EMAIL_HOST_USER = env("EKRAF_SMTP_USER")
    EMAIL_HOST_PASSWORD = env("EKRAF_SMTP_PASSWORD")
    EMAIL_USE_TLS = env_bool("EKRAF_SMTP_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("EKRAF_FROM_EMAIL", "Ekraf <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Behind TLS, production sets EKRAF_HTTPS=1 (see docs/deploy.md).
HTTPS = env_bool("EKRAF_HTTPS", BASE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("EKRAF_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("EKRAF_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# How many reverse proxies (load balancer, TLS terminator) stand in front of the web processes
# and append to X-Forwarded-For; 0 ignores the header (see ekraf.core.clientip).
TRUSTED_PROXIES = int(env("EKRAF_TRUSTED_PROXIES", "0"))
# Matching's per-role snapshot older than this is served while a background task rebuilds it.
EKRAF_MATCHING_SNAPSHOT_SECONDS = int(env("EKRAF_MATCHING_SNAPSHOT_SECONDS", "600"))
# The API's throttles (log-in at /api/v1/auth/token) identify clients the same way. Ninja's
# default (None) takes the whole X-Forwarded-For as the identity, so a client that sent a new
# value with every guess was never throttled.
NINJA_NUM_PROXIES = TRUSTED_PROXIES
# Load balancers and monitors probe the app servers directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Sign-in lockout (django-axes, in the authentication backend: docs/security.md). After
# LOGIN_MAX_FAILURES failed attempts for one account FROM ONE ADDRESS within the lockout
# period, that pair is refused for the period: someone who knows an official's username cannot
# lock the official out from another address. Per account across all addresses there is only
# a slow-down (accounts.backends): past LOGIN_SLOWDOWN_AFTER failures, addresses the account
# never signed in from get one attempt per LOGIN_SLOWDOWN_SECONDS.
LOGIN_MAX_FAILURES = int(env("EKRAF_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(env("EKRAF_LOGIN_LOCKOUT_MINUTES", "15"))
LOGIN_SLOWDOWN_AFTER = int(env("EKRAF_LOGIN_SLOWDOWN_AFTER", "10"))
LOGIN_SLOWDOWN_SECONDS = int(env("EKRAF_LOGIN_SLOWDOWN_SECONDS", "30"))
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successes are not logged: one write less per sign-in
AXES_USERNAME_CALLABLE = "ekraf.accounts.lockout.account_identity"
AXES_CLIENT_IP_CALLABLE = "ekraf.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "ekraf.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Two-factor sign-in (django-otp): TOTP apps and one-time recovery codes. Required for
# administrators and for the admin site; other staff may enrol (accounts.two_factor).
OTP_TOTP_ISSUER = env("EKRAF_OTP_ISSUER", "Ekraf")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ekraf.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ekraf.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if env("EKRAF_LOG_FORMAT", "plain") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("EKRAF_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "faker": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # one line per sign-in otherwise
    },
}

# Platform behaviour.
EKRAF_CITY_DATA_DIR = Path(
    env("EKRAF_CITY_DATA_DIR", str(PACKAGE_DIR / "core" / "data" / "kota-malang"))
)
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
# The benchmark's floor endpoint /bench/trivial (ekraf.bench.views); only its own servers.
BENCH_ENDPOINTS = env_bool("EKRAF_BENCH_ENDPOINTS")

# --- E-certificates (credentials app) ---------------------------------------------------------
# Signing keys live outside the repository: Ed25519 keys for QR tokens and Open Badges, and the
# PAdES certificate for PDFs. `python -m ekraf credential_keys init` creates them here.
CREDENTIAL_KEYS_DIR = Path(
    env("EKRAF_CREDENTIAL_KEYS_DIR", str(KEYS_DIR / "credentials"))
).resolve()
# How certificate PDFs are signed: "local" (the platform's PAdES certificate), "none", or the
# dotted path of a class implementing ekraf.credentials.signing.PdfSigner (e.g. a BSrE client).
PDF_SIGNER = env("EKRAF_PDF_SIGNER", "local")
# The PAdES certificate, key and chain; by default the ones `credential_keys init` creates.
PDF_SIGNING_CERT = env("EKRAF_PDF_SIGNING_CERT")
PDF_SIGNING_KEY = env("EKRAF_PDF_SIGNING_KEY")
PDF_SIGNING_KEY_PASSWORD = env("EKRAF_PDF_SIGNING_KEY_PASSWORD")
PDF_SIGNING_CHAIN = env_list("EKRAF_PDF_SIGNING_CHAIN")
# An RFC 3161 timestamping authority for PAdES B-T/B-LT/B-LTA (the state CA's or any); unset, a
# local timestamping certificate issued by the platform's own local CA stamps the time.
TSA_URL = env("EKRAF_TSA_URL")
# Trust anchors of that authority's certificates (PEM files), embedded as validation data.
TSA_CHAIN = env_list("EKRAF_TSA_CHAIN")
# Verification look-ups allowed per client address and minute (pages and API together).
VERIFY_RATE_PER_MINUTE = int(env("EKRAF_VERIFY_RATE_PER_MINUTE", "60"))
# How long a verification answer is kept in the default cache (credentials.selectors.
# verification; revocation deletes it at once). Only with Redis: the embedded default cache is
# the database, where a cache hit costs the same query as the certificate itself.
VERIFY_CACHE_SECONDS = int(env("EKRAF_VERIFY_CACHE_SECONDS", "600" if REDIS_URL else "0"))
# How long a period's computed room availability is kept (spaces.availability: keyed by a
# version every booking change bumps, so it is never stale). Only with Redis, as above.
SPACES_AVAILABILITY_CACHE_SECONDS = int(
    env("EKRAF_SPACES_AVAILABILITY_CACHE_SECONDS", "600" if REDIS_URL else "0")
)
# The agency whose staff receive professional-certification referrals.
REFERRAL_AGENCY_CODE = env("EKRAF_REFERRAL_AGENCY", "disnaker-pmptsp")
# Rate-limit counters: process memory in the embedded setup (no database round trip on the
# verification pages), Redis when scaled out so every web process shares them.
CACHES["ratelimit"] = (
    {"BACKEND": "ekraf.core.cache.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
)
# Personal data (docs/privacy.md). NIK reveals allowed per staff member and hour (creators.
# services.reveal_nik; each is audited), and how long an account whose e-mail was never
# verified is kept before the periodic job `accounts.purge_unverified` deletes it.
NIK_REVEALS_PER_HOUR = int(env("EKRAF_NIK_REVEALS_PER_HOUR", "20"))
UNVERIFIED_ACCOUNT_DAYS = int(env("EKRAF_UNVERIFIED_ACCOUNT_DAYS", "14"))
