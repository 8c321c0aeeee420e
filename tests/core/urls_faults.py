"""A test-only URLconf: views that fail after or before saving (tests/core/test_faults.py)."""

from django.db import transaction
from django.urls import include, path

from tests import factories


def saves_then_fails(request):
    with transaction.atomic():
        factories.committee("GEMT")
    raise RuntimeError("the page after the save failed")


def fails_before_saving(request):
    with transaction.atomic():
        factories.committee("RULLET")
        raise RuntimeError("the save itself failed")


def fails_reading(request):
    raise RuntimeError("reading failed")


urlpatterns = [
    path("test/gem-og-fejl/", saves_then_fails),
    path("test/fejl-foer-gem/", fails_before_saving),
    path("test/fejl-ved-laesning/", fails_reading),
    path("", include("config.urls")),
]
handler500 = "core.views.server_error"
