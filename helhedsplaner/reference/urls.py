"""The reference data under /planer/referencedata/."""

from django.urls import path

from . import views

app_name = "reference"

urlpatterns = [
    path("", views.index, name="index"),
    path("boligorganisationer/", views.organisation_list, name="organisation_list"),
    path("boligorganisationer/ny/", views.organisation_create, name="organisation_create"),
    path(
        "boligorganisationer/<int:pk>/rediger/", views.organisation_edit, name="organisation_edit"
    ),
    path(
        "boligorganisationer/<int:pk>/historik/",
        views.organisation_history,
        name="organisation_history",
    ),
    path(
        "boligorganisationer/<int:pk>/fjern/", views.organisation_remove, name="organisation_remove"
    ),
    path("omraader/", views.area_list, name="area_list"),
    path("omraader/ny/", views.area_create, name="area_create"),
    path("omraader/<int:pk>/rediger/", views.area_edit, name="area_edit"),
    path("omraader/<int:pk>/historik/", views.area_history, name="area_history"),
    path("omraader/<int:pk>/fjern/", views.area_remove, name="area_remove"),
    path("lbf-perioder/", views.period_list, name="period_list"),
    path("lbf-perioder/ny/", views.period_create, name="period_create"),
    path("lbf-perioder/<int:pk>/", views.period_detail, name="period_detail"),
    path("lbf-perioder/<int:pk>/rediger/", views.period_edit, name="period_edit"),
    path("lbf-perioder/<int:pk>/historik/", views.period_history, name="period_history"),
    path("lbf-perioder/<int:pk>/fjern/", views.period_remove, name="period_remove"),
    path(
        "lbf-perioder/<int:pk>/indsatsomraader/ny/",
        views.period_focus_area_create,
        name="period_focus_area_create",
    ),
    path("indsatsomraader/<int:pk>/rediger/", views.focus_area_edit, name="focus_area_edit"),
    path("indsatsomraader/<int:pk>/fjern/", views.focus_area_remove, name="focus_area_remove"),
]
