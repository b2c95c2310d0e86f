"""Settings come from the environment (or a local `.env`); the defaults are safe ones.

DEBUG is off unless asked for, and there is no built-in SECRET_KEY: `./dev demo` writes a
random one to `.env` on first run.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment or in .env (./dev demo writes one).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

BUSINESS_NAME = env.str("MAKEGOOD_BUSINESS_NAME", default="Makegood")
# Phone numbers without a country code are read as numbers of this region.
PHONE_DEFAULT_REGION = env.str("MAKEGOOD_PHONE_REGION", default="US")
# The currency of amounts entered without one (ISO 4217).
DEFAULT_CURRENCY = env.str("MAKEGOOD_CURRENCY", default="USD")
# Where links in e-mails to customers point.
SITE_URL = env.str("MAKEGOOD_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "makegood.accounts",
    "makegood.cases",
    "makegood.intake",
    "makegood.recovery",
    "makegood.remedies",
    "makegood.followup",
    "makegood.causes",
    "makegood.improvement",
    "makegood.history",
    "makegood.desk",
    "makegood.spot",
    "makegood.purchases",
    "makegood.insights",
    "makegood.webhooks",
    "makegood.worker",
    "makegood.outbox",
    "makegood.demo",
]

# `makegood.middleware.*`: Django's session, CSRF, authentication and messages middleware, passed
# straight through by the REST API's operations (`/api/v1/`), which use none of them (bearer
# tokens, JSON).
MIDDLEWARE = [
    "makegood.health.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "makegood.middleware.Sessions",
    "django.middleware.common.CommonMiddleware",
    "makegood.middleware.Csrf",
    "makegood.middleware.Authentication",
    "makegood.throttle.LoginThrottleMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "makegood.middleware.Messages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "makegood.urls"
WSGI_APPLICATION = "makegood.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "makegood" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "makegood.accounts.context_processors.staff",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'makegood.sqlite3'}")}
# How durable a commit is, the same on both databases. By default a committed write survives the
# application (a worker, the whole server) crashing; a power cut or an operating-system crash can
# lose the last fraction of a second of commits, and never corrupts the database. That is SQLite's
# `synchronous=NORMAL` in WAL mode and PostgreSQL's `synchronous_commit=off` (its WAL writer
# flushes within 0.2 s; a crash of the PostgreSQL server itself also loses that moment). Set
# MAKEGOOD_DURABLE_COMMITS=true to make every commit wait for the disk's flush, which on this
# project's benchmark machine costs about 3.7 ms a commit (bench/README.md).
MAKEGOOD_DURABLE_COMMITS = env.bool("MAKEGOOD_DURABLE_COMMITS", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with writers queueing on a file lock (makegood/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "makegood.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the one writer work at once; IMMEDIATE takes the write lock at
        # BEGIN so that two writers queue on busy_timeout instead of failing mid-transaction.
        # The WAL is copied back into the database (a checkpoint, with an fsync) by a thread in
        # each web worker (makegood/sqlite/checkpoints.py); the commit that grows the WAL past
        # `wal_autocheckpoint` pages does it otherwise, inside the write lock, while the other
        # writers wait: at SQLite's default of 1,000 pages (4 MB) that was every 25th intake.
        # 10,000 pages (40 MB) make that backstop a tenth as frequent.
        "init_command": (
            "PRAGMA journal_mode=WAL; "
            f"PRAGMA synchronous={'FULL' if MAKEGOOD_DURABLE_COMMITS else 'NORMAL'}; "
            "PRAGMA wal_autocheckpoint=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        # Parameters sent apart from the statement, and a statement run five times on a connection
        # prepared once: PostgreSQL stops parsing and planning each intake's eight statements
        # again (a fifth of its CPU per intake), and psycopg stops quoting values into SQL text.
        # A `?server_side_binding=false` in DATABASE_URL turns both off (a pooler in transaction
        # mode cannot keep prepared statements).
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 5)
        if not MAKEGOOD_DURABLE_COMMITS:
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
# Reusing connections saves a connect (and, on SQLite, a schema read) on every request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="dbcache://makegood_cache")}
RATELIMIT_USE_CACHE = "default"
# Who the client is behind a reverse proxy (makegood/throttle.py): the number of proxies in front
# of the app, or their addresses / networks. Unset, X-Forwarded-For is ignored (anyone can send it).
MAKEGOOD_PROXY_COUNT = env.int("MAKEGOOD_PROXY_COUNT", default=0)
MAKEGOOD_TRUSTED_PROXIES = env.list("MAKEGOOD_TRUSTED_PROXIES", default=[])
RATELIMIT_IP_META_KEY = "makegood.throttle.ratelimit_ip"
# Limits, as count/period (`20/m`, `10/15m`); empty turns one off. Failed authentications from one
# address (wrong passwords, bad tokens) and failed logins per username lock them out until the
# window ends; API requests are counted per token and per address. Over a limit: 429, Retry-After.
MAKEGOOD_RATE_AUTH_FAILURES = env.str("MAKEGOOD_RATE_AUTH_FAILURES", default="20/m")
MAKEGOOD_RATE_LOGIN_FAILURES_PER_USER = env.str("MAKEGOOD_RATE_LOGIN_FAILURES_PER_USER", default="10/15m")
MAKEGOOD_RATE_API_TOKEN = env.str("MAKEGOOD_RATE_API_TOKEN", default="1200/m")
MAKEGOOD_RATE_API_ADDRESS = env.str("MAKEGOOD_RATE_API_ADDRESS", default="2400/m")
# The API's per-request counters: in each process's memory unless API_RATELIMIT_CACHE_URL names a
# shared cache (redis://...), because a database cache would add a write to every request.
CACHES["api-ratelimit"] = env.cache("API_RATELIMIT_CACHE_URL", default="locmemcache://makegood-api-ratelimit")
MAKEGOOD_API_RATELIMIT_CACHE = "api-ratelimit"

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Work the worker (`makegood worker`) enqueues on a schedule: task path -> every so many seconds.
# Each is a sweep that is safe to run twice and catches up on whatever it finds due.
MAKEGOOD_PERIODIC_TASKS: dict[str, int] = {
    "makegood.cases.tasks.sweep_clocks": 15,
    "makegood.followup.tasks.sweep_followups": 60,
    # Every message leaving Makegood (e-mails, webhooks, the payment announcement) that is due.
    "makegood.outbox.tasks.sweep_outbox": 60,
    "makegood.remedies.payment_tasks.sweep_payments": 60,
    # Retrains only when enough new causes were labelled; watches every cause for a rise (CUSUM).
    "makegood.causes.tasks.retrain_causes": 3600,
    "makegood.improvement.tasks.watch_causes": 3600,
    "makegood.intake.tasks.sweep_raw_mail": 3600,
    # The figures behind the insights: the cases that changed since the last run.
    "makegood.insights.tasks.refresh_figures": 300,
    # From the 1st of each month: last month's figures to managers and process owners.
    "makegood.insights.tasks.send_digests": 3600,
}
# Each worker process records a heartbeat this often (seconds); a task still RUNNING under a
# worker not seen for STALE_AFTER seconds was interrupted (the process died) and goes back to the
# queue, at most MAX_ATTEMPTS claims in all, then it is marked failed.
MAKEGOOD_WORKER_HEARTBEAT_EVERY = env.float("MAKEGOOD_WORKER_HEARTBEAT_EVERY", default=5.0)
MAKEGOOD_WORKER_STALE_AFTER = env.float("MAKEGOOD_WORKER_STALE_AFTER", default=60.0)
MAKEGOOD_WORKER_MAX_ATTEMPTS = env.int("MAKEGOOD_WORKER_MAX_ATTEMPTS", default=5)
# The outbox: a message being sent stays claimed this many seconds (a worker that dies mid-send
# lets it go when the lease ends, and the sweep sends it again).
MAKEGOOD_OUTBOX_LEASE = env.float("MAKEGOOD_OUTBOX_LEASE", default=300.0)
# Webhook endpoints and the payment system's URL must be public addresses: loopback, private,
# link-local and reserved ones are refused when saved and at delivery, unless this allows them.
MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = env.bool("MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE", default=False)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Customers get e-mail from the business, by its name: a bare address is given BUSINESS_NAME.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="care@makegood.localhost")
if "<" not in DEFAULT_FROM_EMAIL:
    from email.utils import formataddr

    DEFAULT_FROM_EMAIL = formataddr((BUSINESS_NAME, DEFAULT_FROM_EMAIL.strip()))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "queue"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
# A customer's e-mail to a case resolved at most this many days ago reopens it (the follow-up
# window: the survey link is valid as long); a later one opens a new case that follows it.
MAKEGOOD_REPLY_REOPENS_WITHIN_DAYS = env.int("MAKEGOOD_REPLY_REOPENS_WITHIN_DAYS", default=14)
# The zone of every time a customer reads (e-mails, the confirmation and survey pages).
BUSINESS_TIME_ZONE = env.str("MAKEGOOD_TIME_ZONE", default=TIME_ZONE)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The project-wide stylesheet and scripts (makegood/ itself is not an app, so list it).
STATICFILES_DIRS = [BASE_DIR / "makegood" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Where refunds are announced to the payment system (HMAC-signed); unset, they wait as pending.
MAKEGOOD_PAYMENT_WEBHOOK_URL = env.str("MAKEGOOD_PAYMENT_WEBHOOK_URL", default="")
MAKEGOOD_PAYMENT_WEBHOOK_SECRET = env.str("MAKEGOOD_PAYMENT_WEBHOOK_SECRET", default="")
# A payment not confirmed within this many business days (8 opening hours each at a team with
# opening hours, else 24 hours) alerts its owner and a manager, once.
MAKEGOOD_PAYMENT_CONFIRM_BUSINESS_DAYS = env.float("MAKEGOOD_PAYMENT_CONFIRM_BUSINESS_DAYS", default=1.0)
# A signed payment confirmation older (or newer) than this many seconds is refused.
MAKEGOOD_PAYMENT_CALLBACK_TOLERANCE_SECONDS = env.int("MAKEGOOD_PAYMENT_CALLBACK_TOLERANCE_SECONDS", default=300)

# Request bodies: a complaint is text, attachments come by e-mail.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
MAKEGOOD_MAX_ATTACHMENT_BYTES = env.int("MAKEGOOD_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# E-mail intake: a mailbox message that fails this many times is set aside for a person instead of
# being retried forever; raw messages kept (rejected ones, and those cut to fit a case) are
# forgotten after this many days (0: kept until deleted).
MAKEGOOD_MAIL_MAX_ATTEMPTS = env.int("MAKEGOOD_MAIL_MAX_ATTEMPTS", default=3)
MAKEGOOD_MAIL_RAW_RETENTION_DAYS = env.int("MAKEGOOD_MAIL_RAW_RETENTION_DAYS", default=365)

# Content-Security-Policy (django-csp): scripts, styles and everything else from this site only, no
# inline script or style (htmx's own indicator style is switched off in base.html), no plugins, no
# framing. The browser tests load every page under it and fail on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and env.bool("HTTPS", default=False):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "makegood.logs.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # Django logs 403 and 404 with the exception's traceback; one line is enough (makegood/logs.py).
    "loggers": {"django.request": {"filters": ["client_errors_on_one_line"]}},
}
