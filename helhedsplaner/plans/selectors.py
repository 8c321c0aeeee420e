"""Reads for helhedsplaner, each in a fixed number of queries whatever the amount of data.

Agenda items linked to a plan go through ``cases.selectors`` so that a closed
item's title is never shown to somebody outside its committee.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_reverse_field_name

from cases.models import AgendaItem, Attachment
from cases.selectors import agenda_items_visible_to, mark_visibility
from committees.models import Administration
from core.templatetags.dk import date_text, dkk

from ..models import (
    Area,
    CoFinancing,
    Estate,
    FocusArea,
    LbfPeriod,
    Plan,
    PlanStatusChange,
)

# -- the plan list ---------------------------------------------------------------------------

LIFECYCLE_ORDER = [
    Plan.Status.IDEA,
    Plan.Status.PREQUALIFICATION,
    Plan.Status.DIALOGUE,
    Plan.Status.APPROVED,
    Plan.Status.IMPLEMENTATION,
    Plan.Status.EVALUATED,
    Plan.Status.CLOSED,
    Plan.Status.REJECTED,
    Plan.Status.WITHDRAWN,
]
# sortering=<key> in the URL -> ORDER BY
PLAN_SORTS = {
    "navn": ("name",),
    "-navn": ("-name",),
    "status": ("status_rank", "name"),
    "periode": ("-lbf_period__start_year", "name"),
    "-periode": ("lbf_period__start_year", "name"),
    "beloeb": ("-budget", "name"),
    "-beloeb": ("budget", "name"),
}
DEFAULT_SORT = "navn"


def is_filtering(filters: dict) -> bool:
    """Whether ``filters`` leave out any plan (what :func:`plans_filtered` filters on)."""
    return any(
        filters.get(name)
        for name in (
            "status",
            "lbf_period",
            "area",
            "lead_administration",
            "participating_administration",
            "focus_area",
        )
    ) or bool((filters.get("q") or "").strip())


def plans_filtered(*, filters: dict) -> QuerySet:
    """Plans matching the list filters; one row per plan (multi-valued filters are subqueries).

    ``filters`` may hold: status, lbf_period, area, lead_administration,
    participating_administration, focus_area (objects) and q (search text).
    """
    queryset = Plan.objects.all()
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    for name in ("lbf_period", "area", "lead_administration"):
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("participating_administration"):
        through = Plan.participating_administrations.through
        queryset = queryset.filter(
            Exists(
                through.objects.filter(
                    plan=OuterRef("pk"), administration=filters["participating_administration"]
                )
            )
        )
    if filters.get("focus_area"):
        through = Plan.focus_areas.through
        queryset = queryset.filter(
            Exists(through.objects.filter(plan=OuterRef("pk"), focusarea=filters["focus_area"]))
        )
    if q := (filters.get("q") or "").strip():
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(housing_organisation__name__icontains=q)
            | Exists(Estate.objects.filter(plan=OuterRef("pk"), name__icontains=q))
        )
    return queryset


# The columns a row of the list shows (``only``): no descriptions, no timestamps.
LIST_COLUMNS = (
    "name",
    "status",
    "budget",
    "lbf_grant",
    "lbf_period__name",
    "area__name",
    "housing_organisation__name",
    "lead_administration__name",
    "lead_administration__code",
)


def _status_rank() -> Case:
    return Case(
        *[When(status=status, then=Value(rank)) for rank, status in enumerate(LIFECYCLE_ORDER)],
        output_field=IntegerField(),
    )


def plan_list(*, filters: dict, sort: str = DEFAULT_SORT) -> QuerySet:
    """The rows of the plan list with their tenancies summed in a subquery (no per-row queries)."""
    tenancies = (
        Estate.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(total=Sum("tenancies"))
        .values("total")
    )
    return (
        plans_filtered(filters=filters)
        .select_related("lbf_period", "area", "housing_organisation", "lead_administration")
        .only(*LIST_COLUMNS)
        .annotate(
            tenancies_total=Coalesce(Subquery(tenancies, output_field=IntegerField()), 0),
            status_rank=_status_rank(),
        )
        .order_by(*PLAN_SORTS.get(sort, PLAN_SORTS[DEFAULT_SORT]), "pk")
    )


def all_tenancies() -> int:
    """The tenancies of every plan's estates (the unfiltered list's total)."""
    return Estate.objects.order_by().aggregate(total=Sum("tenancies"))["total"] or 0


def plan_list_totals(*, filters: dict, tenancies: bool = True) -> dict:
    """Count, budget, LBF grant and tenancies of the whole filtered set (one query);
    without ``tenancies``, the first three (the list keeps the unfiltered total of
    tenancies as a fragment: :func:`all_tenancies`)."""
    plans = plans_filtered(filters=filters).order_by()
    if not tenancies:
        totals = plans.aggregate(
            count=Count("pk"), budget=Sum("budget"), lbf_grant=Sum("lbf_grant")
        )
        for key in ("budget", "lbf_grant"):
            totals[key] = totals[key] or 0
        return totals
    estates = Estate.objects.order_by()
    if is_filtering(filters):
        estates = estates.filter(plan__in=plans.values("pk"))
    # Unfiltered, every estate counts (each belongs to a plan): no IN over every plan.
    # The tenancies as a scalar subquery (SUM as a plain function: no GROUP BY), so
    # the totals are one query; MAX only lifts the one value into the aggregate.
    tenancies = estates.annotate(total=Func(F("tenancies"), function="SUM")).values("total")
    totals = plans.aggregate(
        count=Count("pk"),
        budget=Sum("budget"),
        lbf_grant=Sum("lbf_grant"),
        tenancies=Max(Subquery(tenancies, output_field=IntegerField())),
    )
    for key in ("budget", "lbf_grant", "tenancies"):
        totals[key] = totals[key] or 0
    return totals


# -- one plan --------------------------------------------------------------------------------


def plan_get(*, pk: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("lbf_period"), pk=pk)


def plan_get_for_edit(*, pk: int) -> Plan:
    return get_object_or_404(
        Plan.objects.select_related("lbf_period").prefetch_related("estates"), pk=pk
    )


# What the plan page shows of each commitment (the plan page reads all 40 or so).
PAGE_COMMITMENT_COLUMNS = (
    "plan_id",
    "year",
    "amount",
    "source",
    "status",
    "administration__name",
    "pool__name",
)


def plan_get_for_page(*, pk: int, user) -> tuple[Plan, list[AgendaItem]]:
    """The plan with everything its page shows, and the agenda items the user may see."""
    plan = get_object_or_404(
        Plan.objects.select_related(
            "housing_organisation", "area", "lbf_period", "lead_administration"
        ).prefetch_related(
            Prefetch("estates", queryset=Estate.objects.order_by("name")),
            Prefetch(
                "participating_administrations", queryset=Administration.objects.order_by("name")
            ),
            "focus_areas",  # their names only
            "policy_goals",  # "number. title"
            Prefetch(
                "commitments",
                queryset=CoFinancing.objects.select_related("administration", "pool")
                .only(*PAGE_COMMITMENT_COLUMNS)
                .order_by("year", "administration__name", "pk"),
            ),
            Prefetch(
                "status_changes",
                queryset=PlanStatusChange.objects.select_related("changed_by").order_by(
                    "date", "pk"
                ),
            ),
        ),
        pk=pk,
    )
    plan.tenancies_total = sum(estate.tenancies for estate in plan.estates.all())
    plan.commitments_total = sum(c.amount for c in plan.commitments.all())
    plan.local_share = plan.budget - plan.lbf_grant
    items = (
        agenda_items_visible_to(user, plan.agenda_items.all())
        .select_related("meeting__committee", "case", "decision")
        # The page lists no attachments: an empty prefetch keeps mark_visibility query-free.
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.none()))
        .order_by("meeting__starts_at", "pk")
    )
    return plan, mark_visibility(user, items)


# -- history ---------------------------------------------------------------------------------


@dataclass
class Change:
    """One field: ``old`` → ``new``; many-to-many fields say what was added and removed."""

    label: str
    old: str = ""
    new: str = ""
    added: str = ""
    removed: str = ""

    @property
    def is_set_change(self) -> bool:
        return bool(self.added or self.removed)


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)
    kind: str = "~"  # simple-history's history_type: + created, ~ changed, - deleted
    order: int = 0

    @property
    def is_creation(self) -> bool:
        return self.kind == "+"


PLAN_HISTORY_FIELDS = (
    "name",
    "status",
    "housing_organisation",
    "area",
    "lbf_period",
    "lead_administration",
    "budget",
    "lbf_grant",
    "period_start",
    "period_end",
    "description",
)
ESTATE_HISTORY_FIELDS = ("name", "number", "tenancies")
COMMITMENT_HISTORY_FIELDS = (
    "administration",
    "year",
    "amount",
    "source",
    "pool",
    "status",
    "granted_by_item",
    "note",
)
STEP_HISTORY_FIELDS = ("date", "note")
AMOUNT_FIELDS = {"budget", "lbf_grant", "amount"}


def _who(history_row) -> str:
    user = history_row.history_user
    if user is None:
        return _("The system (data import)")
    return user.get_full_name() or user.username


class _Labels:
    """Names for the ids that history rows hold, looked up in one query per model."""

    def __init__(self, user):
        self.user = user
        self.wanted: dict[type, set] = {}
        self.names: dict[type, dict] = {}

    def want(self, model, ids) -> None:
        self.wanted.setdefault(model, set()).update(i for i in ids if i is not None)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            if not ids:
                self.names[model] = {}
            elif model is AgendaItem:
                self.names[model] = self._agenda_items(ids)
            elif model is FocusArea:
                self.names[model] = {
                    fa.pk: f"{fa.name} ({fa.period.name})"
                    for fa in FocusArea.objects.select_related("period").filter(pk__in=ids)
                }
            elif model is get_user_model():
                self.names[model] = {
                    u.pk: u.get_full_name() or u.username for u in model.objects.filter(pk__in=ids)
                }
            else:
                self.names[model] = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=ids)}

    def _agenda_items(self, ids) -> dict:
        queryset = (
            agenda_items_visible_to(self.user, AgendaItem.objects.filter(pk__in=ids))
            .select_related("meeting__committee", "case")
            .prefetch_related("attachments")
        )
        names = {}
        for item in mark_visibility(self.user, queryset):
            where = (
                f"{item.meeting.committee.name} {date_text(item.meeting.starts_at, 'j. F Y')}, "
                + _("item %(number)s") % {"number": item.number}
                if item.meeting_id
                else _("draft")
            )
            title = item.title if item.content_visible else _("Closed item")
            names[item.pk] = f"{where}: {title} ({item.case.number})"
        return names

    def get(self, model, pk) -> str:
        if pk is None:
            return "–"
        name = self.names.get(model, {}).get(pk)
        if name is not None:
            return name
        if model is AgendaItem:
            return _("an agenda item you do not have access to")
        return _("(deleted)")


def _display(model, name: str, value, labels: _Labels) -> str:
    if value is None or value == "":
        return "–"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return labels.get(model_field.related_model, value)
    if name in AMOUNT_FIELDS:
        return dkk(value)
    if model_field.get_internal_type() == "DateField":
        return date_text(value, "j. F Y")
    if model_field.get_internal_type() == "BooleanField":
        return _("Yes") if value else _("No")
    text = str(value)
    return text if len(text) <= 300 else text[:300] + " …"


def _field_label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def _row_changes(model, fields, old, new, labels) -> list[Change]:
    changes = []
    for name in fields:
        attname = _attname(model, name)
        before = getattr(old, attname) if old is not None else None
        after = getattr(new, attname)
        if before != after and not (old is None and after in (None, "")):
            changes.append(
                Change(
                    _field_label(model, name),
                    _display(model, name, before, labels) if old is not None else "–",
                    _display(model, name, after, labels),
                )
            )
    return changes


def _action(history_type: str) -> str:
    return {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[history_type]


def plan_m2m_history(name: str):
    """A tracked many-to-many field of the plan (``Plan._history_m2m_fields``): the model of
    its snapshots (one row per related object per plan history row, ``history_id``) and
    the name of the column holding the related object's id."""
    historical = Plan.history.model
    m2m_field = next(f for f in historical._history_m2m_fields if f.name == name)
    through = getattr(Plan, name).through
    m2m_history = next(
        rel.related_model
        for rel in historical._meta.related_objects
        if getattr(rel.related_model, "instance_type", None) is through
    )
    return m2m_history, get_m2m_reverse_field_name(m2m_field) + "_id"


