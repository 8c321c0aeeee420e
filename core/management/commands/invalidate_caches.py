"""Start a new cache generation: every cached page and figure is rendered afresh.

Writes through Django invalidate by themselves (``core.pagecache``). Run this
after changing data by other means, for example SQL typed into ``psql``.
"""

from django.core.management.base import BaseCommand

from core import pagecache


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args, **options):
        before = pagecache.generation()
        pagecache.bump()
        self.stdout.write(f"Cache generation {before} → {pagecache.generation()}.")
