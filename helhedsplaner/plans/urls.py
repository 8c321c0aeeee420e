"""The plan register under /planer/; the indicator pages share its URL namespace."""

from django.urls import include, path

from . import import_views, views

app_name = "helhedsplaner"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("ny/", views.plan_create, name="plan_create"),
    path("import/", import_views.plan_import, name="plan_import"),
    path("import/kolonner/", import_views.plan_import_mapping, name="plan_import_mapping"),
    path("import/gennemse/", import_views.plan_import_preview, name="plan_import_preview"),
    path("import/gem/", import_views.plan_import_commit, name="plan_import_commit"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/rediger/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/forloeb/", views.plan_transition, name="plan_transition"),
    path("<int:pk>/historik/", views.plan_history, name="plan_history"),
    path("indikatorer/", include("helhedsplaner.indicators.urls")),
]
