from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("", views.policy_overview, name="policy_overview"),
    path("maal/<int:pk>/", views.goal_detail, name="goal_detail"),
]
