"""Indicator pages under /planer/indikatorer/, in the ``helhedsplaner`` URL namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.indicator_value_register, name="indicator_register"),
    path("import/", views.indicator_import, name="indicator_import"),
    path("import/<int:pk>/", views.indicator_import_job, name="indicator_import_job"),
    path("import/<int:pk>/navne/", views.indicator_import_map, name="indicator_import_map"),
    path(
        "import/<int:pk>/kolonner/",
        views.indicator_import_columns,
        name="indicator_import_columns",
    ),
    path("import/<int:pk>/gem/", views.indicator_import_confirm, name="indicator_import_confirm"),
    path(
        "import/<int:pk>/proev-igen/", views.indicator_import_retry, name="indicator_import_retry"
    ),
]
