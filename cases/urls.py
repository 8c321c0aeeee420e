from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("bilag/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<str:number>/", views.case_detail, name="case_detail"),
]
