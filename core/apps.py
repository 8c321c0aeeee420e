from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: the history base model, roles, the page cache, Danish
    formatting, sign-in and middleware. It imports no other app of the product."""

    name = "core"
    verbose_name = "Helhedsplaner"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in
        from django.db import connections
        from django.db.backends.signals import connection_created

        from . import db, pagecache
        from .middleware import IdleSessionMiddleware

        # Django admin is the superusers' tool of last resort: everybody else (staff included)
        # works in the product's own screens, where the policy layer decides per object.
        admin.site.has_permission = lambda request: bool(
            request.user.is_active and request.user.is_superuser
        )
        # The session saved at sign-in starts the idle clock: no second save on the next page.
        user_logged_in.connect(
            IdleSessionMiddleware.signed_in, dispatch_uid="core-idle-session-signed-in"
        )
        connection_created.connect(pagecache.install, dispatch_uid="core-pagecache-install")
        connection_created.connect(db.install, dispatch_uid="core-db-safe-dates")
        if any(c.vendor == "sqlite" for c in connections.all()):
            db.install_sqlite()
        # A connection opened before this ran (rare: during start-up) is watched as well.
        for connection in connections.all(initialized_only=True):
            pagecache.install(connection=connection)
            db.install(connection=connection)
