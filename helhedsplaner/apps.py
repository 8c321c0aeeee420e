from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelhedsplanerConfig(AppConfig):
    name = "helhedsplaner"
    verbose_name = _("Helhedsplaner")

    def ready(self) -> None:
        # Which cached pages a change to this app's rows reaches (core.pagecache).
        from . import cachescopes
        from .status import pdf

        cachescopes.register()
        # The plans' status reports, rendered in the background (cases.rendering).
        pdf.register()
