"""Settings of CTE Portal: one module, driven by environment variables only.

``CTE_ENV`` says where the code runs: ``development`` (``make run``), ``test`` (pytest) or
``production`` (the default, so that a forgotten variable errs on the safe side).
"""

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
    "cte_portal.users",
    "cte_portal.core",
    "territories",
    "committees",
    "meetings",
    "roadmaps",
    "funders",
    "audits",
    "regional_map",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cte_portal.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

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
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; the public sees public pages only
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
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
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
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
    },
}

# Domain settings (values with a legal basis of [SEC]/[OPEN] confidence are settings).
CTE = {
    # DEC-MAX: maximum appointed members per level.
    "MAX_MEMBERS_REGIONAL_SMALL": env_int("CTE_MAX_MEMBERS_REGIONAL_SMALL", 29),
    "MAX_MEMBERS_REGIONAL_LARGE": env_int("CTE_MAX_MEMBERS_REGIONAL_LARGE", 36),
    "MAX_MEMBERS_DEPARTMENTAL": env_int("CTE_MAX_MEMBERS_DEPARTMENTAL", 27),
    "MAX_MEMBERS_LOCAL": env_int("CTE_MAX_MEMBERS_LOCAL", 8),
    # DEC-MANDATE: three years.
    "MANDATE_YEARS": env_int("CTE_MANDATE_YEARS", 3),
    # INS-CLE-PERIMETER: perimeter reviewed every three years.
    "PERIMETER_REVIEW_YEARS": env_int("CTE_PERIMETER_REVIEW_YEARS", 3),
    "MANDATE_ENDING_DAYS": env_int("CTE_MANDATE_ENDING_DAYS", 90),
    # INS-ROADMAP-SHAPE: a limited number of axes per roadmap (a warning beyond it).
    "ROADMAP_MAX_AXES": env_int("CTE_ROADMAP_MAX_AXES", 5),
    # INS-OPEN-DATA: the public, read-only API is rate-limited per client address.
    "OPEN_DATA_API_RATE": env_str("CTE_OPEN_DATA_API_RATE", "120/min"),
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
}

if CTE_ENV == "test":
    # Unknown template variables fail the test that renders them.
    class _InvalidTemplateVariable(str):
        def __mod__(self, other):
            raise NameError(f"Unknown template variable: {other!r}")

    TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = _InvalidTemplateVariable("%s")
