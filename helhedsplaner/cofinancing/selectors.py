"""Reads for co-financing: commitments, pools, the overviews and their exports.

Every overview is built once, as a :class:`Table`, by a selector here; the page
and the Excel/CSV exports render that same table, so the numbers cannot differ.
Each selector runs a fixed number of queries whatever the number of commitments.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from cases.models import AgendaItem
from cases.selectors import agenda_items_visible_to, user_can_see_closed
from committees.models import Administration, Meeting
from committees.selectors import committee_ids_for_user
from core.history import history_entries
from core.roles import is_administrator

from ..models import CoFinancing, CoFinancingPool, CommitmentCorrection, HousingContribution, Plan

Status = CoFinancing.Status
COMMITTED = (Status.GRANTED, Status.PAID)
# A commitment is granted by a decision: the item's meeting must have been held.
HELD_MEETING = (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED)
LOCAL_REQUIREMENT = Decimal("0.25")  # LBF pays at most 75 %: at least 25 % is local.
MAX_YEARS = 30
ZERO = Decimal(0)
CENT = Decimal("0.01")

# The status filter of the money overviews; "committed" (granted or paid) is the default.
STATUS_FILTERS = {
    "committed": (gettext_lazy("Granted or paid"), COMMITTED),
    "proposed": (gettext_lazy("Proposed"), (Status.PROPOSED,)),
    "granted": (gettext_lazy("Granted, not yet paid"), (Status.GRANTED,)),
    "paid": (gettext_lazy("Paid"), (Status.PAID,)),
    "withdrawn": (gettext_lazy("Withdrawn"), (Status.WITHDRAWN,)),
}


# -- tables shared by page and export ----------------------------------------------------------
@dataclass
class Cell:
    value: object
    kind: str = "text"  # text | int | dkk | percent | bool
    url: str = ""


@dataclass
class Table:
    title: str
    caption: str
    columns: list[tuple[str, str]]  # (label, kind)
    rows: list[list[Cell]] = field(default_factory=list)
    totals: list[Cell] | None = None
    filename: str = "oversigt"
    notes: list[str] = field(default_factory=list)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


# -- money per plan ---------------------------------------------------------------------------
def _sum_subquery(queryset, field_name: str = "amount"):
    total = (
        queryset.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(total=Sum(field_name))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=DecimalField(max_digits=16, decimal_places=2)),
        ZERO,
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def plans_with_money(queryset=None):
    """Annotate plans with municipal commitments and housing contributions (one query)."""
    queryset = Plan.objects.all() if queryset is None else queryset
    return queryset.annotate(
        municipal_committed=_sum_subquery(CoFinancing.objects.filter(status__in=COMMITTED)),
        municipal_paid=_sum_subquery(CoFinancing.objects.filter(status=Status.PAID)),
        municipal_proposed=_sum_subquery(CoFinancing.objects.filter(status=Status.PROPOSED)),
        housing_total=_sum_subquery(HousingContribution.objects.all()),
    )


def plan_with_money_from(plan: Plan, commitments) -> Plan:
    """Set on ``plan`` what :func:`plans_with_money` annotates, from the plan's own
    commitments already read (all of them) and its housing total (annotated with
    :func:`plan_housing_total`): the same sums, without a subquery per status."""

    def total(statuses) -> Decimal:
        amounts = [c.amount for c in commitments if c.status in statuses]
        # As the database answers: the sum to the øre, or 0 (Coalesce) when there is none.
        return sum(amounts, ZERO).quantize(CENT) if amounts else ZERO

    plan.municipal_committed = total(COMMITTED)
    plan.municipal_paid = total((Status.PAID,))
    plan.municipal_proposed = total((Status.PROPOSED,))
    return plan


def plan_housing_total(queryset):
    """Annotate plans with ``housing_total`` only (see :func:`plan_with_money_from`)."""
    return queryset.annotate(housing_total=_sum_subquery(HousingContribution.objects.all()))


def add_money_facts(plan: Plan) -> Plan:
    """The 25 % check on an annotated plan: local committed = municipal (granted or paid)
    plus the housing organisation's registered contribution, against the budget."""
    plan.local_share = plan.budget - plan.lbf_grant
    plan.local_share_percent = _percent(plan.local_share, plan.budget)
    plan.lbf_percent = _percent(plan.lbf_grant, plan.budget)
    plan.local_committed = plan.municipal_committed + plan.housing_total
    plan.local_committed_percent = _percent(plan.local_committed, plan.budget)
    plan.local_required = (plan.budget * LOCAL_REQUIREMENT).quantize(Decimal("0.01"))
    plan.requirement_met = bool(plan.budget) and plan.local_committed >= plan.local_required
    plan.local_missing = max(plan.local_required - plan.local_committed, ZERO)
    return plan


