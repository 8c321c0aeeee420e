from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("<slug:slug>/", views.committee_detail, name="committee_detail"),
]
