from django.urls import path

from . import views

app_name = "cofinancing"

OVERVIEW_PATHS = {
    "administrations": "forvaltninger",
    "plans": "planer",
    "years": "aar",
    "pools": "puljer",
}

urlpatterns = [
    path("", views.commitment_list, name="commitment_list"),
    path("tilsagn/ny/", views.commitment_create, name="commitment_create"),
    path("tilsagn/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("tilsagn/<int:pk>/rediger/", views.commitment_edit, name="commitment_edit"),
    path("tilsagn/<int:pk>/bevilg/", views.commitment_grant, name="commitment_grant"),
    path("tilsagn/<int:pk>/udbetalt/", views.commitment_mark_paid, name="commitment_mark_paid"),
    path("tilsagn/<int:pk>/tilbagetraek/", views.commitment_withdraw, name="commitment_withdraw"),
    path("tilsagn/<int:pk>/ret/", views.commitment_correct, name="commitment_correct"),
    path("punkter/<int:pk>/", views.agenda_item_commitments, name="item_commitments"),
    path("planer/<int:pk>/", views.plan_detail, name="plan_detail"),
    path(
        "planer/<int:pk>/boligorganisationens-bidrag/",
        views.housing_contribution_create,
        name="housing_contribution_create",
    ),
    path("puljer/ny/", views.pool_create, name="pool_create"),
    path("puljer/<int:pk>/", views.pool_detail, name="pool_detail"),
    path("puljer/<int:pk>/rediger/", views.pool_edit, name="pool_edit"),
    path("puljer/<int:pk>/historik/", views.pool_history, name="pool_history"),
    path("puljer/<int:pk>/fjern/", views.pool_remove, name="pool_remove"),
]
for kind, slug in OVERVIEW_PATHS.items():
    urlpatterns += [
        path(f"oversigt/{slug}/", views.overview, {"kind": kind}, name=f"overview_{kind}"),
        path(
            f"oversigt/{slug}/eksport.xlsx",
            views.overview_export,
            {"kind": kind, "fmt": "xlsx"},
            name=f"overview_{kind}_xlsx",
        ),
        path(
            f"oversigt/{slug}/eksport.csv",
            views.overview_export,
            {"kind": kind, "fmt": "csv"},
            name=f"overview_{kind}_csv",
        ),
    ]
