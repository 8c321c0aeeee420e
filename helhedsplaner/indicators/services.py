"""Writes for indicator values: one value from the form, or a whole checked file at once.

Every function is keyword-only and transactional and stamps the history rows with the
user who made the change.
"""

import logging
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import pagecache

from ..imports import reading, symbols
from ..models import Area, ImportMapping, Indicator, IndicatorImport, IndicatorValue
from ..reference import services as reference_services
from . import importer, tasks

logger = logging.getLogger(__name__)


@transaction.atomic
def indicator_value_set(*, area, indicator, year: int, value: Decimal, user) -> tuple:
    """Register one value for an area, indicator and year: create it or update it.

    Returns ``(value_object, created, changed)``.
    """
    existing = (
        IndicatorValue.objects.select_for_update()
        .filter(area=area, indicator=indicator, year=year)
        .first()
    )
    if existing is None:
        obj = IndicatorValue(area=area, indicator=indicator, year=year, value=value)
        obj._history_user = user
        obj.full_clean()
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            # Somebody registered the same value a moment ago: update theirs instead.
            existing = IndicatorValue.objects.select_for_update().get(
                area=area, indicator=indicator, year=year
            )
        else:
            return obj, True, True
    if existing.value == value and not existing.is_demo:
        return existing, False, False
    existing.value = value
    existing.is_demo = False
    existing._history_user = user
    existing.full_clean()
    existing.save(update_fields=["value", "is_demo", "updated_at"])
    return existing, False, True


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int


def indicator_values_import(*, text: str, user, progress=None) -> ImportResult:
    """Save every row of an indicator CSV file, or nothing if any row is wrong.

    The file is read and checked first (``progress(done, total)`` as the parser reads
    it), then every value written in one transaction.
    """
    parsed = importer.parse(text, progress=progress)
    if parsed.errors:
        raise ValidationError([error.message for error in parsed.errors], code="csv_rows")
    with transaction.atomic():
        return _values_write(parsed=parsed, user=user)


def _values_write(*, parsed: importer.Parsed, user) -> ImportResult:
    """Write the rows of a file without errors; in the caller's transaction. In chunks of
    :data:`WRITE_CHUNK` rows, so a large file's values and history rows are never all in
    memory at once (bench/import_memory.py)."""
    now = timezone.now()
    created = updated = unchanged = 0
    for start in range(0, len(parsed.rows), WRITE_CHUNK):
        result = _chunk_write(parsed.rows[start : start + WRITE_CHUNK], user=user, now=now)
        created, updated = created + result.created, updated + result.updated
        unchanged += result.unchanged
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def _chunk_write(rows, *, user, now) -> ImportResult:
    existing = {
        (v.area_id, v.indicator_id, v.year): v
        for v in IndicatorValue.objects.select_for_update().filter(
            area__in={row.area.pk for row in rows},
            indicator__in={row.indicator.pk for row in rows},
            year__in={row.year for row in rows},
        )
    }
    new, changed, unchanged = [], [], 0
    for row in rows:
        obj = existing.get((row.area.pk, row.indicator.pk, row.year))
        if obj is None:
            obj = IndicatorValue(
                area=row.area,
                indicator=row.indicator,
                year=row.year,
                value=row.value,
                symbol=row.symbol,
            )
            new.append(obj)
        elif (obj.value, obj.symbol) != (row.value, row.symbol) or obj.is_demo:
            obj.value, obj.symbol, obj.is_demo, obj.updated_at = (
                row.value,
                row.symbol,
                False,
                now,
            )
            changed.append(obj)
        else:
            unchanged += 1
            continue
        # The parser has checked references, years and uniqueness; check the values here.
        obj.full_clean(
            exclude=["area", "indicator"], validate_unique=False, validate_constraints=False
        )
    # Written in bulk, past the signals: say which plans' pages show these values.
    pagecache.changed(*new, *changed, model=IndicatorValue)
    if new:
        bulk_create_with_history(
            new, IndicatorValue, batch_size=WRITE_BATCH, default_user=user, default_date=now
        )
    if changed:
        bulk_update_with_history(
            changed,
            IndicatorValue,
            ["value", "symbol", "is_demo", "updated_at"],
            batch_size=WRITE_BATCH,
            default_user=user,
            default_date=now,
        )
    return ImportResult(created=len(new), updated=len(changed), unchanged=unchanged)


