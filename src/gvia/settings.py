"""Django settings. Everything a deployment changes comes from GVIA_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from gvia.dburl import DEFAULT_URL, parse_database_url

BASE_DIR = Path(os.environ.get("GVIA_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("GVIA_VAR", BASE_DIR / "var"))
STORAGE_ROOT = Path(os.environ.get("GVIA_STORAGE", VAR_DIR / "files"))
MAIL_CATCHER_DIR = Path(os.environ.get("GVIA_MAIL_CATCHER", VAR_DIR / "mail"))

SECRET_KEY = os.environ.get("GVIA_SECRET_KEY", "gvia-dev-only-secret-change-me-in-production")
DEBUG = os.environ.get("GVIA_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("GVIA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

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

MIDDLEWARE = [
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

ROOT_URLCONF = "gvia.web.urls"

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

WSGI_APPLICATION = "gvia.web.wsgi.application"

DATABASES = {"default": parse_database_url(os.environ.get("GVIA_DATABASE_URL", DEFAULT_URL), BASE_DIR)}
if os.environ.get("GVIA_TEST_DB_NAME") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # tools/run-tests names the test database per run, so two runs on one server do not collide
    DATABASES["default"]["TEST"] = {"NAME": os.environ["GVIA_TEST_DB_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "he"
LANGUAGES = [("he", "עברית"), ("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `gvia serve` serves static files itself through WhiteNoise, straight from the apps' static
# folders (found at start, no collectstatic step).
WHITENOISE_USE_FINDERS = True
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