# -- agenda items behind commitments: visibility --------------------------------------------
def mark_items(user, items) -> None:
    """Set ``item.shown`` to open | closed | hidden for each agenda item (reuses the case rules).

    open: the reader may see it; closed: a closed item outside the reader's committees
    (show only "Lukket punkt" and its number); hidden: not on a published agenda for them.
    """
    items = [item for item in items if item is not None]
    if not items:
        return
    # Whose closed items the reader may see, read now rather than at the first closed item
    # on the page: the number of queries must not depend on what the page happens to hold.
    if not is_administrator(user):
        committee_ids_for_user(user)  # cached on the user for user_can_see_closed below
    visible = set(
        agenda_items_visible_to(
            user, AgendaItem.objects.filter(pk__in={item.pk for item in items})
        ).values_list("pk", flat=True)
    )
    for item in items:
        if item.pk not in visible:
            item.shown = "hidden"
        elif item.is_closed and not user_can_see_closed(
            user, item.meeting.committee_id if item.meeting_id else None
        ):
            item.shown = "closed"
        else:
            item.shown = "open"


ITEM_RELATED = ("meeting__committee", "case")


def commitment_queryset():
    return CoFinancing.objects.select_related(
        "plan",
        "administration",
        "pool",
        *(f"granted_by_item__{name}" for name in ITEM_RELATED),
    )


def commitments_list(
    *,
    user,
    administration=None,
    plan=None,
    year_from=None,
    year_to=None,
    pool=None,
    status: str = "",
    source: str = "",
):
    """Commitments matching the filters, newest year first; items marked after paging."""
    queryset = commitment_queryset().order_by("-year", "plan__name", "administration__code")
    if administration is not None:
        queryset = queryset.filter(administration=administration)
    if plan is not None:
        queryset = queryset.filter(plan=plan)
    if year_from:
        queryset = queryset.filter(year__gte=year_from)
    if year_to:
        queryset = queryset.filter(year__lte=year_to)
    if pool is not None:
        queryset = queryset.filter(pool=pool)
    if status:
        queryset = queryset.filter(status__in=STATUS_FILTERS[status][1])
    if source:
        queryset = queryset.filter(source=source)
    return queryset


def commitment_get_for_page(*, pk: int, user) -> dict:
    """One commitment with its deciding item, corrections, sibling grants and history."""
    commitment = get_object_or_404(commitment_queryset(), pk=pk)
    corrections = list(
        CommitmentCorrection.objects.filter(commitment=commitment)
        .select_related("recorded_by", *(f"decided_by_item__{name}" for name in ITEM_RELATED))
        .order_by("-created_at", "-pk")
    )
    siblings = []
    if commitment.granted_by_item_id:
        siblings = list(
            commitment_queryset()
            .filter(granted_by_item_id=commitment.granted_by_item_id)
            .exclude(pk=commitment.pk)
            .order_by("plan__name", "year")
        )
    mark_items(
        user,
        [commitment.granted_by_item, *(c.decided_by_item for c in corrections)],
    )
    for correction in corrections:
        correction.rows = correction_rows(correction)
    return {
        "commitment": commitment,
        "corrections": corrections,
        "siblings": siblings,
        "history": history_entries(CoFinancing.history.filter(id=commitment.pk)),
    }


