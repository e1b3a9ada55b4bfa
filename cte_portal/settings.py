"""Settings of CTE Portal: one module, driven by environment variables only.

``CTE_ENV`` says where the code runs: ``development`` (``make run``), ``test`` (pytest) or
``production`` (the default, so that a forgotten variable errs on the safe side).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

from cte_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CTE_VAR_DIR", str(BASE_DIR / "var")))

CTE_ENV = env_str("CTE_ENV", "production")
if CTE_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"CTE_ENV must be development, test or production, got {CTE_ENV!r}")
PRODUCTION = CTE_ENV == "production"

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (CTE_ENV=production).")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (CTE_ENV=production).")
    SECRET_KEY = "insecure-local-only-key-never-used-in-production-" + "x" * 20

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The pages benchmark's bare page (``make bench``): routed only when the benchmark asks, and
# never in production.
CTE_BENCH_BARE_PAGE = env_bool("CTE_BENCH_BARE_PAGE", False) and not PRODUCTION
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "guardian",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mozilla_django_oidc",
    "cte_portal.users",
    "cte_portal.core",
    "territories",
    "committees",
    "meetings",
    "roadmaps",
    "funders",
    "audits",
    "regional_map",
    "iae",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Reads repeated within one read-only request are made once (permissions…).
    "cte_portal.core.request_memo.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cte_portal.core.middleware.LoginRequiredMiddleware",
    "cte_portal.core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out after SESSION_IDLE_MINUTES of inactivity or SESSION_MAX_HOURS after sign-in.
    "cte_portal.users.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # With DEBUG on, a missing page or a server error still shows the French page.
    "cte_portal.core.middleware.FrenchErrorPagesMiddleware",
    # A body over MAX_REQUEST_BODY_BYTES is a French 413 before any view reads it (placed after
    # the authentication and the CSP nonce, which the French error page uses).
    "cte_portal.core.middleware.RequestSizeLimitMiddleware",
    # A form sent twice (double click, reload) creates one object (cte_portal.core.once).
    "cte_portal.core.once.OnceSubmitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes: last, so that a lockout becomes the (French) sign-in page it decorates.
    "axes.middleware.AxesMiddleware",
]

# Request bodies: form fields and JSON up to DATA_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 Mo, also
# applied to the API's JSON), whole requests (uploads of 10 Mo documents) up to this.
MAX_REQUEST_BODY_BYTES = 25 * 1024 * 1024

ROOT_URLCONF = "cte_portal.urls"
WSGI_APPLICATION = "cte_portal.wsgi.application"

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
                "cte_portal.core.context_processors.site_config",
                "cte_portal.core.context_processors.main_menu",
            ],
            # {% csrf_token %} also writes the form's one-time token (cte_portal.core.once).
            "builtins": ["cte_portal.core.templatetags.once"],
        },
    },
]
# Empty choices of selects read as French words, not Django's "---------".
FORM_RENDERER = "cte_portal.core.forms.FrenchFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database under concurrent requests (two co-presidents approving at once):
    # readers never block the writer (WAL), a writer waits for the lock instead of failing at
    # once (timeout, in seconds), and a transaction takes the write lock when it begins, so two
    # transactions never both read and then fail to upgrade their lock (IMMEDIATE).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while the account or the address is locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # ProConnect: answers only on its callback, and only when PROCONNECT_CLIENT_ID is set.
    "cte_portal.users.proconnect.ProConnectBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; the public sees public pages only
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("CTE_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if CTE_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
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

# Outside production, WhiteNoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# django-dsfr
DSFR_MARK_OPTIONAL_FIELDS = True
DSFR_USE_INTEGRITY_CHECKSUMS = False
SITE_TITLE = "Portail des comités territoriaux pour l'emploi"
SITE_TAGLINE = "Installer, réunir et piloter les comités pour l'emploi"

# E-mail: console in development, locmem in tests (Django's test runner), SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Portail CTE <ne-pas-repondre@cte.example.gouv.fr>"
)

# Redis (broker and cache) when REDIS_URL is set; otherwise in-process tasks and local cache.
# The test suite always starts in-process and isolated (CI sets REDIS_URL): the tests that
# prove the Redis path point the Celery app at the real Redis and start a real worker.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and CTE_ENV != "test":
    CACHES = {
        "default": {
            # Redis down: fail fast, then this process's memory until Redis is back.
            "BACKEND": "cte_portal.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis down: a request publishing a task fails fast (one try, short timeouts) and the task
# waits in the outbox (cte_portal.tasking); the worker keeps its own reconnection policy.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {}
# Committees: revoke at night the permissions whose justification ended (future end dates,
# expired mandates); see committees.tasks.
CELERY_BEAT_SCHEDULE["committees-resync-permissions"] = {
    "task": "committees.resync_permissions",
    "schedule": crontab(hour=2, minute=15),
}
# Meetings: reminders (answers, validations, minutes) and the sweep of e-mails and PDFs that a
# dead worker left half done. Both tasks are safe to run twice (see meetings.tasks).
CELERY_BEAT_SCHEDULE["meetings-reminders"] = {
    "task": "committees.meetings.send_due_reminders",
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["meetings-sweep"] = {
    "task": "committees.meetings.sweep",
    "schedule": 10 * 60,
}
# Audits: overdue recommendations flagged to the CDE's secretariat, late reports reminded to
# the reporting body — each once per period, never twice (see audits.services.reminders).
CELERY_BEAT_SCHEDULE["audits-reminders"] = {
    "task": "audits.send_due_reminders",
    "schedule": crontab(hour=7, minute=30),
}
# Redis down: the tasks of an action wait in the outbox (core.PendingTask) and are sent again
# every minute; exports left pending are queued again, old export files purged at night.
CELERY_BEAT_SCHEDULE["outbox-deliver"] = {
    "task": "cte_portal.deliver_pending_tasks",
    "schedule": 60,
}
CELERY_BEAT_SCHEDULE["regional-map-exports-sweep"] = {
    "task": "regional_map.sweep_exports",
    "schedule": 10 * 60,
}
CELERY_BEAT_SCHEDULE["roadmaps-exports-sweep"] = {
    "task": "roadmaps.sweep_exports",
    "schedule": 10 * 60,
}
CELERY_BEAT_SCHEDULE["regional-map-exports-purge"] = {
    "task": "regional_map.purge_old_exports",
    "schedule": crontab(hour=3, minute=10),
}
CELERY_BEAT_SCHEDULE["file-jobs-sweep"] = {
    "task": "cte_portal.sweep_file_jobs",
    "schedule": 10 * 60,
}
CELERY_BEAT_SCHEDULE["file-jobs-purge"] = {
    "task": "cte_portal.purge_file_jobs",
    "schedule": crontab(hour=3, minute=30),
}
CELERY_BEAT_SCHEDULE["roadmaps-exports-purge"] = {
    "task": "roadmaps.purge_old_exports",
    "schedule": crontab(hour=3, minute=20),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cte_portal.users.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "cte_portal.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cte_portal.core.api.exception_handler",
    # DRF's parsers, the JSON one refusing (French 400) bodies nested too deeply to read.
    "DEFAULT_PARSER_CLASSES": [
        "cte_portal.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API du portail des comités territoriaux pour l'emploi",
    "DESCRIPTION": "API REST (v1). Authentification : « Authorization: Token <jeton> » ou session.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a ``status`` or a ``kind`` with their own choices: name each enum
    # after its model, or drf-spectacular warns and falls back to hashed names (Status3abEnum…).
    "ENUM_NAME_OVERRIDES": {
        "CommissionKindEnum": "committees.models.Commission.Kind",
        "CommitteeStatusEnum": "committees.models.Committee.Status",
        "RoadmapStatusEnum": "roadmaps.models.Roadmap.Status",
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "MembershipRoleEnum": "committees.models.Membership.Role",
        "IaeRequestKindEnum": "iae.models.RequestKind",
    },
}

# Content Security Policy (django-csp 4): scripts only from us, with a nonce for inline ones.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Personal data never reaches logs: the default handlers log no request bodies, and error
# e-mails to admins are off (no ADMINS); errors go to stderr with the path only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes: lockouts and failures (no e-mail: AXES_CLIENT_STR_CALLABLE), not each sign-in.
        "axes": {"level": "WARNING"},
    },
}

# --- Sign-in (cte_portal.users) -----------------------------------------------------------------
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one account (e-mail, any
# case) or from one client address, sign-in is refused for the cool-off; the sign-in page says so
# in French. The admin's login goes through the portal's; a wrong second-factor code counts too.
AXES_FAILURE_LIMIT = env_int("CTE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CTE_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "cte_portal.users.throttling.attempted_username"
AXES_CLIENT_IP_CALLABLE = "cte_portal.users.throttling.client_ip"
AXES_CLIENT_STR_CALLABLE = "cte_portal.users.throttling.client_str"  # no e-mail in the logs
AXES_LOCKOUT_CALLABLE = "cte_portal.users.throttling.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "new_password1", "new_password2"]

# Second factor (django-otp, TOTP) for national admins (superusers): asked at every sign-in,
# with an enrolment page (QR code) the first time.
OTP_TOTP_ISSUER = "Portail CTE"

# ProConnect (OpenID Connect, mozilla-django-oidc), on only when PROCONNECT_CLIENT_ID is set.
# An agent is matched by e-mail to an existing, active account: no account is ever created.
# Endpoints: the PROCONNECT_*_ENDPOINT variables when set; otherwise read from the issuer's
# discovery document (PROCONNECT_ISSUER + /.well-known/openid-configuration) at the first
# ProConnect sign-in, not at start-up, so that the portal starts while ProConnect is down.
PROCONNECT_CLIENT_ID = env_str("PROCONNECT_CLIENT_ID", "")
PROCONNECT_ENABLED = bool(PROCONNECT_CLIENT_ID)
PROCONNECT_ISSUER = env_str("PROCONNECT_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = PROCONNECT_CLIENT_ID
OIDC_RP_CLIENT_SECRET = env_str("PROCONNECT_CLIENT_SECRET", "")
if PROCONNECT_ENABLED and not (OIDC_RP_CLIENT_SECRET and PROCONNECT_ISSUER):
    raise ImproperlyConfigured(
        "PROCONNECT_CLIENT_ID is set: PROCONNECT_CLIENT_SECRET and PROCONNECT_ISSUER must be too."
    )
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("PROCONNECT_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("PROCONNECT_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("PROCONNECT_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("PROCONNECT_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = env_str("PROCONNECT_SCOPES", "openid email given_name usual_name")
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": env_str("PROCONNECT_ACR_VALUES", "eidas1")}
OIDC_CREATE_USER = False
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the hint of ProConnect's sign-out (users.proconnect.LogoutView)
OIDC_OP_LOGOUT_ENDPOINT = env_str("PROCONNECT_END_SESSION_ENDPOINT", "")
OIDC_TIMEOUT = env_int("PROCONNECT_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect_callback"
LOGIN_REDIRECT_URL_FAILURE = LOGIN_URL

# Domain settings (values with a legal basis of [SEC]/[OPEN] confidence are settings).
CTE = {
    # DEC-MAX: maximum appointed members per level.
    "MAX_MEMBERS_REGIONAL_SMALL": env_int("CTE_MAX_MEMBERS_REGIONAL_SMALL", 29),
    "MAX_MEMBERS_REGIONAL_LARGE": env_int("CTE_MAX_MEMBERS_REGIONAL_LARGE", 36),
    "MAX_MEMBERS_DEPARTMENTAL": env_int("CTE_MAX_MEMBERS_DEPARTMENTAL", 27),
    "MAX_MEMBERS_LOCAL": env_int("CTE_MAX_MEMBERS_LOCAL", 8),
    # DEC-OUTRE-MER: the single regional-and-departmental committee of a DROM.
    "MAX_MEMBERS_OUTRE_MER_SINGLE": env_int("CTE_MAX_MEMBERS_OUTRE_MER_SINGLE", 47),
    # DEC-MANDATE: three years.
    "MANDATE_YEARS": env_int("CTE_MANDATE_YEARS", 3),
    # INS-CLE-PERIMETER: perimeter reviewed every three years.
    "PERIMETER_REVIEW_YEARS": env_int("CTE_PERIMETER_REVIEW_YEARS", 3),
    "MANDATE_ENDING_DAYS": env_int("CTE_MANDATE_ENDING_DAYS", 90),
    # INS-ROADMAP-SHAPE: a limited number of axes per roadmap (a warning beyond it).
    "ROADMAP_MAX_AXES": env_int("CTE_ROADMAP_MAX_AXES", 5),
    # INS-OPEN-DATA: the public, read-only API is rate-limited per client address.
    "OPEN_DATA_API_RATE": env_str("CTE_OPEN_DATA_API_RATE", "120/min"),
    # Reverse proxies (IPs or CIDRs) whose X-Forwarded-For is trusted to name the client of the
    # open-data rate limit; empty: the address of the connection (REMOTE_ADDR) only.
    "TRUSTED_PROXIES": tuple(env_list("CTE_TRUSTED_PROXIES", [])),
    # Export files (regional map, roadmap PDFs) are deleted this many days after the request.
    "EXPORT_RETENTION_DAYS": env_int("CTE_EXPORT_RETENTION_DAYS", 30),
    # Meetings. Reminders to those who have not answered, in days before the meeting.
    "ANSWER_REMINDER_DAYS": tuple(int(d) for d in env_list("CTE_ANSWER_REMINDER_DAYS", ["7", "2"])),
    # DEC-JOINT: co-presidents whose validation is pending, reminded this many days after
    # the request (once per version of the convocation).
    "VALIDATION_REMINDER_DAYS": env_int("CTE_VALIDATION_REMINDER_DAYS", 2),
    # Minutes not drafted this many days after the meeting: the secretariat is reminded.
    "MINUTES_DRAFT_REMINDER_DAYS": env_int("CTE_MINUTES_DRAFT_REMINDER_DAYS", 7),
    # Minutes awaiting a co-president's approval this many days: they are reminded.
    "MINUTES_APPROVAL_REMINDER_DAYS": env_int("CTE_MINUTES_APPROVAL_REMINDER_DAYS", 7),
    # DEC-PROXY [OPEN]: proxies one member may hold (default one, rules of procedure may differ).
    "MAX_PROXIES_PER_MEMBER": env_int("CTE_MAX_PROXIES_PER_MEMBER", 1),
    # DEC-PROXY default: a substitute sits first; a proxy only for a member without one.
    "PROXY_ONLY_WITHOUT_SUBSTITUTE": env_bool("CTE_PROXY_ONLY_WITHOUT_SUBSTITUTE", True),
    # INS-MEETINGS: three meetings a year advised (an adopted rules of procedure may say more).
    "MEETINGS_PER_YEAR_ADVICE": env_int("CTE_MEETINGS_PER_YEAR_ADVICE", 3),
    # A send or a PDF claimed by a worker that died is taken again after this many seconds.
    "TASK_CLAIM_SECONDS": env_int("CTE_TASK_CLAIM_SECONDS", 600),
    # A failed PDF rendering is retried this many times, with exponential backoff.
    "PDF_MAX_ATTEMPTS": env_int("CTE_PDF_MAX_ATTEMPTS", 4),
    # Audits (INS-AUDIT): overdue recommendations are flagged to the CDE's secretariat once per
    # period, "month" (calendar month) or "week" (ISO week).
    "AUDIT_REMINDER_PERIOD": env_str("CTE_AUDIT_REMINDER_PERIOD", "month"),
    # INS-REPORTING: days after the end of a period before a report is late, unless the
    # obligation says otherwise.
    "REPORT_GRACE_DAYS": env_int("CTE_REPORT_GRACE_DAYS", 30),
    # Sessions (cte_portal.users.middleware): signed out after this many minutes without a
    # request, and this many hours after signing in whatever the activity (12 at most).
    "SESSION_IDLE_MINUTES": env_int("CTE_SESSION_IDLE_MINUTES", 30),
    "SESSION_MAX_HOURS": env_int("CTE_SESSION_MAX_HOURS", 12),
    # Password reset requests accepted per hour from one client address, and for one e-mail
    # address (counted whether or not an account has it, so the limit reveals nothing).
    "PASSWORD_RESET_PER_ADDRESS_HOURLY": env_int("CTE_PASSWORD_RESET_PER_ADDRESS_HOURLY", 5),
    "PASSWORD_RESET_PER_EMAIL_HOURLY": env_int("CTE_PASSWORD_RESET_PER_EMAIL_HOURLY", 3),
    # The OpenAPI schema and its docs (/api/schema/, /api/docs/) without signing in: yes outside
    # production, no in production unless asked.
    "PUBLIC_API_DOCS": env_bool("CTE_PUBLIC_API_DOCS", not PRODUCTION),
    # Without Redis, tasks (PDF, exports, e-mails) run in the web process: on a background
    # thread when true (``make run`` sets it for its server: requests answer at once), else in
    # the request, before it answers (tests, management commands). Ignored with Redis.
    "BACKGROUND_TASKS_IN_PROCESS": env_bool("CTE_BACKGROUND_TASKS_IN_PROCESS", False),
}

# Sessions: the cookie and the stored session never outlive the absolute lifetime.
if not 0 < CTE["SESSION_MAX_HOURS"] <= 12:
    raise ImproperlyConfigured("CTE_SESSION_MAX_HOURS must be between 1 and 12.")
SESSION_COOKIE_AGE = CTE["SESSION_MAX_HOURS"] * 3600

if CTE_ENV == "test":
    # Unknown template variables fail the test that renders them.
    class _InvalidTemplateVariable(str):
        def __mod__(self, other):
            raise NameError(f"Unknown template variable: {other!r}")

    TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = _InvalidTemplateVariable("%s")
