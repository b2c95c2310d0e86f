"""Test settings: the real settings with a throwaway key, fast hashing and tasks run inline."""

import os

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only")

from makegood.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "makegood.sqlite":  # noqa: F405
    # In memory, and named so: pytest-django only recognises Django's own SQLite engine, and would
    # otherwise give each xdist worker a "test_<path>_gwN" file name in a folder that does not exist.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
# Tests make many requests from one address with one token: limits far above what any test sends.
# The limits themselves are tested with their own settings (makegood/tests/test_throttle.py).
MAKEGOOD_RATE_AUTH_FAILURES = "10000/m"
MAKEGOOD_RATE_LOGIN_FAILURES_PER_USER = "10000/m"
MAKEGOOD_RATE_API_TOKEN = "100000/m"
MAKEGOOD_RATE_API_ADDRESS = "100000/m"
