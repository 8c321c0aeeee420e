from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Which cached pages a change to this app's rows reaches (core.pagecache).
        from core import history, pagecache

        from . import cachescopes, rendering
        from .models import AgendaItem
        from .selectors import item_history_label

        cachescopes.register()
        # PDFs made before are made again after a change to what they show.
        pagecache.after_commit(rendering.again_after_commit)
        # An agenda item named in a history: never by its (perhaps closed) title.
        history.register_label(
            AgendaItem,
            item_history_label,
            queryset=lambda items: items.select_related("meeting__committee"),
        )
