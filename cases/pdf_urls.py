from django.urls import path

from . import pdf_views

app_name = "pdf"

urlpatterns = [
    path("moeder/<int:pk>/dagsorden.pdf", pdf_views.meeting_agenda, name="meeting_agenda"),
    path(
        "moeder/<int:pk>/versioner/<int:number>/dagsorden.pdf",
        pdf_views.meeting_version_agenda,
        name="meeting_version_agenda",
    ),
    path("moeder/<int:pk>/samlet.pdf", pdf_views.meeting_package, name="meeting_package"),
    path("moeder/<int:pk>/referat.pdf", pdf_views.meeting_minutes, name="meeting_minutes"),
    path("punkter/<int:pk>.pdf", pdf_views.agenda_item, name="agenda_item"),
]