def correction_rows(correction: CommitmentCorrection) -> list[tuple[str, str, str]]:
    """(field label, old, new) in the reader's language."""
    rows = []
    choices = {"status": dict(Status.choices), "source": dict(CoFinancing.Source.choices)}
    for change in correction.changes:
        name = change.get("field", "")
        try:
            label = str(CoFinancing._meta.get_field(name).verbose_name)
        except Exception:  # a field since removed: show its name
            label = name
        old, new = change.get("old", ""), change.get("new", "")
        if name in choices:
            old, new = choices[name].get(old, old), choices[name].get(new, new)
        rows.append((label.capitalize(), str(old) or "–", str(new) or "–"))
    return rows


def agenda_item_commitments_get(*, pk: int, user) -> tuple[AgendaItem, list[CoFinancing]]:
    """An agenda item and the commitments its decision granted (the link back)."""
    queryset = agenda_items_visible_to(user, AgendaItem.objects.select_related(*ITEM_RELATED))
    item = get_object_or_404(queryset, pk=pk)
    mark_items(user, [item])
    commitments = list(
        commitment_queryset().filter(granted_by_item=item).order_by("plan__name", "year")
    )
    for commitment in commitments:
        commitment.granted_by_item = item  # share the marked object
    return item, commitments


# -- pools ------------------------------------------------------------------------------------
def pool_get_for_page(*, pk: int, user) -> dict:
    pool = get_object_or_404(CoFinancingPool, pk=pk)
    sums = dict(
        pool.commitments.order_by()
        .values("status")
        .annotate(total=Sum("amount"))
        .values_list("status", "total")
    )
    granted = sums.get(Status.GRANTED, ZERO) + sums.get(Status.PAID, ZERO)
    commitments = list(
        commitment_queryset().filter(pool=pool).order_by("-year", "plan__name", "pk")
    )
    mark_items(user, [c.granted_by_item for c in commitments])
    return {
        "pool": pool,
        "granted": granted,
        "paid": sums.get(Status.PAID, ZERO),
        "proposed": sums.get(Status.PROPOSED, ZERO),
        "left": pool.budget - granted,
        "commitments": commitments,
        "history": history_entries(CoFinancingPool.history.filter(id=pool.pk)),
    }


def pool_history(*, pk: int) -> tuple[CoFinancingPool, list[dict]]:
    """The pool and its history (what, field, old → new, who, when): one query each."""
    pool = get_object_or_404(CoFinancingPool, pk=pk)
    return pool, history_entries(CoFinancingPool.history.filter(id=pool.pk))


# -- per plan ---------------------------------------------------------------------------------
def plan_cofinancing_get(*, pk: int, user) -> dict:
    plan = get_object_or_404(
        plans_with_money(Plan.objects.select_related("housing_organisation", "lbf_period")),
        pk=pk,
    )
    add_money_facts(plan)
    commitments = list(
        commitment_queryset().filter(plan=plan).order_by("year", "administration__code", "pk")
    )
    mark_items(user, [c.granted_by_item for c in commitments])
    years: dict[int, dict[str, Decimal]] = {}
    for commitment in commitments:
        row = years.setdefault(commitment.year, dict.fromkeys(Status.values, ZERO))
        row[commitment.status] += commitment.amount
    per_year = [
        {
            "year": year,
            "proposed": row[Status.PROPOSED],
            "granted": row[Status.GRANTED],
            "paid": row[Status.PAID],
            "committed": row[Status.GRANTED] + row[Status.PAID],
        }
        for year, row in sorted(years.items())
    ]
    contributions = list(plan.housing_contributions.order_by("pk"))
    return {
        "plan": plan,
        "commitments": commitments,
        "per_year": per_year,
        "contributions": contributions,
    }


