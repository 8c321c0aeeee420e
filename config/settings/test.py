"""Test settings: tuned for speed, same database engine as DATABASE_URL says."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405  (load_demo, generate_load_data)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory, unless DJANGO_CACHE_URL names a Redis database (.ci/run runs the page-cache
# tests once that way): the tests empty the caches before and after each test.
CACHES = cache_settings(CACHE_URL)  # noqa: F405
if not CACHE_URL:  # noqa: F405
    CACHES["pages"].pop("OPTIONS")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = os.environ.get("DJANGO_TEST_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix="helhedsplaner-test-media-"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Jobs run when they are enqueued, in the test's transaction (cases.rendering); a test of
# the worker itself runs ``db_worker`` against the database backend.
# (DJANGO_TEST_TASKS_BACKEND: the worker process that test starts.)
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TEST_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# Every test that publishes an agenda would otherwise render its four PDFs at once.
PDF_RENDER_AT_PUBLISH = False
