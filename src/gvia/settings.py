"""Django settings. Everything a deployment changes comes from GVIA_* environment variables."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF

from gvia import locale
from gvia.dburl import DEFAULT_URL, parse_database_url

BASE_DIR = Path(os.environ.get("GVIA_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("GVIA_VAR", BASE_DIR / "var"))
STORAGE_ROOT = Path(os.environ.get("GVIA_STORAGE", VAR_DIR / "files"))
MAIL_CATCHER_DIR = Path(os.environ.get("GVIA_MAIL_CATCHER", VAR_DIR / "mail"))



def _secret_key() -> str:
    """GVIA_SECRET_KEY, else this installation's own random key in var/secret_key, made on first
    use (readable by its owner only): sessions, password-reset links and sealed settings such as
    the SMTP password depend on it, so it is never a value shipped with the code."""
    if os.environ.get("GVIA_SECRET_KEY"):
        return os.environ["GVIA_SECRET_KEY"]
    import secrets

    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    draft = VAR_DIR / f".secret_key.{os.getpid()}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(draft, path)      # whole or not at all; if another process was first, theirs stands
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("GVIA_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("GVIA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
# The Django admin (/admin/) is off unless GVIA_ADMIN=1; then only operators (`gvia operator create`,
# never members of an organization) can sign in to it, and it only reads (gvia.store.admin).
GVIA_ADMIN = os.environ.get("GVIA_ADMIN", "0") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "gvia.store.apps.StoreConfig",
    "gvia.web",
]
INSTALLED_APPS += ["ninja"]    # the REST API (issue 18): its docs page's script and styles, served from the package

MIDDLEWARE = [
    "gvia.web.timing.server_timing",   # first: the Server-Timing header covers the rest
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
]

ROOT_URLCONF = "gvia.urls"   # the web (gvia.web.urls) and the REST API (gvia.api, issue 18)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "gvia.wsgi.application"

DATABASES = {"default": parse_database_url(os.environ.get("GVIA_DATABASE_URL", DEFAULT_URL), BASE_DIR)}
if os.environ.get("GVIA_TEST_DB_NAME") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # tools/run-tests names the test database per run, so two runs on one server do not collide
    DATABASES["default"]["TEST"] = {"NAME": os.environ["GVIA_TEST_DB_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "he"
# every language with a web catalog (gvia.locale); Django needs only the codes (gvia names each
# language itself, from CLDR: gvia.locale.own_name)
LANGUAGES = [(code, code) for code in locale.languages("web")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `gvia serve` serves static files itself through WhiteNoise, straight from the apps' static
# folders (found at start, no collectstatic step).
WHITENOISE_USE_FINDERS = True
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
# Mail for people (invitations, password links) takes gvia's mail path, as customers' messages do
# (gvia.services.sending.people); anything Django itself sends goes the same way, never localhost:25.
EMAIL_BACKEND = "gvia.services.sending.people.DjangoBackend"

# Figures the pages keep for a while (gvia.web.cached): in files under var/cache, so every
# process of `gvia serve` shares them (GVIA_CACHE: another folder, or "locmem" for one process's
# memory), under a prefix naming the database, so two databases served from one folder never
# share a figure. Under pytest each process keeps its own in memory: tests running side by side
# (xdist) reuse the same ids and must not see each other's figures.
_CACHE = os.environ.get("GVIA_CACHE", "")
if _CACHE == "locmem" or "_pytest" in sys.modules:
    CACHES: dict[str, dict[str, Any]] = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    _db = DATABASES["default"]
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(_CACHE) if _CACHE else VAR_DIR / "cache"),
        "KEY_PREFIX": hashlib.sha256(f"{_db['ENGINE']}|{_db.get('HOST', '')}|{_db.get('PORT', '')}|{_db['NAME']}"
                                     .encode()).hexdigest()[:12],
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }}

# --- signing in (issue 14): throttling (django-axes), password rules and hashing, a second factor
# (django-otp's TOTP). See gvia.web.lockout and gvia.web.views.twofactor.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")     # last: turns a lockout into the sign-in page
AUTHENTICATION_BACKENDS = ["gvia.web.lockout.Backend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "gvia.web.lockout.Handler"               # 10 failures an account, 50 an address
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25                                 # hours: a lock lasts 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # what a successful sign-in forgets
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False   # trying during a lock does not make it longer
AXES_USERNAME_CALLABLE = "gvia.web.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "gvia.web.lockout.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "gvia.web.lockout.client_address"   # behind HTTPS: the proxy's X-Forwarded-For
# argon2 first: a password hashed another way is hashed again with argon2 at its next sign-in
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS: list[dict[str, object]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "email", "first_name", "last_name")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "gvia"

# --- the browser's protections (issue 14): a Content-Security-Policy that allows only gvia's own
# scripts, styles, fonts and images (django-csp; no inline script or style anywhere: htmx's own
# indicator style is turned off in base.html and lives in app.css); the mailbox preview alone
# lets the shown e-mail's inline styles through, inside its sandboxed frame (views/settings_engine.py).
# GVIA_HTTPS=1 behind a reverse proxy that serves HTTPS: Secure cookies, HSTS, and the proxy's
# X-Forwarded-Proto / X-Forwarded-For trusted (README, "Behind HTTPS").
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF], "script-src": [SELF], "style-src": [SELF], "img-src": [SELF, "data:"],
    "font-src": [SELF], "connect-src": [SELF], "frame-src": [SELF], "object-src": [NONE],
    "base-uri": [SELF], "form-action": [SELF], "frame-ancestors": [SELF],
}}
HTTPS = os.environ.get("GVIA_HTTPS", "0") == "1"
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
