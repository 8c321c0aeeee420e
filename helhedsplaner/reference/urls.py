"""The reference data under /planer/referencedata/: the same five routes for every kind
(``kinds.py``), then what only an LBF period has (its page and its focus areas)."""

from django.urls import path

from . import views
from .kinds import KINDS


def _kind_patterns(kind) -> list:
    base = f"{kind.path}/"
    routes = (
        ("", views.kind_list, "list"),
        ("ny/", views.kind_create, "create"),
        ("<int:pk>/rediger/", views.kind_edit, "edit"),
        ("<int:pk>/historik/", views.kind_history, "history"),
        ("<int:pk>/fjern/", views.kind_remove, "remove"),
    )
    return [
        path(base + route, view, {"kind": kind}, name=f"{kind.key}_{action}")
        for route, view, action in routes
    ]


app_name = "reference"

urlpatterns = [
    path("", views.index, name="index"),
    *(pattern for kind in KINDS for pattern in _kind_patterns(kind)),
    path("lbf-perioder/<int:pk>/", views.period_detail, name="period_detail"),
    path(
        "lbf-perioder/<int:pk>/indsatsomraader/ny/",
        views.period_focus_area_create,
        name="period_focus_area_create",
    ),
    path("indsatsomraader/<int:pk>/rediger/", views.focus_area_edit, name="focus_area_edit"),
    path("indsatsomraader/<int:pk>/fjern/", views.focus_area_remove, name="focus_area_remove"),
]
