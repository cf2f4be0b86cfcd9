"""Settings for Musrenbang, read from the environment (see the README for every variable).

With no environment at all a clone runs in debug mode on an SQLite file in the project folder.
"""

import datetime
import ipaddress
import os
import shlex
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def gunicorn_binds() -> list[str]:
    """The addresses gunicorn will listen on, as far as the environment tells: the binds in
    GUNICORN_CMD_ARGS, else 0.0.0.0 when PORT is set (gunicorn's default then), else none known."""
    args = shlex.split(os.environ.get("GUNICORN_CMD_ARGS", ""))
    binds = []
    for index, arg in enumerate(args):
        if arg in ("-b", "--bind") and index + 1 < len(args):
            binds.append(args[index + 1])
        elif arg.startswith("--bind="):
            binds.append(arg.removeprefix("--bind="))
        elif arg.startswith("-b") and len(arg) > 2:
            binds.append(arg[2:])
    if not binds and os.environ.get("PORT"):
        binds.append(f"0.0.0.0:{os.environ['PORT']}")
    return binds


def is_loopback(bind: str) -> bool:
    """Whether only this machine reaches a gunicorn bind: a unix socket, an inherited file
    descriptor, localhost or a loopback address ("127.0.0.1:8000", "[::1]:8000")."""
    if bind.startswith(("unix:", "fd://")):
        return True
    if bind.startswith("["):
        host = bind[1 : bind.find("]")]
    elif bind.count(":") == 1:
        host = bind.partition(":")[0]
    else:
        host = bind
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address printed on every berita acara, where anyone can check a printed copy.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The office certificate (PKCS#12 file and its passphrase) that signs every final berita acara
# (PAdES) as it is stored; without one the berita acara are stored unsigned.
SIGNING_PKCS12 = os.environ.get("SIGNING_PKCS12", "")
SIGNING_PASSPHRASE = os.environ.get("SIGNING_PASSPHRASE", "")

INSTALLED_APPS = [
    "areas",
    "notices",
    "proposals",
    "sessions.apps.SessionsConfig",
    "musrenbang",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "auditlog",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: the load balancer's probe needs none of the rest (not even an allowed host name).
    "musrenbang.health.HealthMiddleware",
    "musrenbang.middleware.ClientAddressMiddleware",  # before anything records an address
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "musrenbang.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view: a NUL in the address would reach the database. After the user is known,
    # so that its page is like any other.
    "musrenbang.middleware.BadAddressMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "musrenbang.urls"
WSGI_APPLICATION = "musrenbang.wsgi.application"

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
                "django.template.context_processors.i18n",
                "musrenbang.context_processors.navigation",
            ],
        },
    },
]

DATABASE_OPTIONS = {
    "conn_max_age": int(os.environ.get("CONN_MAX_AGE", "600")),
    "conn_health_checks": True,
}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        **DATABASE_OPTIONS,
    )
}
# A read replica of the default database (PostgreSQL streaming replication): the read-only
# requests read from it, every write and whoever just wrote stay on the primary
# (musrenbang/replica.py). Without one there is no "replica" database at all. The tests read
# it as the default database itself (MIRROR), so no second test database is made.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
# Seconds a browser reads from the primary after it wrote, for the replica to catch up.
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS") or "10")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, **DATABASE_OPTIONS),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["musrenbang.replica.ReplicaRouter"]
    # Before anything reads: the router must know the request from its first query.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("musrenbang.middleware.ClientAddressMiddleware") + 1,
        "musrenbang.replica.ReplicaMiddleware",
    )

# Shared by every app server: the cache lives in the database (the table is made by the
# migration musrenbang 0001), never in one process's memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "musrenbang_cache",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The proposals' covering indexes (INCLUDE id) serve PostgreSQL; SQLite, the embedded first-run
# engine, builds them without the extra column, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "areas.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in
    "django.contrib.auth.backends.ModelBackend",
    "areas.backends.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in the active language's own form: "2 Desember 2026 23.25", "2 December 2026, 23:25".
