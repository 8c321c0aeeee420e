from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project package: shared base model, roles, base views and template tags."""

    name = "config"
    verbose_name = "Helhedsplaner"

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created

        from . import pagecache

        connection_created.connect(pagecache.install, dispatch_uid="config-pagecache-install")
        # A connection opened before this ran (rare: during start-up) is watched as well.
        for connection in connections.all(initialized_only=True):
            pagecache.install(connection=connection)
