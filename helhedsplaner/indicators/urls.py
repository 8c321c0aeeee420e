"""Indicator pages under /planer/indikatorer/, in the ``helhedsplaner`` URL namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.indicator_value_register, name="indicator_register"),
    path("import/", views.indicator_import, name="indicator_import"),
    path("import/gem/", views.indicator_import_save, name="indicator_import_save"),
]
