"""Indicator values: one at a time, or a whole CSV file with a preview before it is saved.

A file is checked and saved in the background (``tasks``); its page,
``/planer/indikatorer/import/<pk>/``, is the uploader's own (and administrators').
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..models import IndicatorImport
from ..plans.forms import error_links
from ..rules import EDIT_INDICATORS
from . import selectors, services
from .forms import ColumnsForm, IndicatorImportForm, IndicatorValueForm, MappingForm

# How often the page of an import under way reloads itself.
REFRESH_SECONDS = 3


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_INDICATORS, raise_exception=True)
def indicator_value_register(request):
    form = IndicatorValueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        obj, created, changed = services.indicator_value_set(user=request.user, **form.cleaned_data)
        values = {
            "indicator": obj.indicator.name,
            "area": obj.area.name,
            "year": obj.year,
            "value": f"{obj.value:f}".replace(".", ","),
        }
        if created:
            message = _("Saved: %(indicator)s, %(area)s %(year)s = %(value)s.")
        elif changed:
            message = _("Updated: %(indicator)s, %(area)s %(year)s is now %(value)s.")
        else:
            message = _("Unchanged: %(indicator)s, %(area)s %(year)s was already %(value)s.")
        messages.success(request, message % values)
        return redirect("helhedsplaner:indicator_register")
    return render(
        request,
        "helhedsplaner/indicators/value_form.html",
        {
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "recent": selectors.indicator_values_recent(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_INDICATORS, raise_exception=True)
def indicator_import(request):
    """Step 1: upload. The file is stored and checked in the background; its page shows
    how far the check is, then the preview. Nothing is saved."""
    form = (
        IndicatorImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else IndicatorImportForm()
    )
    if request.method == "POST" and form.is_valid():
        job = services.indicator_import_start(upload=form.cleaned_data["file"], user=request.user)
        return redirect("helhedsplaner:indicator_import_job", pk=job.pk)
    return render(
        request,
        "helhedsplaner/indicators/import.html",
        {
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "indicators": selectors.indicators_all(),
        },
        status=400 if form.is_bound else 200,
    )


def _job_for(request, pk: int) -> IndicatorImport:
    """The import, if it is the user's own (or the user an administrator); else 404."""
    job = selectors.indicator_import_get(pk=pk)
    if job is None or not request.user.has_perm("helhedsplaner.follow_indicator_import", job):
        raise Http404  # another user's import does not exist for this user
    return job


@require_http_methods(["GET", "HEAD"])
@permission_required(EDIT_INDICATORS, raise_exception=True)
def indicator_import_job(request, pk: int):
    """Step 2: the import's page. While the file is checked or saved it says how far the
    job is and reloads itself; then the preview with the button that saves it, or what
    was saved, or why the job failed with a button that runs it again."""
    job = services.indicator_import_resume_if_stale(job=_job_for(request, pk))
    if job.status == IndicatorImport.Status.CHECKED:
        return _preview_page(request, job)
    if job.status == IndicatorImport.Status.SAVED:
        return render(request, "helhedsplaner/indicators/import_saved.html", {"job": job})
    failed = job.status == IndicatorImport.Status.FAILED
    return render(
        request,
        "helhedsplaner/indicators/import_pending.html",
        {"job": job, "failed": failed, "refresh_seconds": REFRESH_SECONDS},
        status=200 if failed else 202,
    )


def _may_create(user) -> bool:
    """Names may be created as new areas and indicators by those who maintain them."""
    return user.has_perm("helhedsplaner.manage_reference_data")


def _preview_page(request, job, mapping_form=None, columns_form=None):
    preview = selectors.indicator_import_preview(job=job)
    if mapping_form is None and preview.needs_mapping:
        mapping_form = MappingForm(
            unknown_areas=preview.unknown_areas,
            unknown_indicators=preview.unknown_indicators,
            may_create=_may_create(request.user),
        )
    if columns_form is None and preview.columns_needed and preview.header:
        columns_form = ColumnsForm(header=preview.header)
    return render(
        request,
        "helhedsplaner/indicators/import_preview.html",
        {
            "job": job,
            "preview": preview,
            "columns_form": columns_form,
            "columns_errors": error_links(columns_form)
            if columns_form is not None and columns_form.is_bound
            else [],
            "mapping_form": mapping_form,
            "mapping_errors": error_links(mapping_form)
            if mapping_form is not None and mapping_form.is_bound
            else [],
        },
    )


@require_POST
@permission_required(EDIT_INDICATORS, raise_exception=True)
def indicator_import_columns(request, pk: int):
    """The mapping step for a header the app does not read: which column holds what,
    remembered for the next file from the same source; the file is checked again."""
    job = _job_for(request, pk)
    if job.status != IndicatorImport.Status.CHECKED:
        return redirect("helhedsplaner:indicator_import_job", pk=job.pk)
    preview = selectors.indicator_import_preview(job=job)
    form = ColumnsForm(request.POST, header=preview.header)
    if not form.is_valid():
        return _preview_page(request, job, columns_form=form)
    services.indicator_import_columns(job=job, user=request.user, columns=form.roles())
    messages.success(request, _("The columns are mapped; the file is checked again with them."))
    return redirect("helhedsplaner:indicator_import_job", pk=job.pk)


@require_POST
@permission_required(EDIT_INDICATORS, raise_exception=True)
def indicator_import_map(request, pk: int):
    """The mapping step: names in the file the app does not know, mapped once to existing
    areas and indicators (or left out) for this source; the file is checked again."""
    job = _job_for(request, pk)
    if job.status != IndicatorImport.Status.CHECKED:
        return redirect("helhedsplaner:indicator_import_job", pk=job.pk)
    preview = selectors.indicator_import_preview(job=job)
    form = MappingForm(
        request.POST,
        unknown_areas=preview.unknown_areas,
        unknown_indicators=preview.unknown_indicators,
        may_create=_may_create(request.user),
    )
    if not form.is_valid():
        return _preview_page(request, job, mapping_form=form)
    areas, indicators = form.mapped()
    try:
        services.indicator_import_map(
            job=job, user=request.user, areas=areas, indicators=indicators
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _preview_page(request, job, mapping_form=form)
    messages.success(request, _("The names are mapped; the file is checked again with them."))
    return redirect("helhedsplaner:indicator_import_job", pk=job.pk)


@require_POST
@permission_required(EDIT_INDICATORS, raise_exception=True)
def indicator_import_confirm(request, pk: int):
    """Step 3: save the previewed file in the background, all rows or none."""
    job = _job_for(request, pk)
    # Not checked, with errors, or confirmed already: the page says which.
    services.indicator_import_confirm(job=job, user=request.user)
    return redirect("helhedsplaner:indicator_import_job", pk=job.pk)


@require_POST
@permission_required(EDIT_INDICATORS, raise_exception=True)
def indicator_import_retry(request, pk: int):
    """Run the step of a failed import again (the check, or the confirmed save)."""
    job = _job_for(request, pk)
    services.indicator_import_retry(job=job)  # nothing to do unless it failed
    return redirect("helhedsplaner:indicator_import_job", pk=job.pk)
