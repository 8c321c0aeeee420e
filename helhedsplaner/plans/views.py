"""Thin views: parse with a form, call one service or selector, render or redirect.

Reading needs ``helhedsplaner.view_plan`` (all four roles); writing needs the model
permissions of the caseworker and administrator roles. A user without them gets 403,
also on a direct POST.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import error_summary
from cases.selectors import agenda_item_editable_by, agenda_item_get_for_page
from committees.services import meeting_assert_unlocked
from core.fragments import cached_fragments
from core.pagecache import PLANS, plan_scope, shared_page
from core.versioning import AttemptedValue, attempted_values

from ..cachescopes import ESTATES
from ..indicators.views import EDIT_INDICATORS
from ..rules import CREATE_PLAN, EDIT_PLAN, MOVE_PLAN
from . import selectors, services
from .forms import (
    ItemPlansForm,
    PlanFilterForm,
    PlanForm,
    TransitionForm,
    error_links,
    estate_formset,
    hide_errors,
)

VIEW_PLAN = "helhedsplaner.view_plan"
PLANS_PER_PAGE = 25


def _may(user, plan=None) -> dict:
    """What the page offers, asked of the policy layer (helhedsplaner/rules.py) for this plan."""
    return {
        "may_create": user.has_perm("helhedsplaner.create_plan"),
        "may_edit": user.has_perm("helhedsplaner.edit_plan", plan)
        if plan is not None
        else user.has_perm("helhedsplaner.edit_plans"),
        "may_move": plan is not None and user.has_perm("helhedsplaner.move_plan", plan),
        "may_edit_indicators": user.has_perms(EDIT_INDICATORS),
    }


# -- reading ---------------------------------------------------------------------------------


def _fragments_kept(request) -> bool:
    """Whether this rendering keeps fragments (``core.fragments``): a shared page being
    rendered for the cache. Otherwise every part is rendered, and a page whose parts are
    read in two steps reads them in one."""
    return bool(getattr(request, "render_shared_page", False)) and (
        getattr(request, "shared_page_key", None) is not None
    )


def _filters_without_form(query) -> tuple[dict, str] | None:
    """The filters and the sort key when the query sets no filter (at most a known sort):
    the list needs no form (and none of its option queries) unless its fragment is
    rendered. None when the form must check the query."""
    given = {key: value for key, value in query.items() if value and key != "side"}
    sort = given.pop("sortering", selectors.DEFAULT_SORT)
    if given or sort not in selectors.PLAN_SORTS:
        return None
    return {}, sort


@shared_page(scopes=lambda _request: [PLANS])
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_list(request):
    """The plan list: the filter form and each plan's row are fragments (``core.fragments``):
    the form under the query (its options are reference data), a row under its plan's
    scope, the unfiltered total of tenancies under ``estates``. The first read names the
    rows (their ids in the list's order); only the rows not cached are read in full and
    rendered."""
    kept = _fragments_kept(request)
    form = None
    light = _filters_without_form(request.GET) if kept else None
    if light is None:
        form = PlanFilterForm(request.GET)
        filters, sort = form.filters()
    else:
        filters, sort = light
    # Unfiltered, the tenancies are those of every estate: a fragment under ``estates``.
    all_tenancies = kept and not selectors.is_filtering(filters)
    page, totals = selectors.plan_list_page(
        filters=filters,
        sort=sort,
        page_number=request.GET.get("side"),
        per_page=PLANS_PER_PAGE,
        ids_only=kept,
        tenancies=not all_tenancies,
    )
    query = request.GET.copy()
    query.pop("side", None)
    filtered = any(value for key, value in request.GET.items() if key not in ("sortering", "side"))
    may = _may(request.user)
    plans = list(page.object_list)
    ids = plans if kept else [plan.pk for plan in plans]
    read = {} if kept else {plan.pk: plan for plan in plans}
    filters_part = "filters:" + hashlib.sha256(query.urlencode().encode()).hexdigest()[:32]

    def render_parts(missing) -> dict:
        html = {}
        if filters_part in missing:
            html[filters_part] = render_to_string(
                "helhedsplaner/plans/partials/filters.html",
                {"form": form or PlanFilterForm(request.GET), "filtered": filtered},
            )
        if "tenancies" in missing:
            html["tenancies"] = str(selectors.all_tenancies())
        rows = [part for part in missing if part not in (filters_part, "tenancies")]
        if rows:
            found = read or selectors.plan_list_rows(rows)
            template = get_template("helhedsplaner/plans/partials/plan_row.html")
            for pk in rows:
                html[pk] = template.render({"plan": found[pk], "may_edit": may["may_edit"]})
        return html

    parts = cached_fragments(
        request,
        "plan-list",
        {
            filters_part: (),
            **({"tenancies": [ESTATES]} if all_tenancies else {}),
            **{pk: [plan_scope(pk)] for pk in ids},
        },
        render_parts,
    )
    if all_tenancies:
        totals["tenancies"] = int(parts["tenancies"])
    return render(
        request,
        "helhedsplaner/plans/plan_list.html",
        {
            "filters": parts[filters_part],
            "rows": [parts[pk] for pk in ids],
            "page": page,
            "totals": totals,
            "query_string": query.urlencode(),
            "filtered": filtered,
            **may,
        },
    )


def _plan_page(request, pk, *, failed_transition=None, status=200):
    plan, items = selectors.plan_get_for_page(pk=pk, user=request.user)
    transition_forms = [
        failed_transition
        if failed_transition is not None and failed_transition.status == to_status
        else TransitionForm(status=to_status)
        for to_status in plan.next_statuses()
    ]
    return render(
        request,
        "helhedsplaner/plans/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "tab": "overview",
            "transition_forms": transition_forms,
            "failed_transition": failed_transition,
            "transition_errors": error_links(failed_transition, form_anchor="#forloeb")
            if failed_transition is not None
            else [],
            **_may(request.user, plan),
        },
        status=status,
    )


@shared_page(scopes=lambda _request, pk: [plan_scope(pk)])
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_detail(request, pk: int):
    return _plan_page(request, pk)


@permission_required(VIEW_PLAN, raise_exception=True)
def plan_history(request, pk: int):
    plan, entries = selectors.plan_get_with_history(pk=pk, user=request.user)
    return render(
        request,
        "helhedsplaner/plans/plan_history.html",
        {"plan": plan, "entries": entries, "tab": "history", **_may(request.user, plan)},
    )


# -- the plan form ---------------------------------------------------------------------------


def _estates_text(estates) -> str:
    lines = [
        f"{name}{f' ({number})' if number else ''}: {tenancies}"
        for name, number, tenancies in sorted(estates)
    ]
    return "\n".join(lines) or "–"


def _my_estates(formset) -> list[tuple]:
    """The estates the stale formset would have left on the plan."""
    return [(row.name, row.number, row.tenancies) for row in formset.rows() if not row.delete] + [
        (e.name, e.number, e.tenancies)
        for e in formset.queryset
        if e.pk not in {row.pk for row in formset.rows()}
    ]


def _plan_conflict_forms(plan, form, formset, *, user):
    """The form rebuilt from the saved plan (never from the stale POST), and the fields
    where the user's attempt differs from what is saved now."""
    current = selectors.plan_get_for_edit(pk=plan.pk)
    fresh_form, fresh_formset = (
        PlanForm(instance=current, user=user),
        estate_formset(instance=current),
    )
    attempted = attempted_values(stale=form, fresh=fresh_form)
    saved = _estates_text((e.name, e.number, e.tenancies) for e in current.estates.all())
    mine = _estates_text(_my_estates(formset))
    if saved != mine:
        attempted.append(AttemptedValue(_("Estates"), saved, mine))
    return current, fresh_form, fresh_formset, attempted


def _plan_form(request, plan=None):
    editing = plan is not None
    conflict = None
    attempted = []
    if request.method == "POST":
        form = PlanForm(request.POST, instance=plan, user=request.user)
        formset = estate_formset(
            data=request.POST,
            instance=plan,
            extra_rows=2 if "add_estates" in request.POST else 0,
        )
        if "add_estates" in request.POST:
            hide_errors(form, formset)
        elif form.is_valid() and formset.is_valid():
            try:
                if editing:
                    saved = services.plan_update(
                        plan=plan,
                        user=request.user,
                        expected_version=form.cleaned_data["version"] or 0,
                        estates=formset.rows(),
                        **form.service_arguments(),
                    )
                else:
                    saved = services.plan_create(
                        user=request.user, estates=formset.rows(), **form.service_arguments()
                    )
            except services.PlanConflict as error:
                conflict = error
                plan, form, formset, attempted = _plan_conflict_forms(
                    plan, form, formset, user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The changes to %(plan)s are saved.") % {"plan": saved.name}
                    if editing
                    else _("%(plan)s is registered with status “Idea”.") % {"plan": saved.name},
                )
                return redirect("helhedsplaner:plan_detail", pk=saved.pk)
    else:
        form = PlanForm(instance=plan, user=request.user)
        formset = estate_formset(instance=plan)
    return render(
        request,
        "helhedsplaner/plans/plan_form.html",
        {
            "plan": plan,
            "form": form,
            "formset": formset,
            "errors": error_links(form, formset, form_anchor="#plan-form"),
            "conflict": conflict,
            "attempted": attempted,
        },
        status=409 if conflict else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(CREATE_PLAN, raise_exception=True)
def plan_create(request):
    if not request.user.has_perm("helhedsplaner.create_plan"):
        raise PermissionDenied  # a caseworker without an administration leads no plan
    return _plan_form(request)


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PLAN, raise_exception=True)
def plan_edit(request, pk: int):
    plan = selectors.plan_get_for_edit(pk=pk)
    if not request.user.has_perm("helhedsplaner.edit_plan", plan):
        raise PermissionDenied
    return _plan_form(request, plan)


@require_POST
@permission_required(MOVE_PLAN, raise_exception=True)
def plan_transition(request, pk: int):
    plan = selectors.plan_get(pk=pk)
    if not request.user.has_perm("helhedsplaner.move_plan", plan):
        raise PermissionDenied
    form = TransitionForm(request.POST, status=request.POST.get("to_status", ""))
    if form.is_valid():
        try:
            services.plan_transition(
                plan=plan,
                to_status=form.status,
                date=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(plan)s has moved to “%(status)s”.")
                % {"plan": plan.name, "status": form.status_label},
            )
            return redirect(reverse("helhedsplaner:plan_detail", args=[pk]) + "#forloeb")
    return _plan_page(request, pk, failed_transition=form, status=400)


def item_plans_edit(request, pk: int):
    item = agenda_item_get_for_page(pk=pk, user=request.user)
    if not agenda_item_editable_by(request.user, item):
        raise PermissionDenied
    target = redirect("cases:item_detail", pk=item.pk)
    if item.meeting_id is not None:
        try:
            meeting_assert_unlocked(item.meeting)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return target
    form = ItemPlansForm(
        request.POST or None, initial={"plans": [plan.pk for plan in item.plans.all()]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_plans_set(item=item, plans=form.cleaned_data["plans"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The related plans have been saved."))
            return target
    return render(
        request,
        "cases/item_plans_form.html",
        {"item": item, "form": form, "errors": error_summary(form) if form.is_bound else []},
    )
