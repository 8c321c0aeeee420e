"""The plan status page and its PDF report, under /planer/<pk>/ next to the plan register."""

from django.urls import path

from . import views

app_name = "planstatus"

urlpatterns = [
    path("<int:pk>/status/", views.plan_status, name="plan_status"),
    path("<int:pk>/statusrapport.pdf", views.plan_status_pdf, name="plan_status_pdf"),
]
