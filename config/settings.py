"""careteams settings: one module, read from the environment.

Local defaults (SQLite, the in-memory channel layer, DEBUG on) need no configuration; production
sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL (see README.md).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Generic Django classes (ModelChoiceField[Membership], ...) as the strict type checks want them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "servestatic.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "careteams",
    "scheduling",
    "clients",
    "mobile_api",
    "accounts",
    "teamwork",
    "messaging",
    "medicines",
    "tablet",
    "sharing",
    "printing",
    "oauth2_provider",
    "interop",
    "demo",
]

MIDDLEWARE = [
    # Outermost: any error under /api/, raised anywhere below, leaves as problem+json.
    "mobile_api.middleware.ProblemJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body or the database: 413 for oversized bodies, 503 when the
    # database is unreachable (careteams/faults.py).
    "careteams.faults.FaultMiddleware",
    # Every statement of a request within REQUEST_DEADLINE_SECONDS (careteams/deadline.py).
    "careteams.deadline.DeadlineMiddleware",
    # The user's teams and family clients read once per request (careteams/access.py).
    "careteams.access.ScopeMiddleware",
    "careteams.static.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the cookie the switch sets (or at sign-in), else Accept-Language; the
    # API's token auth puts the user's own setting first (mobile_api/auth.py, docs/welsh.md).
    "django.middleware.locale.LocaleMiddleware",
    "accounts.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After auth and messages: expired or signed-out-elsewhere sessions end here, then staff
    # without a second factor are sent to set one up.
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every client a request loads or names is in the read log when its answer shows them.
    "careteams.access_log.ReadLogMiddleware",
    "careteams.middleware.DomainErrorMiddleware",
    "careteams.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
# Request bodies (a form, a JSON body, a sync batch) larger than this are refused with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("REQUEST_MAX_BYTES", str(2_621_440)))
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "careteams.context_processors.navigation",
                "accounts.context_processors.security",
            ],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands via DATABASE_URL.
# No persistent connections: under ASGI each request runs in a thread of its own, and a kept
# connection would leak. PostgreSQL uses Django's connection pool instead.
# Health checks on: a pooled connection that PostgreSQL (or the network) has dropped is tested
# before it is handed out, instead of failing the next request that draws it.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0, conn_health_checks=True
    )
}
# Bounds on every wait for PostgreSQL (docs/operations.md, "When the database fails"): opening a
# connection, one statement, and a network that stops answering mid-request.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "30000"))
# A sync push waits at most this long for its team's lock (another write holds it), and starts
# no chunk after its deadline, well within the proxy's 75 s: the rest is answered `retry`
# (docs/sync.md, "Push").
PUSH_LOCK_TIMEOUT_SECONDS = float(os.environ.get("PUSH_LOCK_TIMEOUT_SECONDS", "5"))
PUSH_DEADLINE_SECONDS = float(os.environ.get("PUSH_DEADLINE_SECONDS", "20"))
DATABASE_NETWORK_TIMEOUT = int(os.environ.get("DATABASE_NETWORK_TIMEOUT", "15"))
# No HTTP request runs past this (careteams/deadline.py): its statements are cut at it, and it is
# answered 503. Keep it shorter than the proxy's read timeout (deploy/nginx.conf, 75 s) by more
# than DATABASE_POOL_TIMEOUT, so the app answers before the proxy gives up with its own 504.
REQUEST_DEADLINE_SECONDS = float(os.environ.get("REQUEST_DEADLINE_SECONDS", "60"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from careteams.pools import check_connection

    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "pool": {
                # deploy/gunicorn.conf.py sets the minimum to the maximum: each worker opens
                # all its connections at start (in the worker, after the fork), so a burst on a
                # fresh stack does not wait for the pool to grow one connection at a time.
                "min_size": int(os.environ.get("DATABASE_POOL_MIN", "1")),
                "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
                # Waiting for a free connection (or for PostgreSQL to come back) ends here.
                "timeout": int(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
                # Checked before reuse: one round trip; the first dead connection found drains
                # the whole pool (PostgreSQL dropped them all, most likely).
                "check": check_connection,
            },
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}",
            # A frozen network: unacknowledged data and unanswered keepalives drop the
            # connection after DATABASE_NETWORK_TIMEOUT instead of waiting for the kernel's
            # default (many minutes).
            "keepalives": 1,
            "keepalives_idle": max(1, DATABASE_NETWORK_TIMEOUT // 3),
            "keepalives_interval": max(1, DATABASE_NETWORK_TIMEOUT // 6),
            "keepalives_count": 3,
            "tcp_user_timeout": DATABASE_NETWORK_TIMEOUT * 1000,
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two writers queue on busy_timeout
    # instead of failing with "database is locked" when a read lock is upgraded.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not shared-cache memory: threads and sockets then queue for the write
    # lock (busy timeout) as the real server does, instead of failing with "table is locked".
    # One file per test run, so two runs in one checkout do not share (and corrupt) a database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}

# /healthz: each of its checks (database read and write, cache, channel layer) gives up after
# this many seconds.
HEALTH_CHECK_TIMEOUT = float(os.environ.get("HEALTH_CHECK_TIMEOUT", "2"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "careteams.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
_test_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _test_worker and "CARETEAMS_TEST_REDIS" not in os.environ:
    # The test suite runs in parallel (`make test`): each worker on a Redis database of its
    # own, as tests clear the cache and count keys (an address's failed sign-ins) that the
    # other worker's tests would see. Once: the daphne workers a test starts inherit the URL.
    _redis = urlsplit(REDIS_URL)
    _database = (int(_redis.path.strip("/") or 0) + 1 + int(_test_worker.removeprefix("gw"))) % 16
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_database}"))
    os.environ["REDIS_URL"] = os.environ["CARETEAMS_TEST_REDIS"] = REDIS_URL
# Redis is a speed-up, never a single point of failure (docs/operations.md, "When Redis fails"):
# every wait on it is short, and while it is down or hung the cache falls back to each worker's
# own memory and events are dropped (sockets catch up from the feed).
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25"))
REDIS_CACHE_TIMEOUT = float(os.environ.get("REDIS_CACHE_TIMEOUT", "0.25"))
REDIS_EVENT_TIMEOUT = float(os.environ.get("REDIS_EVENT_TIMEOUT", "1"))
REDIS_RETRY_SECONDS = float(os.environ.get("REDIS_RETRY_SECONDS", "5"))
# redis-py 8 reads with a 5 s socket timeout by default, exactly as long as channels-redis
# blocks waiting for a message: idle sockets then crashed at random with "Timeout reading". The
# channel layer's reads need room beyond the blocking wait; its sends are bounded separately
# (REDIS_EVENT_TIMEOUT, careteams/events.py).
REDIS_LAYER_READ_TIMEOUT = float(os.environ.get("REDIS_LAYER_READ_TIMEOUT", "15"))
CHANNEL_GROUP_EXPIRY = int(os.environ.get("CHANNEL_GROUP_EXPIRY", "1800"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": REDIS_LAYER_READ_TIMEOUT,
                        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                    }
                ],
                "prefix": "careteams",
                # A worker that stops without leaving (a restart, a crash) stays in its teams'
                # groups until this runs out, and each event is still pushed at its channel
                # meanwhile; live hubs renew their groups well within it (realtime/fanout.py).
                "group_expiry": CHANNEL_GROUP_EXPIRY,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "careteams.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "careteams",
            "OPTIONS": {
                "socket_timeout": REDIS_CACHE_TIMEOUT,
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "fallback_seconds": REDIS_RETRY_SECONDS,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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

# Accounts (docs/accounts.md): django-allauth, sign-in by email only, no open sign-up (people
# join through a team or family invitation), TOTP and recovery codes for two-factor.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.EmailBackend",
    # Sessions made before allauth (and by hand in socket tests) name Django's backend.
    "django.contrib.auth.backends.ModelBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Addresses are proven by the invitation link itself; there is no open sign-up to verify.
ACCOUNT_EMAIL_VERIFICATION = "none"
# Shared tablets: a session ends when the browser closes; there is no "remember me".
ACCOUNT_SESSION_REMEMBER = False
# Changing the email address or password asks for the password again (a borrowed, signed-in
# tablet must not be enough).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "careteams: "
LOGIN_LOCKOUT_ATTEMPTS = int(os.environ.get("LOGIN_LOCKOUT_ATTEMPTS", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
# Failed sign-ins are counted in PostgreSQL (accounts.lockout, docs/accounts.md), per account
# and client address together, so a stranger cannot lock a member out from elsewhere.
LOGIN_FAILED_PER_IP_PER_MINUTE = int(os.environ.get("LOGIN_FAILED_PER_IP_PER_MINUTE", "20"))
# Failures for one account from all addresses together (within a day) before its sign-ins slow
# down: a growing wait for a password alone; a second factor or a password reset still works.
LOGIN_ACCOUNT_ATTEMPTS = int(os.environ.get("LOGIN_ACCOUNT_ATTEMPTS", "50"))
ACCOUNT_RATE_LIMITS = {
    "login": f"{os.environ.get('LOGIN_PER_IP_PER_MINUTE', '60')}/m/ip",
}
# Behind the production proxy the client's address is the last X-Forwarded-For entry.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0" if DEBUG else "1"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "careteams"
# allauth refuses two-factor to unverified addresses (to stop a squatter locking the owner
# out); here every address was entered by the team or proven by an invitation link.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Staff (anyone with an active membership or coach link) must set up two-factor before any
# other page opens. Off by default only for the local demo.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", default=not DEBUG)
# Staff sessions: signed out after this long without a request, and this long after sign-in.
# Days a tablet keeps a carer's day without them signing in; then it forgets it (tablet/).
TABLET_KEEP_DAYS = int(os.environ.get("TABLET_KEEP_DAYS", "14"))
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
TEAM_INVITATION_DAYS = 7
# Device tokens (the mobile API) end after this many days without use, and this many days
# after sign-in however much they are used.
DEVICE_TOKEN_IDLE_DAYS = int(os.environ.get("DEVICE_TOKEN_IDLE_DAYS", "14"))
DEVICE_TOKEN_MAX_DAYS = int(os.environ.get("DEVICE_TOKEN_MAX_DAYS", "90"))

# The mobile API (docs/api.md): requests per window of seconds; over it, 429 with Retry-After.
API_SIGN_IN_RATE = (int(os.environ.get("API_SIGN_IN_PER_MINUTE", "10")), 60)
API_WRITE_RATE = (int(os.environ.get("API_WRITES_PER_MINUTE", "300")), 60)
# Partners' FHIR reads (docs/interoperability.md): per partner, as many as the API's writes;
# their token requests per address, as the API's sign-ins.
FHIR_READ_RATE = (int(os.environ.get("FHIR_READS_PER_MINUTE", "300")), 60)
# django-oauth-toolkit: partners get client-credentials tokens for the one scope "fhir", kept
# an hour; secrets are stored hashed, shown once when issued.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {"fhir": "Read the consented clients' records over FHIR"},
    "DEFAULT_SCOPES": ["fhir"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    # Partners use client credentials only; the OAuth 2.0 security BCP (RFC 9700) everywhere
    # else too, so no weaker grant or token transport is open by default.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

# Email (password resets, team invitations): printed to the console locally; SMTP in
# production (EMAIL_HOST, default localhost). Django 6.1's MAILERS replaces the EMAIL_* settings.
email_host = os.environ.get("EMAIL_HOST", "" if DEBUG else "localhost")
if email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": email_host,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "careteams <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
# English and Cymraeg (issue 30). The catalogues are compiled from locale/*.po by `make run`,
# `make test` and the test session itself; the .mo files are not committed.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switch's choice outlives the session: signing out keeps the language (docs/welsh.md).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS: list[Path] = []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "servestatic.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Locally, serve straight from the apps' static folders so that no collectstatic step is needed.
SERVESTATIC_USE_FINDERS = DEBUG
SERVESTATIC_AUTOREFRESH = DEBUG

# Security headers. Production (DEBUG off) must pass `manage.py check --deploy`.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The map of the day on the week board (docs/rostering.md, "The map of the day"): its tiles'
# URL (Leaflet's {z}/{x}/{y}, {s} for subdomains) and the attribution the tiles' licence asks
# for. Empty: no map is drawn, the day's stops are listed only. Only this host is added to the
# CSP's img-src.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


def tile_origin(url: str) -> str:
    """The origin the tiles come from, as a CSP source ("" for none or not http(s))."""
    parts = urlsplit(url.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *filter(None, [tile_origin(MAP_TILE_URL)])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # The tablet app (tablet/): its service worker and manifest, from this origin only.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Travel between clients (scheduling/travel.py): an estimate from the straight-line distance
# times a road factor at an average speed, or an OSRM-compatible routing service when
# ROUTING_URL is set (its table API; answers cached, the estimate when it fails).
TRAVEL_ROAD_FACTOR = float(os.environ.get("TRAVEL_ROAD_FACTOR", "1.3"))
TRAVEL_SPEED_KMH = float(os.environ.get("TRAVEL_SPEED_KMH", "30"))
ROUTING_URL = os.environ.get("ROUTING_URL", "").rstrip("/")
ROUTING_PROFILE = os.environ.get("ROUTING_PROFILE", "driving")
ROUTING_TIMEOUT = float(os.environ.get("ROUTING_TIMEOUT", "3"))
ROUTING_CACHE_SECONDS = int(os.environ.get("ROUTING_CACHE_SECONDS", str(7 * 24 * 3600)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed and refused sign-ins (email and IP): keep at INFO or above in production.
        "careteams.security": {"level": "INFO"},
    },
}