# Rows per INSERT/UPDATE statement when a large file is saved, and rows read, compared and
# written at a time.
WRITE_BATCH = 2000
WRITE_CHUNK = 10_000


# -- a file imported in the background ----------------------------------------------------------
#
# Upload → the file is stored and checked by a worker (``tasks.indicator_import_check``) →
# the uploader sees the preview and confirms → a worker saves every value or none
# (``tasks.indicator_import_save``). The steps below are what the tasks run; each starts
# only from the status it expects, so a job asked for twice (a worker that seemed to have
# died) does its work once.

Status = IndicatorImport.Status
# A job that has not reported for this long is taken to have died with its worker.
STALE_AFTER = timedelta(minutes=10)
# The share of the saving bar for reading the file again; the writes are the rest.
SAVE_READ_SHARE = 90


def indicator_import_start(*, upload, user) -> IndicatorImport:
    """Store an uploaded file (checked for size and encoding by the form) and ask for
    it to be checked. Nothing is written to the indicator values."""
    upload.seek(0)
    job = IndicatorImport(
        uploaded_by=user,
        filename=upload.name,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        status=Status.WAITING,
        requested_at=timezone.now(),
    )
    suffix = ".xlsx" if upload.name.lower().endswith((".xlsx", ".xlsm")) else ".csv"
    job.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    job.full_clean()
    job.save()
    # The immediate backend (tests) checks it here and now; the database backend leaves
    # it for a worker. The row is committed first (views run in autocommit), so a worker
    # never sees the job without its row.
    tasks.indicator_import_check.enqueue(job.pk)
    return job


def indicator_import_confirm(*, job: IndicatorImport, user) -> bool:
    """The uploader has seen the preview: save it in the background. False when there is
    nothing to confirm (not checked, has errors, or confirmed already)."""
    with transaction.atomic():
        job = IndicatorImport.objects.select_for_update().defer("preview").get(pk=job.pk)
        if job.status != Status.CHECKED or job.rows_refused or not job.rows_total:
            return False
        now = timezone.now()
        job.status, job.progress, job.rows_done, job.error = Status.SAVING, 0, 0, ""
        job.confirmed_at = job.requested_at = now
        job.confirmed_by = user
        job.save(
            update_fields=[
                "status",
                "progress",
                "rows_done",
                "error",
                "confirmed_at",
                "confirmed_by",
                "requested_at",
            ]
        )
    tasks.indicator_import_save.enqueue(job.pk)
    return True


def indicator_import_retry(*, job: IndicatorImport) -> bool:
    """Run the step that failed again: the check, or the save the uploader confirmed.
    False when the job has not failed."""
    with transaction.atomic():
        job = IndicatorImport.objects.select_for_update().defer("preview").get(pk=job.pk)
        if job.status != Status.FAILED:
            return False
        _ask_again(job)
    return True


def indicator_import_resume_if_stale(*, job: IndicatorImport) -> IndicatorImport:
    """A job under way that has been quiet for :data:`STALE_AFTER` died with its worker
    (a save rolled back with it): ask for it again. The job as it is now."""
    now = timezone.now()
    if not job.is_under_way or (job.requested_at and now - job.requested_at <= STALE_AFTER):
        return job
    with transaction.atomic():
        locked = IndicatorImport.objects.select_for_update().defer("preview").get(pk=job.pk)
        quiet = locked.requested_at is None or now - locked.requested_at > STALE_AFTER
        if locked.is_under_way and quiet:
            _ask_again(locked)
    return IndicatorImport.objects.defer("preview").get(pk=job.pk)


