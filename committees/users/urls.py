from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("ny/", views.user_create, name="user_create"),
    path("<int:pk>/", views.user_history, name="user_history"),
    path("<int:pk>/rediger/", views.user_edit, name="user_edit"),
    path("<int:pk>/adgangskode/", views.user_password, name="user_password"),
    path("<int:pk>/afslut/", views.user_deactivate, name="user_deactivate"),
    path("<int:pk>/genaktiver/", views.user_reactivate, name="user_reactivate"),
]