def _plan_m2m_snapshots(history_ids) -> dict[str, dict[int, set]]:
    """For each tracked many-to-many field: history row id -> the set of related ids."""
    snapshots = {}
    for m2m_field in Plan.history.model._history_m2m_fields:
        m2m_history, target = plan_m2m_history(m2m_field.name)
        per_row: dict[int, set] = {history_id: set() for history_id in history_ids}
        for history_id, related_id in m2m_history.objects.filter(
            history_id__in=history_ids
        ).values_list("history_id", target):
            per_row[history_id].add(related_id)
        snapshots[m2m_field.name] = per_row
    return snapshots


def plan_history(*, plan: Plan, user, since: datetime | None = None) -> list[HistoryEntry]:
    """Every change to the plan, its many-to-many fields, estates, commitments and lifecycle.

    Newest first; with ``since``, only the changes made at or after that moment.
    Runs a fixed number of queries: one per history table, one per many-to-many
    field and one per kind of referenced object.
    """

    def rows(queryset):
        return list(queryset.select_related("history_user").order_by("history_date", "history_id"))

    plan_rows = rows(Plan.history.filter(id=plan.pk))
    estate_rows = rows(Estate.history.filter(plan_id=plan.pk))
    commitment_rows = rows(CoFinancing.history.filter(plan_id=plan.pk))
    step_rows = rows(PlanStatusChange.history.filter(plan_id=plan.pk))
    snapshots = _plan_m2m_snapshots([row.history_id for row in plan_rows])

    labels = _Labels(user)
    for model, fields, history in (
        (Plan, PLAN_HISTORY_FIELDS, plan_rows),
        (CoFinancing, COMMITMENT_HISTORY_FIELDS, commitment_rows),
        (PlanStatusChange, ("changed_by",), step_rows),
    ):
        for name in fields:
            model_field = model._meta.get_field(name)
            if model_field.is_relation:
                labels.want(
                    model_field.related_model, (getattr(r, model_field.attname) for r in history)
                )
    m2m_models = {name: Plan._meta.get_field(name).related_model for name in snapshots}
    for name, per_row in snapshots.items():
        for ids in per_row.values():
            labels.want(m2m_models[name], ids)
    labels.load()

    entries = _plan_entries(plan_rows, snapshots, m2m_models, labels)
    entries += _child_entries(
        Estate,
        ESTATE_HISTORY_FIELDS,
        estate_rows,
        labels,
        lambda row: _("Estate “%(name)s”") % {"name": row.name},
    )
    entries += _child_entries(
        CoFinancing,
        COMMITMENT_HISTORY_FIELDS,
        commitment_rows,
        labels,
        lambda row: (
            _("Co-financing: %(administration)s %(year)s")
            % {
                "administration": labels.get(Administration, row.administration_id),
                "year": row.year,
            }
        ),
    )
    entries += _child_entries(
        PlanStatusChange,
        STEP_HISTORY_FIELDS,
        step_rows,
        labels,
        lambda row: (
            _("Lifecycle step: %(status)s")
            % {"status": _display(PlanStatusChange, "to_status", row.to_status, labels)}
        ),
    )
    if since is not None:
        entries = [entry for entry in entries if entry.when >= since]
    for order, entry in enumerate(entries):
        entry.order = order
    entries.sort(key=lambda entry: (entry.when, entry.order), reverse=True)
    return entries


