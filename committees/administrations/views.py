"""The administrations' screens under /udvalg/forvaltninger/: read by everybody with a role
(``committees.view_administration``), created, changed and removed by administrators only
(``committees.manage_administrations``), asked on the server for GET and POST alike."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import error_summary
from ..views import _add_errors, _posted, _require
from . import selectors, services
from .forms import AdministrationForm, ConfirmForm

VIEW = "committees.view_administration"
MANAGE = "committees.manage_administrations"


def administration_list(request):
    _require(request.user, VIEW)
    return render(
        request,
        "committees/administration_list.html",
        {
            "administrations": selectors.administration_list(),
            "may_manage": request.user.has_perm(MANAGE),
        },
    )


def administration_history(request, pk: int):
    _require(request.user, VIEW)
    administration = selectors.administration_get(pk=pk)
    return render(
        request,
        "committees/administration_history.html",
        {
            "administration": administration,
            "history": selectors.administration_history(administration),
            "may_manage": request.user.has_perm(MANAGE, administration),
        },
    )


def _form_page(request, *, form, administration):
    return render(
        request,
        "committees/administration_form.html",
        {"form": form, "administration": administration, "errors": error_summary(form)},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def administration_create(request):
    _require(request.user, MANAGE)
    form = AdministrationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            administration = services.administration_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The administration “%(name)s” is registered.") % {"name": administration},
            )
            return redirect("committees:administration_list")
    return _form_page(request, form=form, administration=None)


@require_http_methods(["GET", "POST"])
def administration_edit(request, pk: int):
    _require(request.user, MANAGE)
    administration = selectors.administration_get(pk=pk)
    form = AdministrationForm(_posted(request), instance=selectors.administration_get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            administration = services.administration_update(
                administration=administration, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The changes to “%(name)s” are saved.") % {"name": administration}
            )
            return redirect("committees:administration_history", administration.pk)
    return _form_page(request, form=form, administration=administration)


@require_http_methods(["GET", "POST"])
def administration_remove(request, pk: int):
    """Asks first (GET: the reason it cannot be removed, if there is one), removes on the
    confirming POST; a refusal shows its reason on the same page (400), nothing removed."""
    _require(request.user, MANAGE)
    administration = selectors.administration_get(pk=pk)
    form = ConfirmForm(_posted(request))
    refusal = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.administration_remove(administration=administration, user=request.user)
        except ValidationError as error:
            refusal, status = " ".join(error.messages), 400
        else:
            messages.success(request, _("“%(name)s” is removed.") % {"name": administration})
            return redirect("committees:administration_list")
    else:
        refusal = services.administration_removal_refusal(administration)
    return render(
        request,
        "committees/administration_remove.html",
        {"administration": administration, "refusal": refusal},
        status=status,
    )
