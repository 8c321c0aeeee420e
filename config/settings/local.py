"""Local development: debug on unless DJANGO_DEBUG says otherwise."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# Development tools: load_demo and generate_load_data (not installed in production).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
