"""Recompute every plan's figures (money, last activity) for the front page.

A write through Django has the plans it touched refreshed after its commit
(``helhedsplaner.dashboard.figures.refresh``). Run this after writing plans,
commitments, agenda items or meetings by other means (a bulk import, SQL typed into
``psql``), and once after the migration that adds the tables; until then the front page
computes the plans without stored figures as it is read (correct, but slower).
"""

import time

from django.core.management.base import BaseCommand

from core import pagecache
from helhedsplaner.dashboard import figures


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args, **options):
        started = time.perf_counter()

        def say(line: str) -> None:
            self.stdout.write(f"{time.perf_counter() - started:7.1f} s  {line}")

        say("plan figures …")
        written = figures.refresh_all(progress=say)
        # The front page shows them: rendered afresh from now on.
        pagecache.touch(pagecache.ALL)
        self.stdout.write(
            self.style.SUCCESS(
                f"Plan figures ready: {written:,} rows written, "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
