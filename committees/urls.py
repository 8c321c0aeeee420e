from django.urls import path

from . import views
from .administrations import views as administration_views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("nyt/", views.committee_create, name="committee_create"),
    path("personer/", views.person_list, name="person_list"),
    path("personer/ny/", views.person_create, name="person_create"),
    path("personer/<int:pk>/", views.person_history, name="person_history"),
    path("personer/<int:pk>/rediger/", views.person_edit, name="person_edit"),
    path("medlemskaber/<int:pk>/rediger/", views.membership_edit, name="membership_edit"),
    path("medlemskaber/<int:pk>/afslut/", views.membership_end, name="membership_end"),
    # Before the committee routes: "forvaltninger" is not a committee's slug (forms.py).
    path(
        "forvaltninger/",
        administration_views.administration_list,
        name="administration_list",
    ),
    path(
        "forvaltninger/ny/",
        administration_views.administration_create,
        name="administration_create",
    ),
    path(
        "forvaltninger/<int:pk>/",
        administration_views.administration_history,
        name="administration_history",
    ),
    path(
        "forvaltninger/<int:pk>/rediger/",
        administration_views.administration_edit,
        name="administration_edit",
    ),
    path(
        "forvaltninger/<int:pk>/fjern/",
        administration_views.administration_remove,
        name="administration_remove",
    ),
    path("<slug:slug>/", views.committee_detail, name="committee_detail"),
    path("<slug:slug>/historik/", views.committee_history, name="committee_history"),
    path("<slug:slug>/rediger/", views.committee_edit, name="committee_edit"),
    path("<slug:slug>/afslut/", views.committee_end, name="committee_end"),
    path("<slug:slug>/medlemmer/ny/", views.membership_create, name="membership_create"),
]