def _ask_again(job: IndicatorImport) -> None:
    """Queue the step the job is at (in the caller's transaction, with the row locked)."""
    saving = job.confirmed_at is not None
    job.status = Status.SAVING if saving else Status.WAITING
    job.progress, job.rows_done, job.error = 0, 0, ""
    job.requested_at, job.finished_at = timezone.now(), None
    job.save(
        update_fields=["status", "progress", "rows_done", "error", "requested_at", "finished_at"]
    )
    step = tasks.indicator_import_save if saving else tasks.indicator_import_check
    # Enqueued in this transaction: with the database backend the job is committed with
    # the row that asks for it.
    step.enqueue(job.pk)


def _report(pk: int, expected: str, **values) -> int:
    """Update the job if it is still at the step ``expected`` (autocommit: the page sees it)."""
    return IndicatorImport.objects.filter(pk=pk, status=expected).update(**values)


@contextmanager
def _sheet(job: IndicatorImport):
    """The stored file as a stream of rows (helhedsplaner.imports.reading) and its row
    count, open while the step reads it."""
    try:
        stored = job.file.open("rb")
    except FileNotFoundError as error:
        raise _Refused(_("The uploaded file is no longer stored. Upload it again.")) from error
    try:
        total = importer.sheet_row_count(stored, job.filename)
        try:
            sheet = reading.open_sheet(stored, job.filename)
        except ValidationError as error:
            raise _Refused(" ".join(error.messages)) from error
        yield sheet, total
    finally:
        stored.close()


def _parse(job: IndicatorImport, progress) -> importer.Parsed:
    with _sheet(job) as (sheet, total):
        mapping = mapping_for(sheet.header)
        parsed = importer.parse_sheet(
            sheet, mapping=mapping.mapping if mapping else None, progress=progress, total=total
        )
    parsed.total = total
    parsed.signature = source_signature(sheet.header)
    parsed.header = list(sheet.header)
    return parsed


def source_signature(header: list[str]) -> str:
    """A file's source, by its header: the next export from the same place has the same."""
    return ";".join(importer.key(cell) for cell in header)[:200]


def mapping_for(header: list[str]) -> ImportMapping | None:
    return ImportMapping.objects.filter(kind="indicators", source=source_signature(header)).first()


def _unique(model, field: str, wanted: str, length: int) -> str:
    wanted = wanted[:length] or "x"
    candidate, number = wanted, 1
    while model.objects.filter(**{field: candidate}).exists():
        number += 1
        suffix = f"-{number}"
        candidate = wanted[: length - len(suffix)] + suffix
    return candidate


def _created_area(name: str, user) -> int:
    """A new area from a name in a file ("KK-031 Ørestad" gives its code, too)."""
    code, label = reading.split_area_cell(name)
    area = reference_services.area_create(
        user=user,
        fields={
            "name": _unique(Area, "name", label.strip(), 200),
            "code": _unique(Area, "code", (code or slugify(label)).upper(), 20),
        },
    )
    return area.pk


def _created_indicator(name: str, user) -> int:
    """A new indicator from a column or cell in a file (unit "%" until someone says else)."""
    indicator = reference_services.indicator_create(
        user=user,
        fields={
            "name": _unique(Indicator, "name", name.strip(), 200),
            "code": _unique(Indicator, "code", slugify(name.replace("_", "-")), 50),
        },
    )
    return indicator.pk


def indicator_import_columns(*, job: IndicatorImport, user, columns: dict) -> None:
    """Remember which column holds what (``{header cell: role}``, importer.COLUMN_ROLES)
    for this file's source, then check the file again. Nothing is saved to the values."""
    signature = (job.preview or {}).get("signature")
    if not signature:
        raise ValidationError(_("Check the file first."))
    with transaction.atomic():
        mapping, _created = ImportMapping.objects.select_for_update().get_or_create(
            kind="indicators", source=signature
        )
        stored = mapping.mapping or {}
        stored["columns"] = {
            importer.key(cell): role
            for cell, role in columns.items()
            if role in importer.COLUMN_ROLES
        }
        mapping.mapping, mapping.updated_by = stored, user
        mapping.save()
        locked = IndicatorImport.objects.select_for_update().defer("preview").get(pk=job.pk)
        if locked.status == Status.CHECKED:
            _ask_again(locked)


