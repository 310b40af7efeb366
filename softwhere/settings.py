"""Django settings, read from the environment.

Every deploy-specific value comes from a ``SOFTWHERE_*`` variable. The development
defaults (SQLite, a fixed secret key, DEBUG) refuse to run when
``SOFTWHERE_ENV=production``: production must provide its own secret and hosts.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SOFTWHERE_DATA_DIR", BASE_DIR.parent / "var"))

ENV = os.environ.get("SOFTWHERE_ENV", "development")
if ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"SOFTWHERE_ENV must be development, production or test, not {ENV!r}")
PRODUCTION = ENV == "production"

_DEV_SECRET = "dev-insecure-softwhere-key-do-not-use-in-production"  # development only, refused in production
SECRET_KEY = os.environ.get("SOFTWHERE_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SOFTWHERE_SECRET_KEY must be set to a random value of 50+ characters in production")

DEBUG = os.environ.get("SOFTWHERE_DEBUG", "0" if PRODUCTION else "1") == "1"
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("SOFTWHERE_DEBUG=1 is refused in production")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SOFTWHERE_ALLOWED_HOSTS", "" if PRODUCTION else "*").split(",")
    if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SOFTWHERE_ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SOFTWHERE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "axes",
    "softwhere.core",
    "softwhere.accounts",
    "softwhere.customers",
    "softwhere.inventory",
    "softwhere.catalogue",
    "softwhere.tickets",
    "softwhere.triage",
    "softwhere.orders",
    "softwhere.demo",
    "softwhere.jobs",
    "softwhere.sla",
    "softwhere.diagnostics",
    "softwhere.interop",
    "softwhere.telephony",
    "softwhere.comms",
]

MIDDLEWARE = [
    "softwhere.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Server-Timing header (app and database time of each request): benchmarks and diagnosis, off by default.
SERVER_TIMING = os.environ.get("SOFTWHERE_SERVER_TIMING", "0") == "1"

ROOT_URLCONF = "softwhere.urls"
WSGI_APPLICATION = "softwhere.wsgi.application"

# Common widgets written in Python (byte-identical to Django's templates): see core/form_renderer.py.
FORM_RENDERER = "softwhere.core.form_renderer.DeskFormRenderer"

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
                "softwhere.core.context_processors.desk",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("SOFTWHERE_DATABASE_URL", f"sqlite:///{DATA_DIR / 'softwhere.sqlite3'}"),
        conn_max_age=int(os.environ.get("SOFTWHERE_DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several agents on the embedded database: wait for locks rather than fail. Transactions take the
    # write lock when they begin: a job that reads, calls a peer over the network, then writes (interop
    # delivery) would otherwise fail at once with « database is locked » when a web request wrote meanwhile
    # (SQLite refuses the read-to-write upgrade instead of waiting), and stay leased until its lease expires.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("SOFTWHERE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# Sessions and CSRF: HttpOnly everywhere, Secure cookies and HSTS in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SOFTWHERE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SOFTWHERE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "softwhere.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "softwhere.core.api.pagination.DeskPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "softwhere.core.api.schema.DeskAutoSchema",
    "EXCEPTION_HANDLER": "softwhere.core.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SoftWhere Desk API",
    "DESCRIPTION": "Inventaire, catalogue de résolution et tickets.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # 3.1: nullable nested objects are expressed exactly (oneOf with null), not with 3.0's ambiguous allOf.
    "OAS_VERSION": "3.1.0",
    # Fixed prefix so operation ids ("tickets_transitions_create") do not depend on which routes exist.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # One named enum per choice set (several models have a "kind" or "status" field).
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "softwhere.accounts.choices.Role",
        "OrganisationKindEnum": "softwhere.customers.choices.OrganisationKind",
        "ContactRoleEnum": "softwhere.customers.choices.ContactRole",
        "PreferredChannelEnum": "softwhere.customers.choices.PreferredChannel",
        "ServiceKindEnum": "softwhere.inventory.choices.ServiceKind",
        "ServiceStatusEnum": "softwhere.inventory.choices.ServiceStatus",
        "AccessTechnologyEnum": "softwhere.inventory.choices.AccessTechnology",
        "GtrOptionEnum": "softwhere.inventory.choices.GtrOption",
        "CommitmentMonthsEnum": "softwhere.inventory.choices.CommitmentMonths",
        "VoiceKindEnum": "softwhere.inventory.choices.VoiceKind",
        "NumberRangeKindEnum": "softwhere.inventory.choices.NumberRangeKind",
        "SimKindEnum": "softwhere.inventory.choices.SimKind",
        "EquipmentKindEnum": "softwhere.inventory.choices.EquipmentKind",
        "CaseFamilyEnum": "softwhere.catalogue.choices.CaseFamily",
        "CaseDomainEnum": "softwhere.catalogue.choices.CaseDomain",
        "LedDeviceEnum": "softwhere.catalogue.choices.LedDevice",
        "LedStateEnum": "softwhere.catalogue.choices.LedState",
        "TicketStatusEnum": "softwhere.tickets.choices.TicketStatus",
        "ServiceStateEnum": "softwhere.tickets.choices.ServiceState",
        "PriorityEnum": "softwhere.tickets.choices.Priority",
        "ChannelEnum": "softwhere.tickets.choices.Channel",
        "LevelEnum": "softwhere.tickets.choices.Level",
        "VisibilityEnum": "softwhere.tickets.choices.Visibility",
        "TimelineKindEnum": "softwhere.tickets.choices.TimelineKind",
        "LedPhaseEnum": "softwhere.tickets.choices.LedPhase",
        "TransitionEnum": "softwhere.tickets.api.serializers.TRANSITION_CHOICES",
        "TicketErrorCodeEnum": "softwhere.core.api.schema.TICKET_ERROR_CODES",
        "DiagnosticKindEnum": "softwhere.diagnostics.choices.DiagnosticKind",
        "VerdictEnum": "softwhere.diagnostics.choices.Verdict",
        "TriggerEnum": "softwhere.diagnostics.choices.Trigger",
        "TopologyEnum": "softwhere.diagnostics.choices.Topology",
        "VendorEnum": "softwhere.diagnostics.choices.Vendor",
        "AcceptanceProfileEnum": "softwhere.diagnostics.choices.AcceptanceProfile",
        "CredentialKindEnum": "softwhere.diagnostics.choices.CredentialKind",
        "OrderItemKindEnum": "softwhere.orders.choices.ItemKind",
        "FeeKindEnum": "softwhere.orders.choices.FeeKind",
        "OrderStepStateEnum": "softwhere.orders.choices.StepState",
        "LinkTechnologyEnum": "softwhere.orders.choices.LINK_TECHNOLOGY_CHOICES",
        "OrderStatusEnum": "softwhere.orders.choices.OrderStatus",
        "PortabilityStatusEnum": "softwhere.orders.choices.PortabilityStatus",
        "CommissionInvoiceStatusEnum": "softwhere.orders.choices.InvoiceStatus",
        "DesaturationEnum": "softwhere.orders.choices.DESATURATION_CHOICES",
        "DirectionEnum": "softwhere.orders.choices.DIRECTION_CHOICES",
        "StepMoveEnum": "softwhere.orders.choices.STEP_MOVE_CHOICES",
        "HintLevelEnum": "softwhere.orders.choices.HINT_LEVEL_CHOICES",
        "OrderErrorCodeEnum": "softwhere.orders.choices.ORDER_ERROR_CODES",
        "OrderStepCodeEnum": "softwhere.orders.choices.STEP_CODE_CHOICES",
        "CommunicationContextEnum": "softwhere.comms.choices.CommunicationContext",
        "LineKindEnum": "softwhere.telephony.choices.LineKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SOFTWHERE_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Outbound mail: a real SMTP relay (SOFTWHERE_SMTP_*; the older SOFTWHERE_EMAIL_HOST/PORT still work).
# Development without a relay writes each mail as a file under var/mail/ (read them there); production
# (or any SMTP host given) uses SMTP.
EMAIL_BACKEND = os.environ.get(
    "SOFTWHERE_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION or os.environ.get("SOFTWHERE_SMTP_HOST") or os.environ.get("SOFTWHERE_EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = os.environ.get("SOFTWHERE_SMTP_HOST", os.environ.get("SOFTWHERE_EMAIL_HOST", "localhost"))
EMAIL_PORT = int(os.environ.get("SOFTWHERE_SMTP_PORT", os.environ.get("SOFTWHERE_EMAIL_PORT", "25")))
EMAIL_HOST_USER = os.environ.get("SOFTWHERE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SOFTWHERE_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SOFTWHERE_SMTP_TLS", "0") == "1"  # STARTTLS (port 587)
EMAIL_USE_SSL = os.environ.get("SOFTWHERE_SMTP_SSL", "0") == "1"  # implicit TLS (port 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("SOFTWHERE_SMTP_TLS and SOFTWHERE_SMTP_SSL are exclusive")
EMAIL_TIMEOUT = int(os.environ.get("SOFTWHERE_SMTP_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "SOFTWHERE_MAIL_FROM", os.environ.get("SOFTWHERE_DEFAULT_FROM_EMAIL", "support@softwhere.example")
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Communications (softwhere/comms): reply address served by `softwhere comms inbound`, links in mails, SMS gateway.
COMMS_REPLY_TO = os.environ.get("SOFTWHERE_MAIL_REPLY_TO", "")
SOFTWHERE_PUBLIC_URL = os.environ.get("SOFTWHERE_PUBLIC_URL", "http://localhost:8000")
COMMS_SMS_BACKEND = os.environ.get("SOFTWHERE_SMS_BACKEND", "file")  # file | http | dotted.path.Class
COMMS_SMS_URL = os.environ.get("SOFTWHERE_SMS_URL", "")
COMMS_SMS_TOKEN = os.environ.get("SOFTWHERE_SMS_TOKEN", "")
COMMS_SMS_SENDER = os.environ.get("SOFTWHERE_SMS_SENDER", "SOFTWHERE")

# Ticket events (SLA projection, acknowledgement, notifications): "inline" after the
# action's commit, or "worker" (softwhere worker) for high creation rates. softwhere.tickets.events.
TICKET_EVENTS = os.environ.get("SOFTWHERE_TICKET_EVENTS", "inline")
# Done jobs without a dedupe key (ticket events, one-off sends) are deleted this many days after they ran
# (``softwhere worker``, hourly); jobs with a dedupe key, failed and cancelled ones are kept.
JOBS_RETENTION_DAYS = int(os.environ.get("SOFTWHERE_JOBS_RETENTION_DAYS", "7"))
# Due jobs a worker leases per claim on PostgreSQL (softwhere.jobs.worker); each still runs in its own transaction.
JOBS_CLAIM_BATCH = int(os.environ.get("SOFTWHERE_JOBS_CLAIM_BATCH", "10"))
# Ticket references: date-based like the seed's "2505057242" (YYMM + 6-digit sequence).
TICKET_REFERENCE_PREFIX = os.environ.get("SOFTWHERE_TICKET_REFERENCE_PREFIX", "")