def _plan_entries(plan_rows, snapshots, m2m_models, labels) -> list[HistoryEntry]:
    entries = []
    previous = None
    for row in plan_rows:
        changes = _row_changes(Plan, PLAN_HISTORY_FIELDS, previous, row, labels)
        for name, per_row in snapshots.items():
            before = per_row.get(previous.history_id, set()) if previous else set()
            after = per_row[row.history_id]
            if before != after:
                model = m2m_models[name]
                changes.append(
                    Change(
                        _field_label(Plan, name),
                        added=_join(labels, model, after - before, empty=""),
                        removed=_join(labels, model, before - after, empty=""),
                    )
                )
        if changes or row.history_type == "-":
            entries.append(
                HistoryEntry(
                    row.history_date,
                    _who(row),
                    _("The plan"),
                    _action(row.history_type),
                    changes,
                    row.history_type,
                )
            )
        previous = row
    return entries


def _join(labels, model, ids, empty="–") -> str:
    if not ids:
        return empty
    return "; ".join(sorted(labels.get(model, pk) for pk in ids))


def _child_entries(model, fields, rows, labels, subject) -> list[HistoryEntry]:
    """Entries for estates, commitments or steps: each row diffed against the same object's last."""
    entries = []
    last: dict[int, object] = {}
    for row in rows:
        previous = last.get(row.id)
        last[row.id] = row
        changes = (
            [] if row.history_type == "-" else _row_changes(model, fields, previous, row, labels)
        )
        if changes or row.history_type == "-":
            entries.append(
                HistoryEntry(
                    row.history_date,
                    _who(row),
                    subject(row),
                    _action(row.history_type),
                    changes,
                    row.history_type,
                )
            )
    return entries


