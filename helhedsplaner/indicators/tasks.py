"""The background jobs of an indicator import: check the uploaded file, then save it.

Large files take seconds to read and check against the areas and indicators, and
longer to save with history; in the request they held a web worker and the page hung.
Now the upload stores the file and asks for a check; the import's page
(``views.indicator_import_job``) says how far the job is and reloads itself, shows the
preview once the file is checked, and after the uploader confirms says how far the save
is and then what was saved. A failed job says why and can be run again.

The jobs run on Django's Tasks API (the ``django-tasks`` backport of Django 6.0's
``django.tasks``) with the ``django-tasks-db`` database backend and ``manage.py
db_worker``, like the meetings' PDFs (``cases.rendering``). What each step does is in
``services`` (``indicator_import_check_run``, ``indicator_import_save_run``); these are
only the entry points a worker runs. ``services`` enqueues them, so the two modules
import each other; neither uses the other at import time.
"""

from . import services

try:  # Django 6.0's own Tasks API, else the backport with the same API
    from django.tasks import task
except ImportError:  # pragma: no cover - Django 5.2
    from django_tasks import task


@task()
def indicator_import_check(pk: int) -> None:
    """Read and check the stored file of import ``pk``; keep the preview. Writes no values."""
    services.indicator_import_check_run(pk=pk)


@task()
def indicator_import_save(pk: int) -> None:
    """Save every value of the confirmed import ``pk``, or none."""
    services.indicator_import_save_run(pk=pk)
