"""The reference data in the product's own screens: housing organisations, areas, LBF
periods and their focus areas (read by every role; changed by administrators and
caseworkers: ``helhedsplaner.manage_reference_data``). Every permission is asked on the
server, for GET and POST alike; a user without it gets 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..plans.forms import error_links
from . import selectors, services
from .forms import AreaForm, ConfirmForm, FocusAreaForm, HousingOrganisationForm, LbfPeriodForm

MANAGE = "helhedsplaner.manage_reference_data"


def _may_manage(user) -> bool:
    return user.has_perm(MANAGE)


def _require_manage(user) -> None:
    if not _may_manage(user):
        raise PermissionDenied


# What each kind of reference data is called on its pages, and where its list is.
KINDS = {
    "organisation": {
        "plural": gettext_lazy("Housing organisations"),
        "list": "reference:organisation_list",
        "history": "reference:organisation_history",
        "edit": "reference:organisation_edit",
        "remove": "reference:organisation_remove",
    },
    "area": {
        "plural": gettext_lazy("Areas"),
        "list": "reference:area_list",
        "history": "reference:area_history",
        "edit": "reference:area_edit",
        "remove": "reference:area_remove",
    },
    "period": {
        "plural": gettext_lazy("LBF periods"),
        "list": "reference:period_list",
        "history": "reference:period_history",
        "edit": "reference:period_edit",
        "remove": "reference:period_remove",
    },
}


def _form_page(request, *, kind, form, title, submit, cancel_url, obj=None, status=200):
    return render(
        request,
        "helhedsplaner/reference/form_page.html",
        {
            "kind": KINDS[kind],
            "obj": obj,
            "form": form,
            "errors": error_links(form, form_anchor="#reference-form"),
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
        },
        status=status,
    )


def _edit(request, *, kind, form_class, obj, create, update, saved_message, titles):
    """The create/edit form of one kind: parse, call the service, redirect or show errors
    (the user's input kept)."""
    _require_manage(request.user)
    form = form_class(request.POST if request.method == "POST" else None, instance=obj)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if obj is None:
                saved = create(user=request.user, fields=fields)
            else:
                saved = update(request.user, obj, fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, saved_message % {"name": str(saved)})
            return redirect(KINDS[kind]["list"])
    title, submit = titles
    return _form_page(
        request,
        kind=kind,
        form=form,
        obj=obj,
        title=title,
        submit=submit,
        cancel_url=reverse(KINDS[kind]["list"]),
        status=400 if form.is_bound and form.errors else 200,
    )


def _history_page(request, *, kind, obj, history):
    return render(
        request,
        "helhedsplaner/reference/history.html",
        {
            "kind": KINDS[kind],
            "obj": obj,
            "history": history,
            "may_manage": _may_manage(request.user),
        },
    )


def _remove_page(request, *, kind, obj, remove, question, done):
    """A removal asks first (GET), and removes on the confirming POST; a removal the
    service refuses shows its reason on the same page."""
    _require_manage(request.user)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            remove(obj, request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, done % {"name": str(obj)})
            return redirect(KINDS[kind]["list"])
    return render(
        request,
        "helhedsplaner/reference/remove.html",
        {"kind": KINDS[kind], "obj": obj, "question": question, "refusal": refusal},
        status=400 if refusal else 200,
    )


# -- the entry page ------------------------------------------------------------------------------


@permission_required("helhedsplaner.view_area", raise_exception=True)
def index(request):
    return render(
        request,
        "helhedsplaner/reference/index.html",
        {
            "may_manage": _may_manage(request.user),
            "may_manage_policy": request.user.has_perm("helhedsplaner.manage_policy"),
        },
    )


# -- housing organisations ----------------------------------------------------------------------


@permission_required("helhedsplaner.view_housingorganisation", raise_exception=True)
def organisation_list(request):
    return render(
        request,
        "helhedsplaner/reference/organisation_list.html",
        {
            "kind": KINDS["organisation"],
            "organisations": selectors.housing_organisation_list(),
            "may_manage": _may_manage(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request):
    return _edit(
        request,
        kind="organisation",
        form_class=HousingOrganisationForm,
        obj=None,
        create=services.housing_organisation_create,
        update=None,
        saved_message=_("The housing organisation “%(name)s” is registered."),
        titles=(_("New housing organisation"), _("Register the housing organisation")),
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    _require_manage(request.user)
    organisation = selectors.housing_organisation_get(pk=pk)
    return _edit(
        request,
        kind="organisation",
        form_class=HousingOrganisationForm,
        obj=organisation,
        create=None,
        update=lambda user, obj, fields: services.housing_organisation_update(
            organisation=obj, user=user, fields=fields
        ),
        saved_message=_("The changes to “%(name)s” are saved."),
        titles=(
            _("Edit %(name)s") % {"name": organisation.name},
            _("Save the changes"),
        ),
    )


@permission_required("helhedsplaner.view_housingorganisation", raise_exception=True)
def organisation_history(request, pk: int):
    organisation = selectors.housing_organisation_get(pk=pk)
    return _history_page(
        request,
        kind="organisation",
        obj=organisation,
        history=selectors.history_of(organisation),
    )


@require_http_methods(["GET", "POST"])
def organisation_remove(request, pk: int):
    _require_manage(request.user)
    organisation = selectors.housing_organisation_get(pk=pk)
    return _remove_page(
        request,
        kind="organisation",
        obj=organisation,
        remove=lambda obj, user: services.housing_organisation_remove(organisation=obj, user=user),
        question=_("Remove the housing organisation “%(name)s”?") % {"name": organisation.name},
        done=_("“%(name)s” is removed."),
    )


# -- areas ---------------------------------------------------------------------------------------


@permission_required("helhedsplaner.view_area", raise_exception=True)
def area_list(request):
    return render(
        request,
        "helhedsplaner/reference/area_list.html",
        {
            "kind": KINDS["area"],
            "areas": selectors.area_list(),
            "may_manage": _may_manage(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def area_create(request):
    return _edit(
        request,
        kind="area",
        form_class=AreaForm,
        obj=None,
        create=services.area_create,
        update=None,
        saved_message=_("The area “%(name)s” is registered."),
        titles=(_("New area"), _("Register the area")),
    )


@require_http_methods(["GET", "POST"])
def area_edit(request, pk: int):
    _require_manage(request.user)
    area = selectors.area_get(pk=pk)
    return _edit(
        request,
        kind="area",
        form_class=AreaForm,
        obj=area,
        create=None,
        update=lambda user, obj, fields: services.area_update(area=obj, user=user, fields=fields),
        saved_message=_("The changes to “%(name)s” are saved."),
        titles=(_("Edit %(name)s") % {"name": area.name}, _("Save the changes")),
    )


@permission_required("helhedsplaner.view_area", raise_exception=True)
def area_history(request, pk: int):
    area = selectors.area_get(pk=pk)
    return _history_page(request, kind="area", obj=area, history=selectors.history_of(area))


@require_http_methods(["GET", "POST"])
def area_remove(request, pk: int):
    _require_manage(request.user)
    area = selectors.area_get(pk=pk)
    return _remove_page(
        request,
        kind="area",
        obj=area,
        remove=lambda obj, user: services.area_remove(area=obj, user=user),
        question=_("Remove the area “%(name)s”?") % {"name": area.name},
        done=_("“%(name)s” is removed."),
    )


# -- LBF periods and their focus areas -----------------------------------------------------------


@permission_required("helhedsplaner.view_lbfperiod", raise_exception=True)
def period_list(request):
    return render(
        request,
        "helhedsplaner/reference/period_list.html",
        {
            "kind": KINDS["period"],
            "periods": selectors.lbf_period_list(),
            "may_manage": _may_manage(request.user),
        },
    )


def _period_page(request, period, focus_areas, *, form=None, status=200):
    may_manage = _may_manage(request.user)
    form = form or (FocusAreaForm(period=period) if may_manage else None)
    return render(
        request,
        "helhedsplaner/reference/period_detail.html",
        {
            "kind": KINDS["period"],
            "period": period,
            "focus_areas": focus_areas,
            "form": form,
            "errors": error_links(form, form_anchor="#focus-area-form") if form else [],
            "may_manage": may_manage,
        },
        status=status,
    )


@permission_required("helhedsplaner.view_lbfperiod", raise_exception=True)
def period_detail(request, pk: int):
    period, focus_areas = selectors.lbf_period_get_for_page(pk=pk)
    return _period_page(request, period, focus_areas)


@require_http_methods(["GET", "POST"])
def period_create(request):
    return _edit(
        request,
        kind="period",
        form_class=LbfPeriodForm,
        obj=None,
        create=services.lbf_period_create,
        update=None,
        saved_message=_("The LBF period “%(name)s” is registered."),
        titles=(_("New LBF period"), _("Register the LBF period")),
    )


@require_http_methods(["GET", "POST"])
def period_edit(request, pk: int):
    _require_manage(request.user)
    period = selectors.lbf_period_get(pk=pk)
    return _edit(
        request,
        kind="period",
        form_class=LbfPeriodForm,
        obj=period,
        create=None,
        update=lambda user, obj, fields: services.lbf_period_update(
            period=obj, user=user, fields=fields
        ),
        saved_message=_("The changes to “%(name)s” are saved."),
        titles=(_("Edit %(name)s") % {"name": period.name}, _("Save the changes")),
    )


@permission_required("helhedsplaner.view_lbfperiod", raise_exception=True)
def period_history(request, pk: int):
    period = selectors.lbf_period_get(pk=pk)
    return _history_page(
        request, kind="period", obj=period, history=selectors.lbf_period_history(period)
    )


@require_http_methods(["GET", "POST"])
def period_remove(request, pk: int):
    _require_manage(request.user)
    period = selectors.lbf_period_get(pk=pk)
    return _remove_page(
        request,
        kind="period",
        obj=period,
        remove=lambda obj, user: services.lbf_period_remove(period=obj, user=user),
        question=_("Remove the LBF period “%(name)s” and its focus areas?") % {"name": period.name},
        done=_("“%(name)s” is removed."),
    )


@require_http_methods(["POST"])
def period_focus_area_create(request, pk: int):
    _require_manage(request.user)
    period = selectors.lbf_period_get(pk=pk)
    form = FocusAreaForm(request.POST, period=period)
    if form.is_valid():
        try:
            focus_area = services.focus_area_create(
                period=period, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The focus area “%(name)s” is added.") % {"name": focus_area.name}
            )
            return redirect("reference:period_detail", pk=period.pk)
    _period, focus_areas = selectors.lbf_period_get_for_page(pk=pk)
    return _period_page(request, period, focus_areas, form=form, status=400)


@require_http_methods(["GET", "POST"])
def focus_area_edit(request, pk: int):
    _require_manage(request.user)
    focus_area = selectors.focus_area_get(pk=pk)
    form = FocusAreaForm(
        request.POST if request.method == "POST" else None,
        instance=focus_area,
        period=focus_area.period,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_area_rename(
                focus_area=focus_area, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The focus area is renamed."))
            return redirect("reference:period_detail", pk=focus_area.period_id)
    return _form_page(
        request,
        kind="period",
        form=form,
        obj=focus_area.period,
        title=_("Rename the focus area"),
        submit=_("Save the name"),
        cancel_url=reverse("reference:period_detail", args=[focus_area.period_id]),
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def focus_area_remove(request, pk: int):
    _require_manage(request.user)
    focus_area = selectors.focus_area_get(pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_area_remove(focus_area=focus_area, user=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(
                request, _("The focus area “%(name)s” is removed.") % {"name": focus_area.name}
            )
            return redirect("reference:period_detail", pk=focus_area.period_id)
    return render(
        request,
        "helhedsplaner/reference/remove.html",
        {
            "kind": KINDS["period"],
            "obj": focus_area.period,
            "question": _("Remove the focus area “%(name)s”?") % {"name": focus_area.name},
            "refusal": refusal,
            "cancel_url": reverse("reference:period_detail", args=[focus_area.period_id]),
        },
        status=400 if refusal else 200,
    )