def indicator_import_map(*, job: IndicatorImport, user, areas: dict, indicators: dict) -> None:
    """Remember names in the file for existing areas and indicators (``{name: pk}``) for
    this file's source, then check the file again with them. Nothing is saved to the
    values."""
    signature = (job.preview or {}).get("signature")
    if not signature:
        raise ValidationError(_("Check the file first."))
    if importer.CREATE in {*areas.values(), *indicators.values()} and not user.has_perm(
        "helhedsplaner.manage_reference_data"
    ):
        raise ValidationError(_("Only those who maintain the areas and indicators create them."))
    with transaction.atomic():
        areas = {
            name: _created_area(name, user) if pk == importer.CREATE else pk
            for name, pk in areas.items()
        }
        indicators = {
            name: _created_indicator(name, user) if pk == importer.CREATE else pk
            for name, pk in indicators.items()
        }
        mapping, _created = ImportMapping.objects.select_for_update().get_or_create(
            kind="indicators", source=signature
        )
        stored = mapping.mapping or {}
        stored.setdefault("areas", {}).update({name: pk for name, pk in areas.items() if pk})
        stored.setdefault("indicators", {}).update(
            {name: pk for name, pk in indicators.items() if pk}
        )
        mapping.mapping, mapping.updated_by = stored, user
        mapping.save()
        locked = IndicatorImport.objects.select_for_update().defer("preview").get(pk=job.pk)
        if locked.status != Status.CHECKED:
            return
        locked.rows_refused = 0
        _ask_again(locked)


class _Refused(Exception):
    """A step cannot go on, for a reason the uploader is told (in their language)."""


def _preview_of(parsed: importer.Parsed) -> dict:
    """What the preview page shows, as JSON (see ``IndicatorImport``): the counts per
    indicator over every row, the first rows, how the source's symbols were read, the
    names to map, and the wrong lines (the first :data:`importer.ERRORS_LISTED`)."""
    indicators: dict[str, dict] = {}
    for row in parsed.rows:
        counts = indicators.setdefault(
            row.indicator.name,
            {"name": row.indicator.name, "new": 0, "changed": 0, "unchanged": 0},
        )
        effect = "new" if row.is_new else "changed" if row.is_change else "unchanged"
        counts[effect] += 1
    source = symbols.SOURCES.get(parsed.source, symbols.OWN)
    return {
        "total": len(parsed.rows),
        "source": str(source.label),
        "signature": getattr(parsed, "signature", ""),
        "rows": [
            [
                row.line,
                row.area.name,
                row.indicator.name,
                row.year,
                None if row.current is None else str(row.current),
                None if row.value is None else str(row.value),
                row.symbol,
                row.current_symbol,
                row.exists,
            ]
            for row in parsed.rows[: importer.PREVIEW_ROWS]
        ],
        "indicators": sorted(indicators.values(), key=lambda counts: counts["name"]),
        "symbols": [
            {
                "symbol": symbol.text,
                "meaning": str(symbol.meaning),
                "stored": None if symbol.value is None else str(symbol.value),
                "count": parsed.symbols.get(symbol.text, 0),
            }
            for symbol in source.symbols
        ],
        "empty": parsed.empty,
        "unknown_areas": sorted(parsed.unknown_areas),
        "unknown_indicators": sorted(parsed.unknown_indicators),
        "errors": [
            {"line": error.line, "message": error.message}
            for error in parsed.errors[: importer.ERRORS_LISTED]
        ],
        "errors_total": len(parsed.errors),
        "columns_needed": parsed.columns_needed,
        "header": getattr(parsed, "header", []),
    }


