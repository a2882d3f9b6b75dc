"""Test settings: SQLite by default, PostgreSQL when MESOTRACK_TEST_DB=postgres."""

import os

from mesotrack.config.settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-" + "x" * 40  # noqa: S105
ALLOWED_HOSTS = ["*"]

# Argon2 is the production hasher (asserted in tests/accounts); MD5 keeps fixtures fast.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
LOGGING = {"version": 1, "disable_existing_loggers": False}

if os.environ.get("MESOTRACK_TEST_DB") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            # CI names its own databases so a developer's run on the same server cannot collide.
            "NAME": os.environ.get("MESOTRACK_TEST_PGDATABASE", "mesotrack"),
            "USER": os.environ.get("MESOTRACK_TEST_PGUSER", "postgres"),
            "HOST": os.environ.get("MESOTRACK_TEST_PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("MESOTRACK_TEST_PGPORT", "5432"),
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
