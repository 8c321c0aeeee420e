from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelhedsplanerConfig(AppConfig):
    name = "helhedsplaner"
    verbose_name = _("Helhedsplaner")