def indicator_import_check_run(*, pk: int) -> None:
    """The check step: read the stored file, keep what the preview shows. No values are
    written."""
    job = IndicatorImport.objects.defer("preview").filter(pk=pk).first()
    if job is None or job.status not in (Status.WAITING, Status.CHECKING):
        return  # checked already, or gone
    started = IndicatorImport.objects.filter(
        pk=pk, status__in=(Status.WAITING, Status.CHECKING)
    ).update(
        status=Status.CHECKING,
        attempts=job.attempts + 1,
        progress=0,
        rows_done=0,
        requested_at=timezone.now(),
    )
    if not started:
        return
    try:
        with translation.override(job.language):

            def progress(done: int, total: int) -> None:
                # Also the sign of life that keeps it from being asked for again.
                _report(
                    pk,
                    Status.CHECKING,
                    rows_total=total,
                    rows_done=min(done, total),
                    progress=min(99, 100 * done // max(total, 1)),
                    requested_at=timezone.now(),
                )

            parsed = _parse(job, progress)
            total = parsed.total
            preview = _preview_of(parsed)
    except _Refused as refused:
        _fail(pk, Status.CHECKING, str(refused))
        return
    except Exception as error:
        logger.exception("Checking indicator import %s failed", pk)
        with translation.override(job.language):
            message = _("The file could not be checked (%(error)s).") % {
                "error": error.__class__.__name__
            }
        _fail(pk, Status.CHECKING, message)
        raise
    _report(
        pk,
        Status.CHECKING,
        status=Status.CHECKED,
        preview=preview,
        rows_total=total,
        rows_done=total,
        rows_refused=len(parsed.errors) or len(parsed.unknown_indicators),
        progress=100,
        error="",
        finished_at=timezone.now(),
    )


def indicator_import_save_run(*, pk: int) -> None:
    """The save step, once the uploader has confirmed: read the file again and write
    every value, or none. The job is marked saved in the same transaction as the values,
    so a worker that dies half-way leaves neither. If the file no longer checks (an area
    removed since the preview), nothing is saved and the preview shows why."""
    job = (
        IndicatorImport.objects.defer("preview")
        .select_related("uploaded_by", "confirmed_by")
        .filter(pk=pk, status=Status.SAVING)
        .first()
    )
    if job is None:
        return  # saved already (asked for twice), or not confirmed
    _report(
        pk,
        Status.SAVING,
        attempts=job.attempts + 1,
        progress=0,
        rows_done=0,
        requested_at=timezone.now(),
    )
    try:
        with translation.override(job.language):

            def progress(done: int, total: int) -> None:
                _report(
                    pk,
                    Status.SAVING,
                    rows_total=total,
                    rows_done=min(done, total),
                    progress=min(SAVE_READ_SHARE, SAVE_READ_SHARE * done // max(total, 1)),
                    requested_at=timezone.now(),
                )

            parsed = _parse(job, progress)
            total = parsed.total
            if parsed.errors or parsed.unknown_indicators:
                _report(
                    pk,
                    Status.SAVING,
                    status=Status.CHECKED,
                    preview=_preview_of(parsed),
                    rows_total=total,
                    rows_done=total,
                    rows_refused=len(parsed.errors) or len(parsed.unknown_indicators),
                    progress=100,
                    confirmed_at=None,
                    error=_("Nothing was saved: the data changed since the preview."),
                    finished_at=timezone.now(),
                )
                return
            _report(
                pk,
                Status.SAVING,
                rows_total=total,
                rows_done=total,
                progress=SAVE_READ_SHARE,
                requested_at=timezone.now(),
            )
            with transaction.atomic():
                locked = IndicatorImport.objects.select_for_update().defer("preview").get(pk=pk)
                if locked.status != Status.SAVING:
                    return  # saved by another worker meanwhile
                result = _values_write(parsed=parsed, user=job.confirmed_by or job.uploaded_by)
                _report(
                    pk,
                    Status.SAVING,
                    status=Status.SAVED,
                    values_created=result.created,
                    values_updated=result.updated,
                    values_unchanged=result.unchanged,
                    progress=100,
                    error="",
                    finished_at=timezone.now(),
                )
    except _Refused as refused:
        _fail(pk, Status.SAVING, str(refused))
        return
    except Exception as error:
        logger.exception("Saving indicator import %s failed", pk)
        with translation.override(job.language):
            message = _("The values could not be saved (%(error)s). Nothing was saved.") % {
                "error": error.__class__.__name__
            }
        _fail(pk, Status.SAVING, message)
        raise


def _fail(pk: int, expected: str, message: str) -> None:
    _report(pk, expected, status=Status.FAILED, error=message, finished_at=timezone.now())
