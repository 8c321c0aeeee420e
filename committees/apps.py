from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Committees")

    def ready(self) -> None:
        from core import pagecache

        from .selectors import reader_scope

        # Who may read which closed items and drafts depends on the user's committees and
        # administration: shared pages are kept apart by them.
        pagecache.reader_part(reader_scope)
        # Which cached pages a change to this app's rows reaches.
        from . import cachescopes

        cachescopes.register()
        # Logins and their roles have a history tab too (committees/users/).
        from .users import history

        history.register()
