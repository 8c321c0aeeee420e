from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("punkter/nyt/", views.item_create, name="item_create"),
    path("punkter/klar/", views.ready_items, name="ready_items"),
    path("punkter/mine/", views.my_items, name="my_items"),
    path("punkter/<int:pk>/", views.item_detail, name="item_detail"),
    path("punkter/<int:pk>/rediger/", views.item_edit, name="item_edit"),
    path("punkter/<int:pk>/klar/", views.item_mark_ready, name="item_mark_ready"),
    path("punkter/<int:pk>/placer/", views.item_schedule, name="item_schedule"),
    path("punkter/<int:pk>/send-tilbage/", views.item_return, name="item_return"),
    path("punkter/<int:pk>/tag-af/", views.item_unschedule, name="item_unschedule"),
    path("punkter/<int:pk>/flyt/", views.item_move, name="item_move"),
    path("punkter/<int:pk>/bilag/nyt/", views.attachment_create, name="attachment_create"),
    path("punkter/<int:pk>/beslutning/", views.decision_record, name="decision_record"),
    path("punkter/<int:pk>/send-videre/", views.item_send_on, name="item_send_on"),
    path("punkter/<int:pk>/ret/", views.item_correct, name="item_correct"),
    path("punkter/<int:pk>/beslutning/historik/", views.decision_history, name="decision_history"),
    path("punkter/<int:pk>/beslutning/ret/", views.decision_correct, name="decision_correct"),
    path("bilag/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<str:number>/historik/", views.case_history, name="case_history"),
    path("<str:number>/", views.case_detail, name="case_detail"),
]