def plan_changes_since(*, plan: Plan, version: int, user) -> list[HistoryEntry]:
    """What others changed after the form showing ``version`` was loaded (newest first)."""
    first_newer = (
        Plan.history.filter(id=plan.pk, version__gt=version).order_by("history_date").first()
    )
    if first_newer is None:
        return []
    return plan_history(plan=plan, user=user, since=first_newer.history_date)


def plan_filter_choices() -> dict:
    """Querysets for the list filters (each evaluated once when the form renders)."""
    return {
        "lbf_period": LbfPeriod.objects.order_by("start_year"),
        "area": Area.objects.order_by("name"),
        "administration": Administration.objects.order_by("name"),
        "focus_area": FocusArea.objects.select_related("period").order_by(
            "period__start_year", "name"
        ),
    }


def plan_filter_options() -> dict:
    """The list filters' options as (id, name) rows, in the order of
    :func:`plan_filter_choices`; focus areas as (id, name, period name)."""
    return {
        "lbf_period": list(LbfPeriod.objects.order_by("start_year").values_list("pk", "name")),
        "area": list(Area.objects.order_by("name").values_list("pk", "name")),
        "administration": list(Administration.objects.order_by("name").values_list("pk", "name")),
        "focus_area": list(
            FocusArea.objects.order_by("period__start_year", "name").values_list(
                "pk", "name", "period__name"
            )
        ),
    }


