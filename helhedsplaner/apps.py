from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelhedsplanerConfig(AppConfig):
    name = "helhedsplaner"
    verbose_name = _("Helhedsplaner")

    def ready(self) -> None:
        # Which cached pages a change to this app's rows reaches (core.pagecache).
        from core import history
        from core.templatetags.dk import dkk

        from . import cachescopes
        from .cofinancing.selectors import MONEY_FIELDS
        from .status import pdf

        cachescopes.register()
        # The plans' status reports, rendered in the background (cases.rendering).
        pdf.register()
        # Money reads as kroner in every history.
        history.register_value(MONEY_FIELDS, dkk)
