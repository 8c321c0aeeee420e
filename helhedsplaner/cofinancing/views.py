"""Co-financing pages: commitments, their decisions, pools, per-plan money and the overviews.

Thin views: parse with a form, call one service or selector, render or redirect.
Everybody with a role reads; caseworkers and administrators register and change.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.authority import authorise
from core.versioning import VersionConflict, attempted_values

from ..models import CoFinancing, CoFinancingPool, Plan
from . import exports, selectors, services
from .forms import (
    CommitmentEditForm,
    CommitmentForm,
    ConfirmForm,
    CorrectionForm,
    GrantForm,
    HousingContributionForm,
    OverviewFilterForm,
    PoolForm,
    WithdrawForm,
    add_service_errors,
    danish_amount,
)
from .pages import form_page, form_saved

VIEW = "helhedsplaner.view_cofinancing"
ADD = "helhedsplaner.add_cofinancing"
CHANGE = "helhedsplaner.change_cofinancing"
CORRECT = "helhedsplaner.add_commitmentcorrection"
ADD_CONTRIBUTION = "helhedsplaner.add_housingcontribution"
VIEW_POOL = "helhedsplaner.view_cofinancingpool"
MANAGE_POOLS = "helhedsplaner.manage_pools"


# -- commitments ------------------------------------------------------------------------------
@permission_required(VIEW, raise_exception=True)
def commitment_list(request):
    form = OverviewFilterForm(
        request.GET,
        fields=["administration", "plan", "year_from", "year_to", "pool", "status", "source"],
    )
    page = None
    if form.is_valid():
        queryset = selectors.commitments_list(user=request.user, **form.cleaned_data)
        page = Paginator(queryset, 50).get_page(request.GET.get("side"))
        selectors.mark_items(request.user, [c.granted_by_item for c in page])
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "helhedsplaner/cofinancing/commitment_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "may_create": request.user.has_perm("helhedsplaner.create_commitment"),
        },
    )


@permission_required(ADD, raise_exception=True)
def commitment_create(request):
    authorise(request.user, "helhedsplaner.create_commitment")
    initial = {}
    plan_pk = request.GET.get("plan", "")
    if plan_pk.isdigit():
        initial["plan"] = Plan.objects.filter(pk=plan_pk).first()
    form = CommitmentForm(request.POST or None, initial=initial, user=request.user)
    saved = form_saved(
        request,
        form,
        partial(services.commitment_create, user=request.user),
        done=_("The commitment has been registered as proposed."),
        then=_commitment_url,
    )
    if saved is not None:
        return saved
    cancel = (
        reverse("cofinancing:plan_detail", args=[initial["plan"].pk])
        if initial.get("plan")
        else reverse("cofinancing:commitment_list")
    )
    return form_page(
        request,
        form,
        title=_("New co-financing commitment"),
        intro=_(
            "The commitment is registered as proposed. It counts as committed only when "
            "a committee decision has granted it."
        ),
        submit=_("Register commitment"),
        cancel_url=cancel,
    )


@permission_required(VIEW, raise_exception=True)
def commitment_detail(request, pk: int):
    context = selectors.commitment_get_for_page(pk=pk, user=request.user)
    commitment = context["commitment"]
    may_change = request.user.has_perm("helhedsplaner.change_commitment", commitment)
    context.update(
        {
            "may_edit": may_change and commitment.status == CoFinancing.Status.PROPOSED,
            "may_grant": may_change and commitment.status == CoFinancing.Status.PROPOSED,
            "may_pay": may_change and commitment.status == CoFinancing.Status.GRANTED,
            "may_withdraw": may_change
            and commitment.status in (CoFinancing.Status.PROPOSED, CoFinancing.Status.GRANTED),
            "may_correct": request.user.has_perm("helhedsplaner.correct_commitment", commitment)
            and commitment.status in (CoFinancing.Status.GRANTED, CoFinancing.Status.PAID),
        }
    )
    return render(request, "helhedsplaner/cofinancing/commitment_detail.html", context)


def _commitment_url(commitment: CoFinancing) -> str:
    return reverse("cofinancing:commitment_detail", args=[commitment.pk])


def _commitment(request, pk: int, perm: str = "helhedsplaner.change_commitment") -> CoFinancing:
    """The commitment, if the user may act on it (its administration's caseworkers)."""
    commitment = get_object_or_404(
        CoFinancing.objects.select_related("plan", "administration"), pk=pk
    )
    authorise(request.user, perm, commitment)
    return commitment


def _initial(commitment: CoFinancing) -> dict:
    return {
        "plan": commitment.plan_id,
        "administration": commitment.administration_id,
        "year": commitment.year,
        "amount": danish_amount(commitment.amount),
        "source": commitment.source,
        "pool": commitment.pool_id,
        "note": commitment.note,
        "version": commitment.version,
    }


@permission_required(CHANGE, raise_exception=True)
def commitment_edit(request, pk: int):
    commitment = _commitment(request, pk)
    form = CommitmentEditForm(request.POST or None, initial=_initial(commitment), user=request.user)
    notice = ""
    conflict = {}
    if commitment.status != CoFinancing.Status.PROPOSED:
        notice = _(
            "A granted commitment can only be changed by a new decision or a recorded "
            "correction with a reason. Use “Correct” on the commitment's page."
        )
        if form.is_bound:  # keep what was typed and say why; nothing is saved
            form.is_valid()
            form.add_error(None, notice)
    elif request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        try:
            services.commitment_update(
                commitment=commitment,
                expected_version=changes.pop("version") or 0,
                user=request.user,
                **changes,
            )
        except VersionConflict as error:
            commitment = _commitment(request, pk)
            stale, form = form, CommitmentEditForm(initial=_initial(commitment), user=request.user)
            conflict = {
                "conflict": error,
                "attempted": attempted_values(stale=stale, fresh=form),
                "what": _("the commitment"),
            }
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The commitment has been saved."))
            return redirect("cofinancing:commitment_detail", pk=commitment.pk)
    return form_page(
        request,
        form,
        title=_("Edit co-financing commitment"),
        notice=notice,
        submit=_("Save"),
        cancel_url=reverse("cofinancing:commitment_detail", args=[commitment.pk]),
        status=409 if conflict else 400 if form.errors else 200,
        commitment=commitment,
        **conflict,
    )


@permission_required(CHANGE, raise_exception=True)
def commitment_grant(request, pk: int):
    commitment = _commitment(request, pk)
    items = selectors.deciding_items(
        user=request.user, plan=commitment.plan, administration=commitment.administration
    )
    form = GrantForm(request.POST or None, items=items, user=request.user)
    saved = form_saved(
        request,
        form,
        partial(services.commitment_grant, commitment=commitment, user=request.user),
        done=_("The commitment has been granted."),
        then=_commitment_url(commitment),
    )
    if saved is not None:
        return saved
    return form_page(
        request,
        form,
        title=_("Grant co-financing commitment"),
        intro=_(
            "Choose the agenda item on which the committee decided to grant the money. "
            "Money from the shared pool is granted only if the pool has enough left."
        ),
        submit=_("Grant"),
        cancel_url=_commitment_url(commitment),
        commitment=commitment,
    )


@require_POST
@permission_required(CHANGE, raise_exception=True)
def commitment_mark_paid(request, pk: int):
    commitment = _commitment(request, pk)
    try:
        services.commitment_mark_paid(commitment=commitment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The commitment has been marked as paid."))
    return redirect("cofinancing:commitment_detail", pk=commitment.pk)


@permission_required(CHANGE, raise_exception=True)
def commitment_withdraw(request, pk: int):
    commitment = _commitment(request, pk)
    form = WithdrawForm(
        request.POST or None,
        reason_required=commitment.status == CoFinancing.Status.GRANTED,
    )
    saved = form_saved(
        request,
        form,
        partial(services.commitment_withdraw, commitment=commitment, user=request.user),
        done=_("The commitment has been withdrawn."),
        then=_commitment_url(commitment),
    )
    if saved is not None:
        return saved
    return form_page(
        request,
        form,
        title=_("Withdraw co-financing commitment"),
        intro=_("A withdrawn commitment no longer counts in any total."),
        submit=_("Withdraw"),
        cancel_url=_commitment_url(commitment),
        commitment=commitment,
    )


@permission_required(CHANGE, raise_exception=True)
def commitment_correct(request, pk: int):
    if not request.user.has_perm(CORRECT):
        raise PermissionDenied
    commitment = _commitment(request, pk, "helhedsplaner.correct_commitment")
    items = selectors.deciding_items(
        user=request.user, plan=commitment.plan, administration=commitment.administration
    )
    form = CorrectionForm(
        request.POST or None, initial=_initial(commitment), items=items, user=request.user
    )
    saved = form_saved(
        request,
        form,
        partial(services.commitment_correct, commitment=commitment, user=request.user),
        done=_("The correction has been recorded."),
        then=_commitment_url(commitment),
    )
    if saved is not None:
        return saved
    return form_page(
        request,
        form,
        title=_("Correct granted commitment"),
        intro=_(
            "A granted commitment changes only through a new decision or a recorded "
            "correction. Give the reason; it is shown in the commitment's history with "
            "what changed, who changed it and when."
        ),
        submit=_("Record correction"),
        cancel_url=_commitment_url(commitment),
        commitment=commitment,
    )


@permission_required(VIEW, raise_exception=True)
def agenda_item_commitments(request, pk: int):
    item, commitments = selectors.agenda_item_commitments_get(pk=pk, user=request.user)
    return render(
        request,
        "helhedsplaner/cofinancing/item_commitments.html",
        {"item": item, "commitments": commitments},
    )


# -- per plan and pools -----------------------------------------------------------------------
@permission_required(VIEW, raise_exception=True)
def plan_detail(request, pk: int):
    context = selectors.plan_cofinancing_get(pk=pk, user=request.user)
    context["may_add"] = request.user.has_perm("helhedsplaner.create_commitment")
    context["may_add_contribution"] = request.user.has_perm(
        "helhedsplaner.add_housing_contribution", context["plan"]
    )
    return render(request, "helhedsplaner/cofinancing/plan_detail.html", context)


@permission_required(ADD_CONTRIBUTION, raise_exception=True)
def housing_contribution_create(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    authorise(request.user, "helhedsplaner.add_housing_contribution", plan)
    form = HousingContributionForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        partial(services.housing_contribution_create, plan=plan, user=request.user),
        done=_("The housing organisation's contribution is registered."),
        then=reverse("cofinancing:plan_detail", args=[plan.pk]),
    )
    if saved is not None:
        return saved
    return form_page(
        request,
        form,
        title=_("Housing organisation's contribution to %(plan)s") % {"plan": plan.name},
        intro=_(
            # xgettext:no-python-format
            "The housing organisation's own contribution counts towards the 25 % local "
            "co-financing together with the municipality's granted commitments."
        ),
        submit=_("Register contribution"),
        cancel_url=reverse("cofinancing:plan_detail", args=[plan.pk]),
    )


@permission_required(VIEW_POOL, raise_exception=True)
def pool_detail(request, pk: int):
    context = selectors.pool_get_for_page(pk=pk, user=request.user)
    context["may_manage"] = request.user.has_perm(MANAGE_POOLS)
    return render(request, "helhedsplaner/cofinancing/pool_detail.html", context)


def _pool_url(pool: CoFinancingPool) -> str:
    return reverse("cofinancing:pool_detail", args=[pool.pk])


POOLS_URL = "cofinancing:overview_pools"


@permission_required(VIEW_POOL, raise_exception=True)
def pool_create(request):
    authorise(request.user, MANAGE_POOLS)  # administrators (helhedsplaner/rules.py)
    form = PoolForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        partial(services.pool_create, user=request.user),
        done=lambda pool: _("The pool “%(name)s” has been set up.") % {"name": pool.name},
        then=_pool_url,
    )
    if saved is not None:
        return saved
    return form_page(
        request,
        form,
        title=_("New co-financing pool"),
        intro=_(
            "A shared budget the administrations grant co-financing from. A grant is "
            "refused when the pool does not have enough left."
        ),
        submit=_("Set up the pool"),
        cancel_url=reverse(POOLS_URL),
    )


@permission_required(VIEW_POOL, raise_exception=True)
def pool_edit(request, pk: int):
    authorise(request.user, MANAGE_POOLS)
    pool = get_object_or_404(CoFinancingPool, pk=pk)
    initial = {name: getattr(pool, name) for name in services.POOL_FIELDS}
    initial["budget"] = danish_amount(pool.budget)
    form = PoolForm(request.POST or None, initial=initial)
    saved = form_saved(
        request,
        form,
        partial(services.pool_update, pool=pool, user=request.user),
        done=_("The pool has been saved."),
        then=_pool_url(pool),
    )
    if saved is not None:
        return saved
    return form_page(
        request,
        form,
        title=_("Edit %(pool)s") % {"pool": pool.name},
        intro=_("The budget cannot be lowered below what has been granted from the pool."),
        submit=_("Save"),
        cancel_url=_pool_url(pool),
    )


@permission_required(VIEW_POOL, raise_exception=True)
def pool_history(request, pk: int):
    pool, history = selectors.pool_history(pk=pk)
    return render(
        request,
        "helhedsplaner/cofinancing/pool_history.html",
        {"pool": pool, "history": history},
    )


@permission_required(VIEW_POOL, raise_exception=True)
def pool_remove(request, pk: int):
    """Asks first (GET), removes on the confirming POST; a pool with commitments is kept,
    and the page says why (400 on the refused POST)."""
    authorise(request.user, MANAGE_POOLS)
    pool = get_object_or_404(CoFinancingPool, pk=pk)
    form = ConfirmForm(request.POST or None)
    refusal = services.pool_removal_refusal(pool)
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_remove(pool=pool, user=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The pool “%(name)s” is removed.") % {"name": pool.name})
            return redirect(POOLS_URL)
    return render(
        request,
        "helhedsplaner/cofinancing/pool_remove.html",
        {"pool": pool, "refusal": refusal},
        status=400 if refusal and request.method == "POST" else 200,
    )


# -- overviews and exports --------------------------------------------------------------------
@dataclass(frozen=True)
class Overview:
    selector: object
    fields: tuple[str, ...]
    default_status: str = ""
    title: str = ""


OVERVIEWS = {
    "administrations": Overview(
        selectors.overview_by_administration,
        ("administration", "year_from", "year_to", "pool", "status"),
        default_status="committed",
        title=gettext_lazy("Per administration"),
    ),
    "plans": Overview(
        selectors.overview_by_plan,
        ("administration", "plan_status"),
        title=gettext_lazy("Per plan"),
    ),
    "years": Overview(
        selectors.overview_by_year,
        ("administration", "year_from", "year_to", "pool", "source"),
        title=gettext_lazy("Per year"),
    ),
    "pools": Overview(selectors.overview_by_pool, ("pool",), title=gettext_lazy("Pools")),
}


def _overview_table(request, kind: str):
    spec = OVERVIEWS[kind]
    form = OverviewFilterForm(request.GET, fields=spec.fields, default_status=spec.default_status)
    if not form.is_valid():
        return form, None
    return form, spec.selector(**{name: form.cleaned_data.get(name) for name in spec.fields})


@permission_required(VIEW, raise_exception=True)
def overview(request, kind: str):
    form, table = _overview_table(request, kind)
    return render(
        request,
        "helhedsplaner/cofinancing/overview.html",
        {
            "form": form,
            "table": table,
            "kind": kind,
            "overviews": OVERVIEWS,
            "query_string": request.GET.urlencode(),
            "may_create_pool": kind == "pools" and request.user.has_perm(MANAGE_POOLS),
        },
        status=200 if table else 400,
    )


@permission_required(VIEW, raise_exception=True)
def overview_export(request, kind: str, fmt: str):
    form, table = _overview_table(request, kind)
    if table is None:
        return overview(request, kind)
    if fmt == "xlsx":
        content, content_type = exports.table_to_xlsx(table), exports.XLSX_CONTENT_TYPE
    else:
        content, content_type = exports.table_to_csv(table), exports.CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{table.filename}.{fmt}"
    )
    return response
