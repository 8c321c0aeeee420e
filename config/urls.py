from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from cases import calendar_views
from core import views
from core.auth import LoginView
from helhedsplaner.dashboard import views as dashboard_views
from helhedsplaner.plans import views as plan_views
from helhedsplaner.search import views as search_views

urlpatterns = [
    path("", dashboard_views.dashboard, name="home"),
    path("omraader/", dashboard_views.plans_by_area, name="plans_by_area"),
    path("log-ind/", LoginView.as_view(), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
    path("sprog/", login_not_required(set_language), name="set_language"),
    path("sager/punkter/<int:pk>/planer/", plan_views.item_plans_edit, name="agenda_item_plans"),
    path("sager/", include("cases.urls")),
    path("planer/", include("helhedsplaner.plans.urls")),
    path("planer/", include("helhedsplaner.status.urls")),
    path("planer/referencedata/", include("helhedsplaner.reference.urls")),
    path("medfinansiering/", include("helhedsplaner.cofinancing.urls")),
    path("foelgegrupper/", include("helhedsplaner.followup.urls")),
    path("politik/", include("helhedsplaner.policy.urls")),
    path("udvalg/", include("committees.urls")),
    path("brugere/", include("committees.users.urls")),
    path("moeder/", include("cases.meeting_urls")),
    path("pdf/", include("cases.pdf_urls")),
    path("soeg/", search_views.search, name="search"),
    path("kalender/", calendar_views.calendar_settings, name="calendar_settings"),
    path("kalender/forny/", calendar_views.calendar_renew, name="calendar_renew"),
    path("kalender/<str:token>/mine.ics", calendar_views.calendar_mine, name="calendar_mine"),
    path(
        "kalender/<str:token>/udvalg/<slug:slug>.ics",
        calendar_views.calendar_committee,
        name="calendar_committee",
    ),
    path("admin/", admin.site.urls),
]

if settings.OIDC_ENABLED:
    # Sign-in at the municipality's identity provider (/oidc/...) and its sign-out.
    from committees.users.oidc import with_oidc

    urlpatterns = with_oidc(urlpatterns)

# The 500 page says whether the user's change was saved (core.views.server_error).
handler500 = "core.views.server_error"
