"""Settings for the benchmark: the product's base settings, DEBUG off, plus the bare views.

The bare views (``bench/bare.py``) exist only here, under ``/_bench/``; the product's
URLconf is untouched.

``DJANGO_CACHE_URL`` (``redis://host:port/db``) puts the "default" and "pages" caches in
Redis, shared by every gunicorn worker. Base settings that do not read it yet get the
same meaning here. Either way the keys are prefixed with the database's name, so the
benchmark's two databases (whose generations may be equal numbers) never share entries.
"""

import os
import warnings

from config.settings.base import *  # noqa: F403

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405  (load_demo, generate_load_data)
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
_cache_url = os.environ.get("DJANGO_CACHE_URL", "").strip()
if _cache_url and not all(
    CACHES[name]["BACKEND"] == REDIS_CACHE  # noqa: F405
    for name in ("default", "pages")
):
    CACHES = {  # noqa: F811
        "default": {"BACKEND": REDIS_CACHE, "LOCATION": _cache_url, "KEY_PREFIX": "default"},
        "pages": {
            "BACKEND": REDIS_CACHE,
            "LOCATION": _cache_url,
            "KEY_PREFIX": "pages",
            "TIMEOUT": CACHES["pages"].get("TIMEOUT", 3600),  # noqa: F405
        },
    }
_database = DATABASES["default"]["NAME"]  # noqa: F405
for _options in CACHES.values():  # noqa: F405
    if _options["BACKEND"] == REDIS_CACHE:
        _prefix = _options.get("KEY_PREFIX")
        _options["KEY_PREFIX"] = f"{_database}:{_prefix}" if _prefix else _database

# The benchmark does not collect static files; WhiteNoise's warning about it is noise here.
warnings.filterwarnings("ignore", message="No directory at")