# -- the overviews ----------------------------------------------------------------------------
def _filtered(*, administration=None, year_from=None, year_to=None, pool=None, status=None):
    queryset = CoFinancing.objects.order_by()
    if status:
        queryset = queryset.filter(status__in=STATUS_FILTERS[status][1])
    else:
        queryset = queryset.exclude(status=Status.WITHDRAWN)
    if administration is not None:
        queryset = queryset.filter(administration=administration)
    if pool is not None:
        queryset = queryset.filter(pool=pool)
    if year_from:
        queryset = queryset.filter(year__gte=year_from)
    if year_to:
        queryset = queryset.filter(year__lte=year_to)
    return queryset


def overview_by_administration(
    *, administration=None, year_from=None, year_to=None, pool=None, status="committed"
) -> Table:
    """Per administration: plans, amount per year and in total over the year range."""
    status = status or "committed"
    queryset = _filtered(
        administration=administration,
        year_from=year_from,
        year_to=year_to,
        pool=pool,
        status=status,
    )
    overall = queryset.aggregate(
        first=Min("year"), last=Max("year"), plans=Count("plan", distinct=True), total=Sum("amount")
    )
    first = year_from or overall["first"]
    last = year_to or overall["last"]
    if first and last and last - first >= MAX_YEARS:
        first = last - MAX_YEARS + 1
        queryset = queryset.filter(year__gte=first)
        overall = queryset.aggregate(plans=Count("plan", distinct=True), total=Sum("amount"))
    years = list(range(first, last + 1)) if first and last else []
    amounts: dict[int, dict[int, Decimal]] = {}
    for row in queryset.values("administration_id", "year").annotate(total=Sum("amount")):
        amounts.setdefault(row["administration_id"], {})[row["year"]] = row["total"]
    plans = dict(
        queryset.values("administration_id")
        .annotate(plans=Count("plan", distinct=True))
        .values_list("administration_id", "plans")
    )
    administrations = Administration.objects.filter(pk__in=amounts).order_by("code")
    label = STATUS_FILTERS[status][0]
    period = f"{first}–{last}" if years else ""
    table = Table(
        title=_("Co-financing per administration"),
        caption=_("Co-financing per administration, %(status)s, %(period)s")
        % {"status": str(label).lower(), "period": period},
        columns=[
            (pgettext("municipal administration", "Administration"), "text"),
            (_("Plans"), "int"),
            *((str(year), "dkk") for year in years),
            (_("Total %(period)s") % {"period": period}, "dkk"),
        ],
        filename=f"medfinansiering-forvaltninger-{first}-{last}" if years else "medfinansiering",
    )
    list_url = reverse("cofinancing:commitment_list")
    for admin in administrations:
        per_year = amounts.get(admin.pk, {})
        table.rows.append(
            [
                Cell(
                    f"{admin.code} – {admin.name}",
                    url=f"{list_url}?"
                    + _query(
                        administration=admin.code,
                        year_from=first,
                        year_to=last,
                        status=status,
                        pool=pool.pk if pool else "",
                    ),
                ),
                Cell(plans.get(admin.pk, 0), "int"),
                *(Cell(per_year.get(year, ZERO), "dkk") for year in years),
                Cell(sum(per_year.values(), ZERO), "dkk"),
            ]
        )
    table.totals = [
        Cell(_("Total")),
        Cell(overall["plans"] or 0, "int"),
        *(Cell(sum((amounts[a].get(year, ZERO) for a in amounts), ZERO), "dkk") for year in years),
        Cell(overall["total"] or ZERO, "dkk"),
    ]
    table.notes.append(
        _(
            "Counted: commitments with status “%(status)s”. The plans column counts each "
            "plan once, also in the total row."
        )
        % {"status": label}
    )
    return table


