"""An indicator file checked and saved in the background (helhedsplaner.indicators.tasks).

With the test settings' immediate backend a job runs when it is enqueued; the tests of
progress use the dummy backend, which only keeps the job, and then run the job's function
themselves, the way a worker would.
"""

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core import roles
from helhedsplaner.indicators import importer, services, tasks
from helhedsplaner.models import IndicatorImport, IndicatorValue
from tests import factories

pytestmark = pytest.mark.django_db

IMPORT = reverse("helhedsplaner:indicator_import")
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
GOOD = (
    "område;indikator;år;værdi\n"
    "Tingbjerg;Andel med lav indkomst;2024;22,8\n"
    "Urbanplanen;lav-indkomst;2024;31,5\n"
    "Urbanplanen;lav-indkomst;2023;1.234,5\n"
)


@pytest.fixture
def reference():
    tingbjerg = factories.area("Tingbjerg")
    urban = factories.area("Urbanplanen")
    income = factories.indicator("lav-indkomst", "Andel med lav indkomst")
    return tingbjerg, urban, income


def upload(client, text: str, name="indikatorer.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def page(job) -> str:
    return reverse("helhedsplaner:indicator_import_job", args=[job.pk])


def confirm(job) -> str:
    return reverse("helhedsplaner:indicator_import_confirm", args=[job.pk])


def retry(job) -> str:
    return reverse("helhedsplaner:indicator_import_retry", args=[job.pk])


def large_file(rows: int = 5000):
    """``rows`` values: 50 areas × 100 years of one indicator."""
    areas = [factories.area(f"Område {number:02}") for number in range(50)]
    indicator = factories.indicator("ledighed", "Ledighed")
    lines = ["område;indikator;år;værdi"]
    for index in range(rows):
        area, year = areas[index % 50], 1991 + index // 50
        lines.append(f"{area.name};{indicator.code};{year};{index % 97},5")
    return "\n".join(lines) + "\n"


def spy_on_progress(monkeypatch, every_call):
    """Call ``every_call(done, total)`` after each progress report the parser makes."""
    real = importer.parse_sheet

    def parse(sheet, *, progress=None, **kwargs):
        def report(done, total):
            progress(done, total)
            every_call(done, total)

        return real(sheet, progress=report if progress else None, **kwargs)

    monkeypatch.setattr(importer, "parse_sheet", parse)


# -- the whole flow ------------------------------------------------------------------------------


def test_upload_checks_in_the_background_and_nothing_is_saved_before_confirming(
    client_for, caseworker, reference
):
    tingbjerg, urban, income = reference
    factories.indicator_value(urban, income, 2023, Decimal("30"))
    client = client_for(caseworker)
    response = upload(client, GOOD)
    job = IndicatorImport.objects.get()
    assert response.status_code == 302 and response["Location"] == page(job)
    assert job.uploaded_by == caseworker and job.filename == "indikatorer.csv"
    assert job.file.name.startswith("imports/") and job.file.storage.exists(job.file.name)
    assert job.status == IndicatorImport.Status.CHECKED and job.rows_total == 3
    assert job.preview["indicators"] == [
        {"name": "Andel med lav indkomst", "new": 2, "changed": 1, "unchanged": 0}
    ]
    preview = client.get(page(job))
    content = preview.content.decode()
    assert preview.status_code == 200 and 'http-equiv="refresh"' not in content
    assert "Filen har 3 værdier og ingen fejl." in content
    assert f'action="{confirm(job)}"' in content
    assert IndicatorValue.objects.count() == 1  # nothing saved yet

    saved = client.post(confirm(job))
    assert saved.status_code == 302 and saved["Location"] == page(job)
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.SAVED
    assert (job.values_created, job.values_updated, job.values_unchanged) == (2, 1, 0)
    values = {(v.area, v.year): v.value for v in IndicatorValue.objects.all()}
    assert values == {
        (tingbjerg, 2024): Decimal("22.8"),
        (urban, 2024): Decimal("31.5"),
        (urban, 2023): Decimal("1234.5"),
    }
    # History on the values, attributed to the uploader: 2 created, 1 changed.
    assert IndicatorValue.history.filter(history_user=caseworker).count() == 3
    result = client.get(page(job)).content.decode()
    assert "indikatorer.csv er importeret: 2 nye værdier, 1 opdateret, 0 uændret." in result
    assert f'href="{reverse("helhedsplaner:indicator_register")}"' in result


def test_a_large_file_shows_how_far_the_check_and_the_save_are(
    client_for, caseworker, monkeypatch, django_assert_max_num_queries
):
    text = large_file(5000)
    client = client_for(caseworker)
    with override_settings(TASKS=DUMMY):
        response = upload(client, text, name="stor.csv")
        job = IndicatorImport.objects.get()
        assert response["Location"] == page(job)
        waiting = client.get(page(job))
        content = waiting.content.decode()
        assert waiting.status_code == 202
        assert '<meta http-equiv="refresh" content="3">' in content
        assert '<progress id="import-progress" max="100" value="0">' in content
        assert job.status == IndicatorImport.Status.WAITING

        # A worker runs the check; the page, asked for while it runs, says how far it is.
        seen, stored = {}, {}

        def look(done, total):
            if done in (1000, 2500):
                seen[done] = client.get(page(job))
                stored[done] = IndicatorValue.objects.count()

        spy_on_progress(monkeypatch, look)
        tasks.indicator_import_check.call(job.pk)
        assert sorted(seen) == [1000, 2500]
        for done, percent in ((1000, 20), (2500, 50)):
            content = seen[done].content.decode()
            assert seen[done].status_code == 202, done
            assert f'<progress id="import-progress" max="100" value="{percent}">' in content
            assert f"{done:,}".replace(",", ".") in content and "5.000" in content
            assert 'http-equiv="refresh"' in content

        with django_assert_max_num_queries(10):
            preview = client.get(page(job))
        assert preview.status_code == 200
        assert "Gem 5000 værdier" in preview.content.decode()
        assert not IndicatorValue.objects.exists()

        # Confirmed: the save waits for a worker, then reports as it reads the file again.
        seen.clear()
        assert client.post(confirm(job)).status_code == 302
        assert client.get(page(job)).status_code == 202
        tasks.indicator_import_save.call(job.pk)
        assert sorted(seen) == [1000, 2500]
        content = seen[2500].content.decode()
        assert '<progress id="import-progress" max="100" value="45">' in content
        assert stored == {1000: 0, 2500: 0}  # read again first, then written all at once
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.SAVED and job.values_created == 5000
    assert IndicatorValue.objects.count() == 5000
    assert IndicatorValue.history.filter(history_user=caseworker).count() == 5000


def test_the_save_refuses_when_the_data_changed_since_the_preview(
    client_for, caseworker, reference
):
    tingbjerg, _urban, _income = reference
    client = client_for(caseworker)
    upload(client, GOOD)
    job = IndicatorImport.objects.get()
    tingbjerg.delete()  # removed between the preview and the save
    client.post(confirm(job))
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.CHECKED and job.confirmed_at is None
    content = client.get(page(job)).content.decode()
    assert escape(job.error) in content
    assert "Linje 2: ukendt område »Tingbjerg«." in content
    assert f'action="{confirm(job)}"' not in content
    assert not IndicatorValue.objects.exists()
    assert client.post(confirm(job)).status_code == 302  # still nothing to save
    assert not IndicatorValue.objects.exists()


# -- who may follow an import ------------------------------------------------------------------


def test_another_user_can_neither_see_nor_confirm_nor_retry_the_import(
    client, caseworker, administrator, reference
):
    client.force_login(caseworker)
    upload(client, GOOD)
    job = IndicatorImport.objects.get()
    other = factories.user(roles.CASEWORKER, "anden-sagsbehandler")
    client.force_login(other)
    assert client.get(page(job)).status_code == 404
    assert client.post(confirm(job)).status_code == 404
    assert client.post(retry(job)).status_code == 404
    assert client.get(page(job) + "0").status_code == 404  # the same as one that is not there
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.CHECKED and not IndicatorValue.objects.exists()

    client.force_login(factories.user(roles.SECRETARY, "sekretaer"))
    assert client.get(page(job)).status_code == 403  # may not import at all

    client.force_login(administrator)
    assert client.get(page(job)).status_code == 200
    assert client.post(confirm(job)).status_code == 302
    assert IndicatorValue.objects.count() == 3
    # The values' history names who asked for them to be saved.
    assert set(IndicatorValue.history.values_list("history_user", flat=True)) == {administrator.pk}


# -- failures ----------------------------------------------------------------------------------


def test_a_failed_check_says_why_and_trying_again_works(
    client_for, caseworker, reference, monkeypatch
):
    real = importer.parse_sheet

    def broken(sheet, **kwargs):
        raise RuntimeError("the parser broke")

    monkeypatch.setattr(importer, "parse_sheet", broken)
    client = client_for(caseworker)
    upload(client, GOOD)
    job = IndicatorImport.objects.get()
    response = client.get(page(job))
    content = response.content.decode()
    assert job.status == IndicatorImport.Status.FAILED
    assert response.status_code == 200 and 'role="alert"' in content
    assert "RuntimeError" in content and escape(job.error) in content
    assert 'http-equiv="refresh"' not in content
    assert "Prøv igen" in content and f'action="{retry(job)}"' in content

    monkeypatch.setattr(importer, "parse_sheet", real)
    retried = client.post(retry(job))
    assert retried.status_code == 302 and retried["Location"] == page(job)
    assert "Filen har 3 værdier og ingen fejl." in client.get(page(job)).content.decode()
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.CHECKED and job.attempts == 2
    assert client.post(retry(job)).status_code == 302  # not failed: nothing to run again
    assert IndicatorImport.objects.get().attempts == 2


def test_a_stored_file_that_is_gone_fails_with_the_reason_in_the_uploaders_language(
    client_for, caseworker, reference
):
    client = client_for(caseworker)
    with override_settings(TASKS=DUMMY):
        upload(client, GOOD)
        job = IndicatorImport.objects.get()
        job.file.storage.delete(job.file.name)
        with translation.override("en"):  # the worker's own language does not matter
            tasks.indicator_import_check.call(job.pk)
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.FAILED
    with translation.override("da"):
        expected = translation.gettext("The uploaded file is no longer stored. Upload it again.")
    assert job.error == expected
    content = client.get(page(job)).content.decode()
    assert escape(job.error) in content and "Prøv igen" in content


def test_a_failed_save_leaves_nothing_half_saved_and_trying_again_saves(
    client_for, caseworker, reference, monkeypatch
):
    tingbjerg, urban, income = reference
    factories.indicator_value(urban, income, 2023, Decimal("30"))
    client = client_for(caseworker)
    upload(client, GOOD)
    job = IndicatorImport.objects.get()
    real = services.bulk_update_with_history

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "bulk_update_with_history", broken)
    client.post(confirm(job))  # the new values are written first, then the update fails
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.FAILED and job.confirmed_at is not None
    assert IndicatorValue.objects.count() == 1  # all or nothing: the new ones rolled back
    content = client.get(page(job)).content.decode()
    assert "RuntimeError" in content and "Prøv igen" in content

    monkeypatch.setattr(services, "bulk_update_with_history", real)
    client.post(retry(job))  # runs the save again, without another confirmation
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.SAVED
    assert job.attempts == 3  # the check, the failed save, the save
    assert IndicatorValue.objects.count() == 3


