"""Plans and estates from a spreadsheet: upload → columns → preview → import.

Only users who may register plans (``helhedsplaner.create_plan``) import; each row is
checked against the user's administrations (helhedsplaner.plans.imports). The file is
kept in the default storage between the steps (its name in the session) and deleted
after the import.
"""

import uuid
from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ..imports.reading import open_sheet
from ..rules import CREATE_PLAN
from . import imports
from .forms import error_links
from .import_forms import PlanImportMappingForm, PlanImportUploadForm

SESSION_KEY = "plan_import"
STORAGE_FOLDER = "imports/plans"


def _may_import(*methods):
    """Only for users who may register plans, and only with ``methods``."""

    def decorate(view):
        @require_http_methods(list(methods))
        @permission_required(CREATE_PLAN, raise_exception=True)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm("helhedsplaner.create_plan"):
                raise PermissionDenied  # a caseworker without an administration leads no plan
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@contextmanager
def _sheet(name: str):
    with default_storage.open(name, "rb") as file, open_sheet(file, name) as sheet:
        yield sheet


def _stored(request) -> dict | None:
    """The import in progress in this session, if its file is still there."""
    stored = request.session.get(SESSION_KEY)
    if not stored or not default_storage.exists(stored.get("file", "")):
        return None
    return stored


def _forget(request) -> None:
    stored = request.session.pop(SESSION_KEY, None)
    if stored and stored.get("file", "").startswith(STORAGE_FOLDER + "/"):
        default_storage.delete(stored["file"])


def _upload_page(request, form, errors=None, status=200):
    return render(
        request,
        "helhedsplaner/plans/import_upload.html",
        {
            "form": form,
            "errors": errors
            if errors is not None
            else (error_links(form) if form.is_bound else []),
            "columns": imports.COLUMNS,
        },
        status=status,
    )


@_may_import("GET", "POST")
def plan_import(request):
    """Step 1: the file. It is kept until the import (or the next file); nothing is saved."""
    if request.method != "POST":
        return _upload_page(request, PlanImportUploadForm())
    form = PlanImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    _forget(request)
    upload = form.cleaned_data["file"]
    name = default_storage.save(f"{STORAGE_FOLDER}/{uuid.uuid4()}.{form.extension}", upload)
    try:
        with _sheet(name) as sheet:
            header = list(sheet.header)
    except ValidationError as error:
        default_storage.delete(name)
        for message in error.messages:
            form.add_error("file", message)
        return _upload_page(request, form, status=400)
    if not any(cell.strip() for cell in header):
        default_storage.delete(name)
        form.add_error("file", _("The file has no header row with the columns' names."))
        return _upload_page(request, form, status=400)
    request.session[SESSION_KEY] = {
        "file": name,
        "filename": upload.name[:200],
        "header": header,
        "mapping": None,
    }
    return redirect("helhedsplaner:plan_import_mapping")


@_may_import("GET", "POST")
def plan_import_mapping(request):
    """Step 2: which column holds what, pre-filled from the last file with the same header."""
    stored = _stored(request)
    if stored is None:
        return redirect("helhedsplaner:plan_import")
    header = stored["header"]
    remembered = imports.remembered_mapping(header) is not None
    if request.method == "POST":
        form = PlanImportMappingForm(request.POST, header=header)
        if form.is_valid():
            stored["mapping"] = form.mapping()
            request.session[SESSION_KEY] = stored
            return redirect("helhedsplaner:plan_import_preview")
    else:
        chosen = stored["mapping"] or imports.initial_mapping(header)
        form = PlanImportMappingForm(header=header, initial=form_initial(chosen))
    return render(
        request,
        "helhedsplaner/plans/import_mapping.html",
        {
            "form": form,
            "filename": stored["filename"],
            "remembered": remembered,
            "errors": error_links(form) if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
    )


def form_initial(mapping: dict) -> dict:
    return PlanImportMappingForm.initial_for(mapping)


def _preview(request, stored):
    with _sheet(stored["file"]) as sheet:
        return imports.plan_import_preview(
            rows=sheet.rows(),
            mapping=stored["mapping"],
            decimal_comma=sheet.decimal_comma,
            user=request.user,
        )


def _preview_page(request, stored, preview, *, refused_at_commit=False, status=200):
    errors = [
        {
            "href": "#refused",
            "text": _("Line %(line)s: %(reason)s") % {"line": r.line, "reason": r.reason},
        }
        for r in preview.refusals
    ]
    return render(
        request,
        "helhedsplaner/plans/import_preview.html",
        {
            "preview": preview,
            "filename": stored["filename"],
            "errors": errors,
            "error_title": ngettext(
                "%(count)s row cannot be imported",
                "%(count)s rows cannot be imported",
                len(errors),
            )
            % {"count": len(errors)},
            "refused_at_commit": refused_at_commit,
        },
        status=status,
    )


def _read_error_page(request, error):
    form = PlanImportUploadForm()
    errors = [{"href": "#id_file", "text": message} for message in error.messages]
    return _upload_page(request, form, errors=errors, status=400)


@_may_import("GET")
def plan_import_preview(request):
    """Step 3: what the import would do, plan by plan, and every row it refuses. Nothing
    is saved."""
    stored = _stored(request)
    if stored is None:
        return redirect("helhedsplaner:plan_import")
    if not stored.get("mapping"):
        return redirect("helhedsplaner:plan_import_mapping")
    try:
        preview = _preview(request, stored)
    except ValidationError as error:
        return _read_error_page(request, error)
    return _preview_page(request, stored, preview)


@_may_import("POST")
def plan_import_commit(request):
    """Step 4: the import, all of it or nothing. The file is read again, so what is saved is
    what the file says now against the plans as they are now."""
    stored = _stored(request)
    if stored is None or not stored.get("mapping"):
        messages.error(request, _("The import has expired: choose the file again."))
        return redirect("helhedsplaner:plan_import")
    try:
        preview = _preview(request, stored)
    except ValidationError as error:
        return _read_error_page(request, error)
    try:
        saved = imports.plan_import_commit(preview=preview, user=request.user)
    except imports.ImportRefused as refused:
        preview.refusals = sorted(refused.refusals, key=lambda r: r.line)
        return _preview_page(request, stored, preview, refused_at_commit=True, status=400)
    imports.mapping_remember(header=stored["header"], mapping=stored["mapping"], user=request.user)
    _forget(request)
    counts = preview.counts
    messages.success(
        request,
        _("The import is saved: %(new)s new plans, %(changed)s changed, %(unchanged)s unchanged.")
        % counts
        if saved
        else _("The import changed nothing: every plan in the file is as saved."),
    )
    return redirect("helhedsplaner:plan_list")