def overview_by_plan(*, administration=None, plan_status: str = "") -> Table:
    """Per plan: budget, LBF grant, municipal and housing share, and the 25 % check."""
    queryset = Plan.objects.order_by("name")
    if administration is not None:
        queryset = queryset.filter(
            Q(participating_administrations=administration)
            | Q(commitments__administration=administration)
        ).distinct()
    if plan_status:
        queryset = queryset.filter(status=plan_status)
    plans = [add_money_facts(plan) for plan in plans_with_money(queryset)]
    table = Table(
        title=_("Co-financing per plan"),
        # xgettext:no-python-format
        caption=_("Co-financing per plan and the 25 % local co-financing requirement"),
        columns=[
            (_("Plan"), "text"),
            (_("Status"), "text"),
            (_("Budget"), "dkk"),
            (_("LBF grant"), "dkk"),
            (_("Local share of budget"), "percent"),
            (_("Municipal commitments"), "dkk"),
            (_("Housing organisation"), "dkk"),
            (_("Local co-financing committed"), "percent"),
            # xgettext:no-python-format
            (_("25 % requirement met"), "bool"),
        ],
        filename="medfinansiering-planer",
    )
    totals = {"budget": ZERO, "lbf": ZERO, "municipal": ZERO, "housing": ZERO}
    for plan in plans:
        table.rows.append(
            [
                Cell(plan.name, url=reverse("cofinancing:plan_detail", args=[plan.pk])),
                Cell(str(plan.get_status_display())),
                Cell(plan.budget, "dkk"),
                Cell(plan.lbf_grant, "dkk"),
                Cell(plan.local_share_percent, "percent"),
                Cell(plan.municipal_committed, "dkk"),
                Cell(plan.housing_total, "dkk"),
                Cell(plan.local_committed_percent, "percent"),
                Cell(plan.requirement_met, "bool"),
            ]
        )
        totals["budget"] += plan.budget
        totals["lbf"] += plan.lbf_grant
        totals["municipal"] += plan.municipal_committed
        totals["housing"] += plan.housing_total
    table.totals = [
        Cell(_("Total")),
        Cell(""),
        Cell(totals["budget"], "dkk"),
        Cell(totals["lbf"], "dkk"),
        Cell(_percent(totals["budget"] - totals["lbf"], totals["budget"]), "percent"),
        Cell(totals["municipal"], "dkk"),
        Cell(totals["housing"], "dkk"),
        Cell(_percent(totals["municipal"] + totals["housing"], totals["budget"]), "percent"),
        Cell(sum(1 for plan in plans if plan.requirement_met), "int"),
    ]
    counted = _(
        # xgettext:no-python-format
        "Local co-financing committed = municipal commitments with status granted or "
        "paid (all administrations, all years) plus the housing organisation's registered "
        "contribution, as a share of the budget. Proposed and withdrawn commitments are "
        "not counted. The requirement is met at 25 % or more."
    )
    table.notes += [
        _("Local share of budget = (budget − LBF grant) / budget."),
        counted,
        _("The total row's last column is the number of plans that meet the requirement."),
    ]
    return table