def test_a_job_quiet_for_too_long_is_asked_for_again(client_for, caseworker, reference):
    from django_tasks import task_backends

    client = client_for(caseworker)
    with override_settings(TASKS=DUMMY):
        upload(client, GOOD)
        backend = task_backends["default"]
        job = IndicatorImport.objects.get()
        assert len(backend.results) == 1
        client.get(page(job))  # the page reloading itself asks for nothing new
        assert len(backend.results) == 1
        # A worker took the job and died with it.
        quiet_since = job.requested_at - services.STALE_AFTER - timedelta(seconds=1)
        IndicatorImport.objects.filter(pk=job.pk).update(
            status=IndicatorImport.Status.CHECKING, requested_at=quiet_since
        )
        assert client.get(page(job)).status_code == 202
        assert len(backend.results) == 2
        assert backend.results[-1].args == [job.pk]
        job.refresh_from_db()
        assert job.status == IndicatorImport.Status.WAITING and job.requested_at > quiet_since
        for result in backend.results:  # the job asked for twice is done once
            result.task.call(*result.args)
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.CHECKED and job.attempts == 1


# -- the parser's progress ---------------------------------------------------------------------


def test_the_parser_reports_progress_without_changing_what_it_finds(reference):
    lines = ["område;indikator;år;værdi"]
    lines += [f"Tingbjerg;lav-indkomst;{1990 + i % 111};{i}" for i in range(1200)]
    text = "\n".join(lines) + "\n"
    reports = []
    with_progress = importer.parse(text, progress=lambda done, total: reports.append(done))
    without = importer.parse(text)
    assert reports == [500, 1000] and importer.row_count(text) == 1200
    assert [e.message for e in with_progress.errors] == [e.message for e in without.errors]
    assert [(r.line, r.year, r.value) for r in with_progress.rows] == [
        (r.line, r.year, r.value) for r in without.rows
    ]


# -- with a real worker process ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_and_saves_an_upload(
    client, caseworker, reference, on_postgres, settings
):
    # The database backend and worker processes of their own (manage.py db_worker), as in
    # production: the upload is answered at once with the page that says the file is
    # waiting; a worker checks it; the preview is confirmed; a worker saves it.
    from tests.cases.test_rendering import ROOT, WORKER, _worker_env

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(caseworker)
    response = upload(client, GOOD)
    job = IndicatorImport.objects.get()
    assert response["Location"] == page(job)
    assert client.get(page(job)).status_code == 202

    def run_worker():
        done = subprocess.run(
            WORKER, cwd=ROOT, env=_worker_env(settings), capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr

    run_worker()
    preview = client.get(page(job))
    assert preview.status_code == 200 and "Filen har 3 værdier" in preview.content.decode()
    assert not IndicatorValue.objects.exists()
    client.post(confirm(job))
    assert client.get(page(job)).status_code == 202
    run_worker()
    job.refresh_from_db()
    assert job.status == IndicatorImport.Status.SAVED and job.values_created == 3
    assert IndicatorValue.history.filter(history_user=caseworker).count() == 3
    assert "indikatorer.csv er importeret" in client.get(page(job)).content.decode()
