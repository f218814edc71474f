"""Fast, self-contained settings for the test suite (pytest reads this module)."""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
)
os.environ.setdefault("SITE_URL", "http://localhost:8000")
os.environ["DJANGO_DEBUG"] = "0"  # tests run with production settings

from config.settings import *  # noqa: F403
from config.settings import STORAGES

SITE_URL = "http://localhost:8000"  # whatever the environment says: tests compare it
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
AXES_ENABLED = True
# Tests that need it turn it on; the rest sign in administrators without a phone.
REQUIRE_2FA_FOR_ADMINS = False
# A test's transaction never commits, so the public generation never moves on its own:
# rendered pages are kept only in the tests of the page cache, which turn it on.
PAGE_CACHE = False
COUNTS_CACHE = False
