"""Test settings: the production settings module with test-only speed-ups."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("SAMVERKAN_HOME", tempfile.mkdtemp(prefix="samverkan-test-"))
os.environ.setdefault("DEBUG", "0")

from samverkan.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The throttle cache is on disk under SAMVERKAN_HOME, which every pytest-xdist worker
# shares: one directory per worker, so that a test clearing it in one worker does not
# reset the counts a test of the other worker is making.
CACHES["throttle"]["LOCATION"] = str(  # noqa: F405
    SAMVERKAN_HOME / "cache" / f"throttle-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
)