FORMAT_MODULE_PATH = ["musrenbang.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]


def object_storage(
    *, bucket: str, endpoint_url: str, access_key: str, secret_key: str, region: str
) -> dict:
    """The storage of an S3-compatible object store (django-storages). Objects are private, as
    a bucket keeps them by default: no ACL is sent (a store with ACLs turned off refuses one),
    and no file is given a public address: the app serves each through its own views, after
    its checks. A name already taken gets a new one, as in a folder."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


# Uploaded photos and documents, stored berita acara and their scans, letterhead logos: in
# MEDIA_ROOT, or with S3_BUCKET in an S3-compatible object store that every app server shares.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
STORAGES = {
    "default": object_storage(
        bucket=S3_BUCKET,
        endpoint_url=os.environ.get("S3_ENDPOINT_URL", ""),
        access_key=os.environ.get("S3_ACCESS_KEY", ""),
        secret_key=os.environ.get("S3_SECRET_KEY", ""),
        region=os.environ.get("S3_REGION") or "us-east-1",
    )
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploads: photos and documents of proposals, and the wet-signed scans of the berita acara,
# checked by content.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
SCAN_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Plausible proposals: the form and the importer refuse a volume above the catalogue item's own
# limit (CatalogueItem.max_volume) or, without one, above PROPOSAL_MAX_VOLUME, and an estimated
# cost (volume × unit price) above PROPOSAL_MAX_COST rupiah.
PROPOSAL_MAX_VOLUME = Decimal(os.environ.get("PROPOSAL_MAX_VOLUME", "100000"))
PROPOSAL_MAX_COST = int(os.environ.get("PROPOSAL_MAX_COST", str(50_000_000_000)))

# The survey queue (/survei/) lists the physical proposals the lurah accepted; a kota whose UKPD
# survey while the lurah still validates widens it to the submitted ones too.
SURVEY_BEFORE_ACCEPTANCE = env_bool("SURVEY_BEFORE_ACCEPTANCE", False)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Notices: every user's inbox, and e-mail where the user has an address. Delivery is queued in
# the database in the transaction of the action it reports (django-tasks' database backend) and
# sent by `manage.py db_worker`; a refused connection is retried NOTICE_RETRIES times, waiting
# NOTICE_RETRY_SECONDS × the attempt number. Channels are classes; a WhatsApp gateway would be
# one more.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "notices"]}
}
NOTICE_CHANNELS = {"email": "notices.channels.EmailChannel"}
NOTICE_RETRIES = int(os.environ.get("NOTICE_RETRIES", "8"))
NOTICE_RETRY_SECONDS = int(os.environ.get("NOTICE_RETRY_SECONDS", "60"))
# The demo (DEBUG) writes its e-mail to the console; production sends it by SMTP.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Musrenbang <musrenbang@localhost>")
# The address the links in an e-mail start with (the site as its users reach it).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Production hardening; every value can be relaxed from the environment where a proxy needs it.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True


def proxy_networks(value: str) -> list:
    """PROXY_ADDRESSES: the load balancers' addresses or networks, "10.0.0.5,10.0.1.0/24"."""
    try:
        return [
            ipaddress.ip_network(a.strip(), strict=False) for a in value.split(",") if a.strip()
        ]
    except ValueError as error:
        raise ImproperlyConfigured(
            f"PROXY_ADDRESSES must list addresses or networks like 10.0.0.5,10.0.1.0/24: {error}"
        ) from None


BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# Load balancers on other machines: gunicorn then listens on the network, and X-Forwarded-For is
# believed only from a connection of one of these addresses (musrenbang.middleware).
PROXY_ADDRESSES = proxy_networks(os.environ.get("PROXY_ADDRESSES", ""))
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The client's address is then the last X-Forwarded-For entry. A gunicorn that others than
    # the proxy can reach takes that entry from anyone, who could dodge the sign-in lockout,
    # unless the proxies are named: then the header counts only on their connections.
    exposed = [bind for bind in gunicorn_binds() if not is_loopback(bind)]
    if exposed and not PROXY_ADDRESSES:
        raise ImproperlyConfigured(
            f"BEHIND_PROXY=1 needs gunicorn reachable by the proxy only, but it would listen on "
            f"{', '.join(exposed)}: bind it to 127.0.0.1 or a unix socket "
            f'(GUNICORN_CMD_ARGS="--bind=127.0.0.1:8000"), or name the load balancers in '
            f"PROXY_ADDRESSES (see the README, Deploying)."
        )
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 8 * 3600


def tile_origin(url: str) -> str | None:
    """The origin a tile URL's images come from, as a CSP source: a {s} subdomain becomes *."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")
    if parts.scheme not in {"http", "https"} or not host or "{" in host or "@" in host:
        raise ImproperlyConfigured(
            f"MAP_TILE_URL must be an http(s) address like "
            f"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png, not {url!r}."
        )
    return f"{parts.scheme}://{host}"


# Maps (Leaflet, vendored): the tile server behind the proposal form's picker, the proposals' map
# view and the tracker's map, and the attribution its licence asks for. An empty MAP_TILE_URL
# draws the points on a plain background; so does the map when the tiles cannot be reached.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = os.environ.get("MAP_ATTRIBUTION", "© OpenStreetMap contributors")
MAP_ATTRIBUTION_URL = os.environ.get(
    "MAP_ATTRIBUTION_URL", "https://www.openstreetmap.org/copyright"
)
MAP_TILE_ORIGIN = tile_origin(MAP_TILE_URL)

# Content-Security-Policy (django-csp): scripts, styles and images from this site only, no inline
# script or style anywhere (photos and QR codes may be data: URIs), never framed; images also
# from the map's tile server, and from no other host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [MAP_TILE_ORIGIN])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in (django-axes): after five failures for one user name from one address, that pair is
# refused for 30 minutes. Every sign-in and every failure is recorded, with address and browser.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Never prune failure records: they are part of the audit trail, which the database refuses
# to delete (areas 0002); axes would otherwise delete beyond 1000 per user name.
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 10**12
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
