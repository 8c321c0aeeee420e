from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("", views.policy_overview, name="policy_overview"),
    path("ny/", views.policy_create, name="policy_create"),
    path("<int:pk>/rediger/", views.policy_edit, name="policy_edit"),
    path("<int:pk>/historik/", views.policy_history, name="policy_history"),
    path("<int:pk>/maal/ny/", views.policy_goal_create, name="policy_goal_create"),
    path("<int:pk>/omnummerer/", views.policy_goals_renumber, name="policy_goals_renumber"),
    path("maal/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("maal/<int:pk>/rediger/", views.goal_edit, name="goal_edit"),
]
