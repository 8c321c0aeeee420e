from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Which cached pages a change to this app's rows reaches (core.pagecache).
        from core import pagecache

        from . import cachescopes, rendering

        cachescopes.register()
        # Status reports asked for before are made again after a change to their plan.
        pagecache.after_commit(rendering.reports_after_commit)
