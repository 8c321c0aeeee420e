from django.urls import path

from . import views

app_name = "helhedsplaner"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("ny/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/rediger/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/forloeb/", views.plan_transition, name="plan_transition"),
    path("<int:pk>/historik/", views.plan_history, name="plan_history"),
    path("indikatorer/", views.indicator_value_register, name="indicator_register"),
    path("indikatorer/import/", views.indicator_import, name="indicator_import"),
    path("indikatorer/import/gem/", views.indicator_import_save, name="indicator_import_save"),
]
