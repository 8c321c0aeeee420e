from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development tools, not domain code: the demo data (``load_demo``) and the load
    generator (``generate_load_data``). Installed by the local, test and bench settings;
    production does not install it."""

    name = "demo"
    verbose_name = "Demo data"
