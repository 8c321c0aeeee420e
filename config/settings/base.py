"""Base settings, read from the environment.

Documented variables (see README.md and docs/deploy.md):

- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/helhedsplaner``;
  default an embedded SQLite file ``db.sqlite3`` in the project folder.
- ``DJANGO_SECRET_KEY``: required in production.
- ``DJANGO_DEBUG``: ``1``/``true`` to turn debug on.
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names.
- ``DJANGO_MEDIA_ROOT``: where uploaded attachments and rendered PDFs are stored on disk
  (unless ``DJANGO_S3_BUCKET`` is set).
- ``DJANGO_S3_BUCKET``: keep them in this bucket of an S3 or S3-compatible object store
  instead (django-storages, ``config.storages``); unset: the local disk.
- ``DJANGO_S3_ENDPOINT_URL``: the store's address for an S3-compatible one (MinIO, Ceph,
  a municipal object store), e.g. ``https://objects.example.dk``; unset: Amazon S3.
- ``DJANGO_S3_REGION``: the bucket's region, e.g. ``eu-north-1``.
- ``DJANGO_S3_ACCESS_KEY_ID`` / ``DJANGO_S3_SECRET_ACCESS_KEY``: the store's credentials;
  unset: boto3's own chain (``AWS_*`` variables, a profile, an instance role).
- ``DJANGO_S3_PREFIX``: a folder in the bucket the files are kept under (default none).
- ``DJANGO_STATIC_ROOT``: where ``collectstatic`` puts static files.
- ``DJANGO_PAGE_CACHE``: ``0`` turns the page cache off (``core.pagecache``).
- ``DJANGO_PAGE_CACHE_ENTRIES``: rendered pages kept per process (default 500).
- ``DJANGO_CACHE_URL``: ``redis://host:6379/0`` puts the shared figures and the rendered
  pages in Redis, shared by every worker on every machine (default: each process keeps
  its own in memory).
- ``DJANGO_LOGIN_MAX_FAILURES``: failed sign-ins before a lockout (default 5).
- ``DJANGO_LOGIN_FAILURE_WINDOW``: seconds a lockout lasts and failures are counted (900).
- ``DJANGO_TRUSTED_PROXY_HEADER``: the header a trusted reverse proxy puts the client
  address in (e.g. ``X-Forwarded-For``); unset: the connection's address (REMOTE_ADDR).
- ``DJANGO_TRUSTED_PROXY_COUNT``: how many such proxies add to that header (default 1).
- ``DJANGO_SESSION_IDLE_SECONDS``: a session ends after this long without a request
  (default 28800, a working day).
- ``OIDC_*``: sign-in with the municipality's identity provider (OpenID Connect), off
  unless ``OIDC_ENABLED`` is set; see the block at the end and docs/deploy.md.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.storages import default_storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "insecure-local-development-key-do-not-use-in-production"
)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    # Sign-in lockouts (its own tables: axes_accessattempt, axes_accesslog, ...).
    "axes",
    # Loads each app's rules.py: the policy layer (see docs/architecture.md).
    "rules.apps.AutodiscoverRulesConfig",
    # Background jobs (the meetings' PDFs): Django's Tasks API through its backport, kept
    # in the database (its own tables) and run by ``manage.py db_worker``.
    "django_tasks",
    "django_tasks_db",
    "core",
    "committees",
    "cases",
    "helhedsplaner",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    # A NUL byte in the path or query string: 400 before anything else reads it.
    "core.middleware.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sliding idle timeout of a signed-in session (SESSION_COOKIE_AGE).
    "core.middleware.IdleSessionMiddleware",
    # Pages for a signed-in user are never kept by browsers or proxies.
    "core.middleware.PrivateCacheMiddleware",
    # Records whether a write was committed, for the 500 page ("saved" or "not saved").
    "core.middleware.CommitTrackingMiddleware",
    # Every page requires login unless the view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records request.user on every history row (who changed what).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a sign-in lockout into the lockout page; axes wants to be last.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.roles",
                "core.context_processors.reader",
            ],
        },
    },
]
# Django's form renderer, with its input and textarea templates written in Python
# (core/formrender.py): the same HTML, a third less time to open the plan form.
FORM_RENDERER = "core.formrender.FastRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people saving at once: wait for the write lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A persistent connection that died (database restart, failover) is replaced before
# the next request uses it, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # QuerySet.iterator() reads through a client-side cursor. The product iterates only
    # short lists (a form's choices, which Django reads with iterator()); a server-side
    # cursor cost each of them three round trips (DECLARE, FETCH, CLOSE) and a result
    # materialised at commit (WITH HOLD), five times over when the plan form opened. It
    # is also what a transaction-pooling PgBouncer in front of PostgreSQL requires.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# "default" holds small shared values; "pages" holds rendered pages (core.pagecache).
# Pages are keyed by versions read from the database on every request, so a per-process
# cache is correct even with many app server processes: it only costs each process its
# own rendering of each page. With DJANGO_CACHE_URL both live in Redis (Django's own
# backend), so N workers on M machines render a page once per change, not N x M times.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "")


def cache_settings(url: str) -> dict:
    if url:
        return {
            alias: {
                "BACKEND": "core.cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": f"helhedsplaner-{alias}",
                "TIMEOUT": 3600 if alias == "pages" else 300,
            }
            for alias in ("default", "pages")
        }
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DJANGO_PAGE_CACHE_ENTRIES", "500"))},
        },
    }


CACHES = cache_settings(CACHE_URL)
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# At least 12 characters, not a common password ("Sommer2024"), not all digits, not
# like the user's name or e-mail.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Danish numbers in the English interface too (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # Attachments may be closed (confidential): they are never served directly
    # from MEDIA_URL (or a bucket's URL), only through a view that checks who may see
    # them. MEDIA_ROOT, or a bucket with DJANGO_S3_BUCKET (config.storages).
    "default": default_storage_settings(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background jobs: Django's Tasks API (django-tasks, the backport of Django 6.0's
# django.tasks) on the database backend, so the embedded SQLite default and PostgreSQL
# both work without another service. Run ``manage.py db_worker`` beside the web server
# (``make run`` does); any number of workers on any number of machines.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Publishing an agenda renders its PDFs in the background (cases.rendering).
PDF_RENDER_AT_PUBLISH = True

# Case numbers (cases.numbering): how new ones are drawn and which typed ones are accepted.
# Default Copenhagen's YYYY-NNNNNNN (2019-0077034); numbers drawn before (2026-00001) stay
# valid. A KLE-style installation sets e.g. "00.01.00-G01-{sequence}-{yy}" and a pattern
# such as ^\d{2}\.\d{2}\.\d{2}-[A-Z]\d{2}-\d+-\d{2}(\d{2})?$
CASE_NUMBER_FORMAT = os.environ.get("DJANGO_CASE_NUMBER_FORMAT", "{year}-{sequence:07d}")
CASE_NUMBER_PATTERN = os.environ.get("DJANGO_CASE_NUMBER_PATTERN", r"^(19|20)\d{2}-\d{5,}$")
CASE_NUMBER_EXAMPLE = os.environ.get("DJANGO_CASE_NUMBER_EXAMPLE", "2019-0077034")

# Upload limits (attachments): 25 MB per file.
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True

# Sign-in throttling (django-axes) on /log-ind/ and /admin/login/ alike: after
# LOGIN_MAX_FAILURES failed attempts for one user name, or from one client address, that
# user name (from anywhere), or that address (for any user name), is locked out until
# LOGIN_FAILURE_WINDOW_SECONDS have passed without a further failed attempt. Both are read
# when a sign-in is tried (core.auth.failure_limit / cool_off), so tests may override them.
LOGIN_MAX_FAILURES = int(os.environ.get("DJANGO_LOGIN_MAX_FAILURES", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("DJANGO_LOGIN_FAILURE_WINDOW", "900"))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Reads the model permissions with the roles in one query, for ModelBackend's caches.
    "core.auth.PermissionReader",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = "core.auth.failure_limit"
AXES_COOLOFF_TIME = "core.auth.cool_off"
# Separate entries: the user name and the address each count on their own, so a locked
# account never locks out the others and one address guessing many accounts is stopped.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not on success: deleting the attempts that match the request would also wipe the
# address's count, so a guesser could reset it by signing in to an account of their own.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"  # registration/locked_out.html
AXES_HTTP_RESPONSE_CODE = 429
# The client address: the connection's own (REMOTE_ADDR) unless a trusted reverse proxy is
# configured. Then only that header is read, and the client is the entry the outermost of
# the DJANGO_TRUSTED_PROXY_COUNT proxies added, counted from the right: entries a client
# sends in the header itself sit further left and are ignored.
TRUSTED_PROXY_HEADER = os.environ.get("DJANGO_TRUSTED_PROXY_HEADER", "").strip()
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "1"))
if TRUSTED_PROXY_HEADER:
    _meta_name = TRUSTED_PROXY_HEADER.upper().replace("-", "_")
    if not _meta_name.startswith("HTTP_"):
        _meta_name = f"HTTP_{_meta_name}"
    AXES_IPWARE_META_PRECEDENCE_ORDER = (_meta_name,)
    # python-ipware counts the proxies listed in the header: the one nearest to us adds the
    # address it saw, which is not itself in the header.
    AXES_IPWARE_PROXY_COUNT = max(TRUSTED_PROXY_COUNT - 1, 0)
    # Longer chains (a client's own entries on the left) are fine: the position counts.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None

# Idle timeout: a session ends after SESSION_COOKIE_AGE seconds without a request (the
# database row's expiry is enforced on the server, the cookie's Max-Age matches it).
# Sliding expiry: core.middleware.IdleSessionMiddleware saves a signed-in session again,
# which moves both forward, once SESSION_IDLE_REFRESH_SECONDS have passed since it last
# did. It is SESSION_SAVE_EVERY_REQUEST without a session write on every page view (three
# queries more on a page served from the page cache); a session may end up to that many
# seconds early.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_SECONDS", str(8 * 60 * 60)))
SESSION_IDLE_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Sign-in with the municipality's identity provider (OpenID Connect: Entra ID, AD FS, ...)
# through mozilla-django-oidc and committees.users.oidc; docs/deploy.md "Sign-in with
# Entra ID". Off unless OIDC_ENABLED: then nothing below is used and only the local
# logins exist. Authorization code flow with PKCE (S256), state and nonce; the ID token's
# signature (RS256, the provider's JWKS), issuer, audience and expiry are checked. The
# endpoints come from the provider's metadata (OIDC_OP_DISCOVERY_URL), read at the first
# sign-in, not at start-up.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_OP_DISCOVERY_URL = os.environ.get("OIDC_OP_DISCOVERY_URL", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
# The claims are the ID token's, with the userinfo endpoint's added unless this is off
# (the ID token then has to carry name, e-mail and groups itself).
OIDC_USE_USERINFO = env_bool("OIDC_USE_USERINFO", True)
# The ID token is kept in the session for the provider's sign-out (id_token_hint).
OIDC_STORE_ID_TOKEN = True
# The claim with the user's groups (Entra ID: "groups", the groups' object ids) and the
# map from a group to the product's roles and administration, as JSON, e.g.
# {"3f2b...": {"roles": ["Sagsbehandler"], "administration": "BIF"}, "9a1c...": "Politiker"}.
# Roles named anywhere in the map are the provider's: each sign-in sets them to what the
# groups give (a user who left a group loses its role); roles not in the map are kept.
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_MAP = json.loads(os.environ.get("OIDC_GROUP_MAP", "") or "{}")
# Off: the password form refuses everybody but these break-glass user names.
OIDC_LOCAL_LOGIN = env_bool("OIDC_LOCAL_LOGIN", True)
OIDC_BREAK_GLASS_USERS = env_list("OIDC_BREAK_GLASS_USERS")
OIDC_AUTHENTICATE_CLASS = "committees.users.oidc.AuthenticateView"
OIDC_CALLBACK_CLASS = "committees.users.oidc.CallbackView"
# The provider's sign-out (RP-initiated logout) after ours, where its metadata names one.
OIDC_OP_LOGOUT_URL_METHOD = "committees.users.oidc.provider_logout_url"
# Its origin, allowed as a form-action for users signed in there (core.middleware's CSP).
OIDC_FORM_ACTION_ORIGINS = "committees.users.oidc.form_action_origins"
LOGIN_REDIRECT_URL_FAILURE = "login"
OIDC_AUTHENTICATION_BACKENDS = [
    *AUTHENTICATION_BACKENDS[:1],
    # Refuses passwords when OIDC_LOCAL_LOGIN is off (but for the break-glass users).
    "core.auth.LocalLoginGate",
    *AUTHENTICATION_BACKENDS[1:],
    # Last: permissions are answered by the backends above (it is a ModelBackend too).
    "committees.users.oidc.ProviderBackend",
]
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = OIDC_AUTHENTICATION_BACKENDS
