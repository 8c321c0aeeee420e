"""Settings for the benchmark: the product's base settings, DEBUG off, plus the bare views.

The bare views (``bench/bare.py``) exist only here, under ``/_bench/``; the product's
URLconf is untouched.
"""

import warnings

from config.settings.base import *  # noqa: F403

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405  (load_demo, generate_load_data)
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# The benchmark does not collect static files; WhiteNoise's warning about it is noise here.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
