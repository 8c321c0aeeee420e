"""Indicator values: one at a time, or a whole CSV file with a preview before it is saved."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..plans.forms import error_links
from . import selectors, services
from .forms import IndicatorImportForm, IndicatorValueForm

EDIT_INDICATORS = ("helhedsplaner.add_indicatorvalue", "helhedsplaner.change_indicatorvalue")
IMPORT_SESSION_KEY = "helhedsplaner_indicator_import"


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
    """Step 1: upload; the file is read and checked, and a preview shown. Nothing is saved."""
    form = (
        IndicatorImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else IndicatorImportForm()
    )
    if request.method == "POST" and form.is_valid():
        parsed = selectors.indicator_import_preview(text=form.text)
        if not parsed.errors:
            request.session[IMPORT_SESSION_KEY] = {
                "text": form.text,
                "filename": form.cleaned_data["file"].name,
            }
        return render(
            request,
            "helhedsplaner/indicators/import_preview.html",
            {"parsed": parsed, "filename": form.cleaned_data["file"].name},
            status=200 if not parsed.errors else 400,
        )
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


@require_POST
@permission_required(EDIT_INDICATORS, raise_exception=True)
def indicator_import_save(request):
    """Step 2: save the previewed file, all rows or none."""
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending:
        messages.error(request, _("There is no previewed file to save. Upload the file again."))
        return redirect("helhedsplaner:indicator_import")
    try:
        result = services.indicator_values_import(text=pending["text"], user=request.user)
    except ValidationError as error:
        request.session.pop(IMPORT_SESSION_KEY, None)
        parsed = selectors.indicator_import_preview(text=pending["text"])
        messages.error(request, _("Nothing was saved: the data changed since the preview."))
        return render(
            request,
            "helhedsplaner/indicators/import_preview.html",
            {"parsed": parsed, "filename": pending["filename"], "save_errors": error.messages},
            status=400,
        )
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(
        request,
        _(
            "%(filename)s is imported: %(created)s new values, %(updated)s updated, "
            "%(unchanged)s unchanged."
        )
        % {
            "filename": pending["filename"],
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return redirect("helhedsplaner:indicator_register")
