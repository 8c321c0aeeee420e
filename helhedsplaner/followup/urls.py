from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("<int:pk>/", views.group_detail, name="group_detail"),
    path("<int:pk>/moeder/ny/", views.meeting_create, name="meeting_create"),
]
