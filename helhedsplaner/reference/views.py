"""The reference data in the product's own screens: housing organisations, areas, LBF
periods and their focus areas, indicators (read by every role; changed by administrators and
caseworkers: ``helhedsplaner.manage_reference_data``). Every permission is asked on the
server, for GET and POST alike; a user without it gets 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..plans.forms import error_links
from . import selectors, services
from .forms import ConfirmForm, FocusAreaForm
from .kinds import PERIOD, Kind

MANAGE = "helhedsplaner.manage_reference_data"


def _may_manage(user) -> bool:
    return user.has_perm(MANAGE)


def _require_manage(user) -> None:
    if not _may_manage(user):
        raise PermissionDenied


def _form_page(request, *, kind, form, title, submit, cancel_url, obj=None, status=200):
    return render(
        request,
        "helhedsplaner/reference/form_page.html",
        {
            "kind": kind,
            "obj": obj,
            "form": form,
            "errors": error_links(form, form_anchor="#reference-form"),
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
        },
        status=status,
    )


def _require_view(user, kind: Kind) -> None:
    if not user.has_perm(kind.view_perm):
        raise PermissionDenied


# -- every kind: list, create, edit, history, remove (the routes pass ``kind``, urls.py) ----------


def kind_list(request, *, kind: Kind):
    _require_view(request.user, kind)
    return render(
        request,
        kind.list_template,
        {
            "kind": kind,
            "objects": kind.list_items(),
            "may_manage": _may_manage(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def kind_create(request, *, kind: Kind):
    return _edit(request, kind=kind, obj=None)


@require_http_methods(["GET", "POST"])
def kind_edit(request, pk: int, *, kind: Kind):
    _require_manage(request.user)
    return _edit(request, kind=kind, obj=kind.get(pk=pk))


def _edit(request, *, kind: Kind, obj):
    """The create/edit form of one kind: parse, call the service, redirect or show errors
    (the user's input kept)."""
    _require_manage(request.user)
    form = kind.form_class(request.POST if request.method == "POST" else None, instance=obj)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if obj is None:
                saved = kind.create(user=request.user, fields=fields)
            else:
                saved = kind.update(**{kind.arg: obj}, user=request.user, fields=fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = kind.created if obj is None else _("The changes to “%(name)s” are saved.")
            messages.success(request, done % {"name": str(saved)})
            return redirect(kind.list)
    if obj is None:
        title, submit = kind.new_title, kind.create_submit
    else:
        title, submit = _("Edit %(name)s") % {"name": obj.name}, _("Save the changes")
    return _form_page(
        request,
        kind=kind,
        form=form,
        obj=obj,
        title=title,
        submit=submit,
        cancel_url=reverse(kind.list),
        status=400 if form.is_bound and form.errors else 200,
    )


def kind_history(request, pk: int, *, kind: Kind):
    _require_view(request.user, kind)
    obj = kind.get(pk=pk)
    return render(
        request,
        "helhedsplaner/reference/history.html",
        {
            "kind": kind,
            "obj": obj,
            "history": kind.history(obj),
            "may_manage": _may_manage(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def kind_remove(request, pk: int, *, kind: Kind):
    _require_manage(request.user)
    obj = kind.get(pk=pk)
    return _remove_page(
        request,
        kind=kind,
        obj=obj,
        remove=lambda: kind.remove(**{kind.arg: obj}, user=request.user),
        question=kind.remove_question % {"name": obj.name},
        done_url=reverse(kind.list),
        done=_("“%(name)s” is removed.") % {"name": str(obj)},
    )


def _remove_page(request, *, kind, obj, remove, question, done_url, done, cancel_url=None):
    """A removal asks first (GET), and removes on the confirming POST; a removal the
    service refuses shows its reason on the same page."""
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            remove()
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, done)
            return redirect(done_url)
    return render(
        request,
        "helhedsplaner/reference/remove.html",
        {
            "kind": kind,
            "obj": obj,
            "question": question,
            "refusal": refusal,
            "cancel_url": cancel_url,
        },
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


# -- LBF periods: the page of one period, and its focus areas --------------------------------------


def _period_page(request, period, focus_areas, *, form=None, status=200):
    may_manage = _may_manage(request.user)
    form = form or (FocusAreaForm(period=period) if may_manage else None)
    return render(
        request,
        "helhedsplaner/reference/period_detail.html",
        {
            "kind": PERIOD,
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
        kind=PERIOD,
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
    period_url = reverse("reference:period_detail", args=[focus_area.period_id])
    return _remove_page(
        request,
        kind=PERIOD,
        obj=focus_area.period,
        remove=lambda: services.focus_area_remove(focus_area=focus_area, user=request.user),
        question=_("Remove the focus area “%(name)s”?") % {"name": focus_area.name},
        done_url=period_url,
        done=_("The focus area “%(name)s” is removed.") % {"name": focus_area.name},
        cancel_url=period_url,
    )
