from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project package: shared base model, roles, base views and template tags."""

    name = "config"
    verbose_name = "Helhedsplaner"