def overview_by_year(
    *, administration=None, year_from=None, year_to=None, pool=None, source: str = ""
) -> Table:
    """Per year: proposed, granted (not yet paid), paid, and committed (granted + paid)."""
    queryset = _filtered(
        administration=administration, year_from=year_from, year_to=year_to, pool=pool
    )
    if source:
        queryset = queryset.filter(source=source)
    years: dict[int, dict[str, Decimal]] = {}
    for row in queryset.values("year", "status").annotate(total=Sum("amount")):
        years.setdefault(row["year"], {})[row["status"]] = row["total"]
    table = Table(
        title=_("Co-financing per year"),
        caption=_("Co-financing per year by status"),
        columns=[
            (_("Year"), "text"),
            (_("Proposed"), "dkk"),
            (_("Granted, not yet paid"), "dkk"),
            (_("Paid"), "dkk"),
            (_("Committed (granted + paid)"), "dkk"),
        ],
        filename="medfinansiering-aar",
    )
    totals = [ZERO, ZERO, ZERO, ZERO]
    for year, row in sorted(years.items()):
        values = [
            row.get(Status.PROPOSED, ZERO),
            row.get(Status.GRANTED, ZERO),
            row.get(Status.PAID, ZERO),
            row.get(Status.GRANTED, ZERO) + row.get(Status.PAID, ZERO),
        ]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        table.rows.append([Cell(str(year)), *(Cell(v, "dkk") for v in values)])
    table.totals = [Cell(_("Total")), *(Cell(v, "dkk") for v in totals)]
    table.notes.append(_("Withdrawn commitments are not counted."))
    return table


def overview_by_pool(*, pool=None) -> Table:
    """Per pool: budget, granted (incl. paid), of which paid, left, and proposed."""
    pools = CoFinancingPool.objects.order_by("-start_year", "name")
    if pool is not None:
        pools = pools.filter(pk=pool.pk)
    pools = list(pools)
    sums: dict[int, dict[str, Decimal]] = {}
    for row in (
        CoFinancing.objects.filter(pool__in=pools)
        .order_by()
        .values("pool_id", "status")
        .annotate(total=Sum("amount"))
    ):
        sums.setdefault(row["pool_id"], {})[row["status"]] = row["total"]
    table = Table(
        title=_("Co-financing pools"),
        caption=_("Co-financing pools: budget, granted and left"),
        columns=[
            (_("Pool"), "text"),
            (_("Period"), "text"),
            (_("Budget"), "dkk"),
            (_("Granted (incl. paid)"), "dkk"),
            (_("Of which paid"), "dkk"),
            (_("Left"), "dkk"),
            (_("Proposed, awaiting decision"), "dkk"),
        ],
        filename="medfinansiering-puljer",
    )
    totals = [ZERO] * 5
    for item in pools:
        row = sums.get(item.pk, {})
        granted = row.get(Status.GRANTED, ZERO) + row.get(Status.PAID, ZERO)
        values = [
            item.budget,
            granted,
            row.get(Status.PAID, ZERO),
            item.budget - granted,
            row.get(Status.PROPOSED, ZERO),
        ]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        table.rows.append(
            [
                Cell(item.name, url=reverse("cofinancing:pool_detail", args=[item.pk])),
                Cell(f"{item.start_year}–{item.end_year}"),
                *(Cell(v, "dkk") for v in values),
            ]
        )
    table.totals = [Cell(_("Total")), Cell(""), *(Cell(v, "dkk") for v in totals)]
    table.notes.append(
        _("Left = budget − granted (incl. paid). Proposed commitments do not reserve money.")
    )
    return table


# -- history ----------------------------------------------------------------------------------
# The readable history of any tracked model lives in core.history; this app says how its
# money fields read there (helhedsplaner.apps).
MONEY_FIELDS = {"amount", "budget", "lbf_grant"}


def deciding_items(*, user, plan=None, administration=None):
    """Agenda items that can have granted a commitment: placed on a meeting that has been
    held, concerning the plan or recommended by the administration, visible to the user."""
    queryset = AgendaItem.objects.filter(
        status=AgendaItem.Status.SCHEDULED, meeting__status__in=HELD_MEETING
    )
    condition = Q()
    if plan is not None:
        condition |= Q(plans=plan)
    if administration is not None:
        condition |= Q(recommending_administration=administration)
    if condition:
        queryset = queryset.filter(pk__in=AgendaItem.objects.filter(condition).values("pk"))
    return (
        agenda_items_visible_to(user, queryset)
        .select_related(*ITEM_RELATED)
        .order_by("-meeting__starts_at", "number")
    )
