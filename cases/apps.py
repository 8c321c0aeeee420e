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
        # PDFs made before are made again after a change to what they show.
        pagecache.after_commit(rendering.again_after_commit)
