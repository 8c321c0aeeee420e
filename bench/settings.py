"""Settings for the benchmark: the product's base settings, DEBUG off, plus the bare views.

The bare views (``bench/bare.py``) exist only here, under ``/_bench/``; the product's
URLconf is untouched.

``DJANGO_CACHE_URL`` (``redis://host:port/db``) puts the "default" and "pages" caches in
Redis, shared by every gunicorn worker (the base settings). Here the keys are also
prefixed with the database's name, so the benchmark's two databases (whose versions may
be equal numbers) never share entries.
"""

import warnings

from config.settings.base import *  # noqa: F403

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405  (load_demo, generate_load_data)
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

REDIS_CACHE = "core.cache.RedisCache"
_database = DATABASES["default"]["NAME"]  # noqa: F405
for _options in CACHES.values():  # noqa: F405
    if _options["BACKEND"] == REDIS_CACHE:
        _prefix = _options.get("KEY_PREFIX")
        _options["KEY_PREFIX"] = f"{_database}:{_prefix}" if _prefix else _database

# The benchmark does not collect static files; WhiteNoise's warning about it is noise here.
warnings.filterwarnings("ignore", message="No directory at")
