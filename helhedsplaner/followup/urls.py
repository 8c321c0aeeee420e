from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("ny/", views.group_create, name="group_create"),
    path("<int:pk>/", views.group_detail, name="group_detail"),
    path("<int:pk>/rediger/", views.group_edit, name="group_edit"),
    path("<int:pk>/medlemmer/", views.members, name="members"),
    path("<int:pk>/planer/", views.group_plans, name="group_plans"),
    path("<int:pk>/moeder/ny/", views.meeting_create, name="meeting_create"),
    path("medlemmer/<int:pk>/fjern/", views.member_remove, name="member_remove"),
    path("medlemmer/<int:pk>/formand/", views.member_make_chair, name="member_make_chair"),
    path("moeder/<int:pk>/rediger/", views.meeting_edit, name="meeting_edit"),
]
