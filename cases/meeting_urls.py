"""Meeting pages (/moeder/): the agenda, its versions, decisions and minutes.

They live in ``cases`` because a meeting's page is its agenda items, read through
the visibility rules in ``cases.selectors``.
"""

from django.urls import path

from . import meeting_plan, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("nyt/", views.meeting_create, name="meeting_create"),
    path("moedeplan/", meeting_plan.meeting_plan, name="meeting_plan"),
    path("<int:pk>/historik/", views.meeting_history, name="meeting_history"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/rediger/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/offentliggoer/", views.meeting_publish, name="meeting_publish"),
    path("<int:pk>/afholdt/", views.meeting_mark_held, name="meeting_mark_held"),
    path(
        "<int:pk>/godkend-referat/", views.meeting_minutes_approve, name="meeting_minutes_approve"
    ),
    path(
        "<int:pk>/lukkede-sidst/", views.meeting_group_closed_last, name="meeting_group_closed_last"
    ),
    path("<int:pk>/fravaer/", views.meeting_absences, name="meeting_absences"),
    path("<int:pk>/forespoergsler/ny/", views.inquiry_create, name="inquiry_create"),
]