def plan_list_page(
    *,
    filters: dict,
    sort: str,
    page_number,
    per_page: int,
    ids_only: bool = False,
    tenancies: bool = True,
) -> tuple:
    """One page of the plan list and the totals of the whole filtered set.

    With ``ids_only`` the page holds only the plans' ids, in the list's order (the slim
    first read of a list whose rows are fragments: :func:`plan_list_rows` reads the rest
    for the rows not cached)."""
    totals = plan_list_totals(filters=filters)
    rows = (
        plan_list_ids(filters=filters, sort=sort)
        if ids_only
        else plan_list(filters=filters, sort=sort)
    )
    paginator = Paginator(rows, per_page)
    paginator.count = totals["count"]  # the same filtered set: no COUNT query of its own
    return paginator.get_page(page_number), totals


def plan_list_ids(*, filters: dict, sort: str = DEFAULT_SORT) -> QuerySet:
    """The ids of :func:`plan_list`'s rows in the same order, and nothing else."""
    order = PLAN_SORTS.get(sort, PLAN_SORTS[DEFAULT_SORT])
    queryset = plans_filtered(filters=filters)
    if "status_rank" in order:
        queryset = queryset.annotate(status_rank=_status_rank())
    return queryset.order_by(*order, "pk").values_list("pk", flat=True)


def plan_list_rows(ids) -> dict[int, Plan]:
    """Plan id -> the row of :func:`plan_list` (its names and tenancies), for ``ids``."""
    return {plan.pk: plan for plan in plan_list(filters={}).filter(pk__in=list(ids))}


def plan_get_with_history(*, pk: int, user) -> tuple[Plan, list[HistoryEntry]]:
    plan = get_object_or_404(Plan.objects.select_related("lbf_period"), pk=pk)
    return plan, plan_history(plan=plan, user=user)
