"""Reads for the plan status page and its PDF report: a plan's whole story on one page.

The timeline is oldest first (the story as it happened; upcoming meetings last).
Agenda items go through ``cases.selectors`` (items on draft agendas never show;
a closed item outside the reader's committees shows only its number and
"Lukket punkt"), and the money facts come from ``helhedsplaner.cofinancing.selectors`` (the
25 % check is computed there, once). Everything runs in a fixed number of
queries whatever the amount of data.

The report and a page rendered in one piece read it all with :func:`plan_status_get`;
the status page rendered for the page cache reads it in parts (``plan_commitments``,
``plan_head``, ``plan_story``, ``granting_items``, ``timeline_items`` …), so that it can keep the
parts a write did not change as fragments (``helhedsplaner.status.views``).
"""

import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import (
    Case,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.models import AgendaItem, Attachment
from cases.selectors import (
    agenda_item_visibility,
    agenda_items_visible_to,
    mark_visibility,
    user_can_see_closed,
)
from committees.models import FollowUpGroupMeeting, Meeting
from committees.selectors import committee_ids_for_user
from core.roles import is_administrator
from core.templatetags.dk import date_text, dkk, mio

from ..cofinancing.selectors import (
    COMMITTED,
    add_money_facts,
    mark_items,
    plan_housing_total,
    plan_with_money_from,
)
from ..models import (
    CoFinancing,
    Estate,
    IndicatorValue,
    Plan,
    PlanStatusChange,
    PolicyGoal,
)
from . import charts

# A plan that is still running gets a warning when nothing has happened to it for this long.
STALE_AFTER_DAYS = 180
# Plans that have ended need no activity.
FINAL_STATUSES = (Plan.Status.CLOSED, Plan.Status.REJECTED, Plan.Status.WITHDRAWN)

KIND_ORDER = ("lifecycle", "agenda_item", "granted", "paid", "followup")
KIND_LABELS = {
    "lifecycle": gettext_noop("Lifecycle step"),
    "agenda_item": gettext_noop("Committee item"),
    "granted": gettext_noop("Commitment granted"),
    "paid": gettext_noop("Commitment paid"),
    "followup": gettext_noop("Follow-up group meeting"),
}


@dataclass
class TimelineEntry:
    """One dated event in the plan's story."""

    day: date
    kind: str  # one of KIND_ORDER
    year_only: bool = False
    upcoming: bool = False
    step: PlanStatusChange | None = None
    item: object = None
    commitments: list = field(default_factory=list)
    granting_item: object = None
    group_meeting: FollowUpGroupMeeting | None = None
    tiebreak: int = 0

    @property
    def kind_label(self) -> str:
        return _(KIND_LABELS[self.kind])  # one lookup per entry, not one per kind

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.commitments), Decimal(0))

    def sort_key(self):
        return (self.day, KIND_ORDER.index(self.kind), self.tiebreak)


# -- activity and staleness (shared with the dashboard) ---------------------------------------


def _local_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


@functools.cache
def _activity_queries() -> tuple:
    """The four queries of :func:`plans_last_activity` over every plan, built once (as
    :func:`_plan_rows`): building them cost more than running them for one plan, which
    every save does. Never evaluated themselves, only copied (``all``, ``filter``)."""
    items = Plan.agenda_items.through.objects.filter(agendaitem__meeting__isnull=False).exclude(
        agendaitem__meeting__status=Meeting.Status.DRAFT
    )
    granted = CoFinancing.objects.filter(
        status__in=COMMITTED, granted_by_item__meeting__isnull=False
    )
    latest = (
        (PlanStatusChange.objects, "date"),
        (items, "agendaitem__meeting__starts_at"),
        (granted, "granted_by_item__meeting__starts_at"),
        (Plan.follow_up_groups.through.objects, "followupgroup__meetings__date"),
    )
    return tuple(
        queryset.order_by()
        .values("plan_id")
        .annotate(last=Max(column))
        .values_list("plan_id", "last")
        for queryset, column in latest
    )


def plans_last_activity(*, plan_ids=None) -> dict[int, date]:
    """Plan id -> the date of the latest thing that happened to it (four queries).

    Counted: lifecycle steps, the meetings of its agenda items on published agendas
    (upcoming ones too: a plan on a coming agenda is not forgotten), the meetings whose
    decisions granted its commitments, and the meetings of its follow-up groups.
    """
    latest: dict[int, date] = {}
    for query in _activity_queries():
        rows = query.all() if plan_ids is None else query.filter(plan_id__in=plan_ids)
        for plan_id, value in rows:
            day = _local_date(value)
            if day is not None and (plan_id not in latest or day > latest[plan_id]):
                latest[plan_id] = day
    return latest


def plan_last_activity(plan: Plan, items, commitments, group_meetings) -> date | None:
    """What :func:`plans_last_activity` finds for one plan, from the rows its status page
    has read already (no query): its lifecycle steps, ``items`` (its agenda items on
    published agendas: every reader may know of those, so the list does not depend on
    the reader), its commitments with their granting items' meetings and its follow-up
    groups' meetings."""
    days = [step.date for step in plan.status_changes.all()]
    days += [_local_date(item.meeting.starts_at) for item in items]
    days += [
        _local_date(c.granted_by_item.meeting.starts_at)
        for c in commitments
        if c.status in COMMITTED
        and c.granted_by_item is not None
        and c.granted_by_item.meeting_id is not None
    ]
    days += [meeting.date for meeting in group_meetings]
    days = [day for day in days if day is not None]
    return max(days) if days else None


def activity_facts(plan: Plan, last_activity: date | None, today: date | None = None) -> dict:
    """Whether a plan is stale: still running and nothing recorded for STALE_AFTER_DAYS."""
    today = today or timezone.localdate()
    # Registering a plan records its first lifecycle step; only a plan imported without
    # any dated event falls back to the day it was entered.
    last = last_activity or _local_date(plan.created_at)
    stale = plan.status not in FINAL_STATUSES and last < today - timedelta(days=STALE_AFTER_DAYS)
    return {
        "last_activity": last,
        "stale": stale,
        "days_since": (today - last).days,
        "stale_after_days": STALE_AFTER_DAYS,
    }


# -- the status page -------------------------------------------------------------------------


def _plan_queryset(*, links: bool = True):
    """The plan with what the page and the report show (not the participants or the
    focus areas); with ``links``, its policy goals and follow-up groups as well."""
    queryset = plan_housing_total(
        Plan.objects.select_related(
            "housing_organisation", "area", "lbf_period", "lead_administration"
        )
    ).prefetch_related(
        Prefetch("estates", queryset=Estate.objects.order_by("name")),
        # Steps without who made them: no joined user.
        Prefetch("status_changes", queryset=PlanStatusChange.objects.order_by("date", "pk")),
    )
    if links:
        queryset = queryset.prefetch_related(*_link_prefetches())
    return queryset


def _link_prefetches() -> tuple:
    # Goals as "number. title": no joined policy.
    return (
        Prefetch("policy_goals", queryset=PolicyGoal.objects.order_by("policy", "number")),
        "follow_up_groups",
    )


def plan_links_get(plan: Plan) -> Plan:
    """Read ``plan``'s policy goals and follow-up groups (the goals section) onto it."""
    prefetch_related_objects([plan], *_link_prefetches())
    return plan


def plan_indicator_charts(plan: Plan) -> list[charts.Chart]:
    """The indicators section's charts: the plan's area against the city total."""
    values = list(
        IndicatorValue.objects.filter(Q(area_id=plan.area_id) | Q(area__is_city_total=True))
        .filter(value__isnull=False)  # a figure the source did not publish is not drawn
        .order_by("indicator__name", "year")
        .values_list(*INDICATOR_COLUMNS)
    )
    return indicator_charts(plan, values)


def _status_dates(history_rows) -> dict[int, dict[str, datetime]]:
    """Commitment id -> when its history shows it became granted and paid.

    Only a recorded change counts (a row whose previous row had another status); a
    commitment entered already granted or paid has no such date.
    """
    found: dict[int, dict[str, datetime]] = defaultdict(dict)
    for commitment_id, before, status, when in history_rows:
        if status in COMMITTED and before not in COMMITTED:
            found[commitment_id].setdefault("granted", when)
        if status == CoFinancing.Status.PAID:
            found[commitment_id].setdefault("paid", when)
    return found


def commitment_entries(commitments, history_rows) -> list[TimelineEntry]:
    """Granted and paid commitments, grouped by day and granting decision.

    The date is the one the commitment's history records for the change; else, for a
    grant, the date of the meeting whose decision granted it; else only the year.
    """
    dates = _status_dates(history_rows)
    grouped: dict[tuple, TimelineEntry] = {}
    for commitment in commitments:
        if commitment.status not in COMMITTED:
            continue
        recorded = dates.get(commitment.pk, {})
        item = commitment.granted_by_item
        if "granted" in recorded:
            day, year_only = _local_date(recorded["granted"]), False
        elif item is not None and item.meeting_id is not None:
            day, year_only = _local_date(item.meeting.starts_at), False
        else:
            day, year_only = date(commitment.year, 1, 1), True
        key = ("granted", day, year_only, commitment.granted_by_item_id)
        entry = grouped.setdefault(
            key, TimelineEntry(day, "granted", year_only=year_only, granting_item=item)
        )
        entry.commitments.append(commitment)
        if commitment.status == CoFinancing.Status.PAID:
            if "paid" in recorded:
                day, year_only = _local_date(recorded["paid"]), False
            else:
                # Paid some time in the year: placed after what is dated within it.
                day, year_only = date(commitment.year, 12, 31), True
            key = ("paid", day, year_only, None)
            grouped.setdefault(key, TimelineEntry(day, "paid", year_only=year_only))
            grouped[key].commitments.append(commitment)
    return list(grouped.values())


def _story_start(plan: Plan) -> date | None:
    first_step = min((step.date for step in plan.status_changes.all()), default=None)
    return story_start(first_step, plan.period_start)


def step_entries(plan: Plan) -> list[TimelineEntry]:
    return [
        TimelineEntry(step.date, "lifecycle", step=step, tiebreak=step.pk)
        for step in plan.status_changes.all()
    ]


def item_entries(items, today: date) -> list[TimelineEntry]:
    entries = []
    for item in items:
        day = _local_date(item.meeting.starts_at)
        entries.append(
            TimelineEntry(
                day, "agenda_item", item=item, upcoming=day > today, tiebreak=item.number or 0
            )
        )
    return entries


def followup_entries(plan: Plan, group_meetings, today: date) -> list[TimelineEntry]:
    """The follow-up groups' meetings from the start of the plan's story on."""
    start = _story_start(plan)
    return [
        TimelineEntry(
            meeting.date,
            "followup",
            group_meeting=meeting,
            upcoming=meeting.date > today,
            tiebreak=meeting.pk,
        )
        for meeting in group_meetings
        if start is None or meeting.date >= start
    ]


def plan_timeline(plan: Plan, items, commitments, history_rows, group_meetings) -> list:
    """Every dated event of the plan, oldest first; meetings still to come are marked."""
    today = timezone.localdate()
    entries = step_entries(plan) + item_entries(items, today)
    entries += commitment_entries(commitments, history_rows)
    entries += followup_entries(plan, group_meetings, today)
    entries.sort(key=TimelineEntry.sort_key)
    return entries


def _last_updated(plan, items, commitments, group_meetings) -> datetime:
    moments = [plan.updated_at]
    moments += [estate.updated_at for estate in plan.estates.all()]
    moments += [step.updated_at for step in plan.status_changes.all()]
    moments += [commitment.updated_at for commitment in commitments]
    moments += [meeting.updated_at for meeting in group_meetings]
    for item in items:
        moments.append(item.updated_at)
        decision = getattr(item, "decision", None)
        if decision is not None:
            moments.append(decision.updated_at)
    return max(moments)


# -- charts ----------------------------------------------------------------------------------


def money_chart(plan: Plan, commitments) -> charts.Chart:
    """Budget, LBF grant, housing contribution and municipal co-financing (committed, paid)."""
    per_administration: dict[int, dict] = {}
    for commitment in commitments:
        if commitment.status not in COMMITTED:
            continue
        row = per_administration.setdefault(
            commitment.administration_id,
            {"name": commitment.administration.name, "committed": Decimal(0), "paid": Decimal(0)},
        )
        row["committed"] += commitment.amount
        if commitment.status == CoFinancing.Status.PAID:
            row["paid"] += commitment.amount
    series = [
        charts.Series(_("Amount"), "dark"),
        charts.Series(_("Granted (incl. paid)"), "solid"),
        charts.Series(_("Paid"), "hatched"),
    ]
    groups = [
        charts.BarGroup(_("Total budget"), [(0, plan.budget)]),
        charts.BarGroup(_("LBF grant"), [(0, plan.lbf_grant)]),
        charts.BarGroup(_("Housing organisation's contribution"), [(0, plan.housing_total)]),
    ]
    rows = [
        [_("Total budget"), dkk(plan.budget), ""],
        [_("LBF grant"), dkk(plan.lbf_grant), ""],
        [_("Housing organisation's contribution"), dkk(plan.housing_total), ""],
    ]
    for row in sorted(per_administration.values(), key=lambda r: r["name"]):
        groups.append(charts.BarGroup(row["name"], [(1, row["committed"]), (2, row["paid"])]))
        rows.append([row["name"], dkk(row["committed"]), dkk(row["paid"])])
    groups.append(
        charts.BarGroup(
            _("Municipal co-financing in total"),
            [(1, plan.municipal_committed), (2, plan.municipal_paid)],
        )
    )
    rows.append(
        [
            _("Municipal co-financing in total"),
            dkk(plan.municipal_committed),
            dkk(plan.municipal_paid),
        ]
    )
    description = _(
        "Budget %(budget)s, LBF grant %(lbf)s, the housing organisation's contribution "
        "%(housing)s, municipal co-financing granted %(committed)s, of which paid %(paid)s."
    ) % {
        "budget": mio(plan.budget),
        "lbf": mio(plan.lbf_grant),
        "housing": mio(plan.housing_total),
        "committed": mio(plan.municipal_committed),
        "paid": mio(plan.municipal_paid),
    }
    return charts.bar_chart(
        chart_id=f"money-{plan.pk}",
        title=_("Money: budget, LBF grant and co-financing for %(plan)s") % {"plan": plan.name},
        description=description,
        series=series,
        groups=groups,
        value_label=mio,
        columns=[_("Item"), _("Amount or granted (incl. paid)"), _("Of which paid")],
        rows=rows,
    )


def _indicator_number(value, unit: str) -> str:
    text = f"{Decimal(value):.1f}".replace(".", ",")
    return f"{text} {unit}".strip()


@dataclass(frozen=True)
class IndicatorFacts:
    pk: int
    name: str
    unit: str
    higher_is_better: bool


def indicator_charts(plan: Plan, values) -> list[charts.Chart]:
    """One line chart per indicator: the plan's area against the city average.

    ``values``: rows of :data:`INDICATOR_COLUMNS` (the area's and the city total's values).
    """
    by_indicator: dict[int, dict] = {}
    city_name = _("City average")
    for indicator_id, name, unit, better, area_id, area_name, city_total, year, value in values:
        entry = by_indicator.get(indicator_id)
        if entry is None:
            indicator = IndicatorFacts(indicator_id, name, unit, better)
            entry = by_indicator[indicator_id] = {"indicator": indicator, "area": {}, "city": {}}
        if area_id == plan.area_id:
            entry["area"][year] = value
        elif city_total:
            entry["city"][year] = value
            city_name = _("%(area)s (average)") % {"area": area_name}
    band = None
    if plan.period_start and plan.period_end:
        band = (plan.period_start.year, plan.period_end.year, _("Plan period"))
    result = []
    for entry in sorted(by_indicator.values(), key=lambda e: e["indicator"].name):
        indicator, area, city = entry["indicator"], entry["area"], entry["city"]
        if not area:
            continue
        unit = indicator.unit

        def ends(per_year, name, unit=unit):
            first, last = min(per_year), max(per_year)
            return _("%(name)s: %(first)s in %(first_year)s and %(last)s in %(last_year)s.") % {
                "name": name,
                "first": _indicator_number(per_year[first], unit),
                "first_year": first,
                "last": _indicator_number(per_year[last], unit),
                "last_year": last,
            }

        description = ends(area, plan.area.name)
        if city:
            description += " " + ends(city, city_name)
        description += " " + (_("Higher is better.") if indicator.higher_is_better else "")
        years = sorted(set(area) | set(city))
        result.append(
            charts.line_chart(
                chart_id=f"indicator-{plan.pk}-{indicator.pk}",
                title=indicator.name,
                description=description.strip(),
                series=[
                    charts.Series(plan.area.name, "solid"),
                    charts.Series(_("City average"), "dashed"),
                ],
                values=[area, city],
                unit=unit,
                band=band,
                columns=[_("Year"), plan.area.name, city_name],
                rows=[
                    [
                        str(year),
                        _indicator_number(area[year], unit) if year in area else "–",
                        _indicator_number(city[year], unit) if year in city else "–",
                    ]
                    for year in years
                ],
            )
        )
    return result


# -- the selector ----------------------------------------------------------------------------

# The columns the status page and the report use of each row they read (``only``): the
# first rendering builds no more than it shows. A column left out here and used after
# all would cost a query per row; tests/test_query_counts.py would see it.
TIMELINE_ITEM_COLUMNS = (
    "number",
    "title",
    "is_closed",
    "updated_at",
    "case__number",
    "meeting__starts_at",
    "meeting__committee__name",
    "decision__outcome",
    "decision__text",
    "decision__updated_at",
)
TIMELINE_COMMITMENT_COLUMNS = (
    "year",
    "amount",
    "status",
    "updated_at",
    "administration__name",
    "pool__name",
    "granted_by_item__number",
    "granted_by_item__is_closed",
    "granted_by_item__meeting__starts_at",
    "granted_by_item__meeting__committee__name",
)
INDICATOR_COLUMNS = (
    "indicator_id",
    "indicator__name",
    "indicator__unit",
    "indicator__higher_is_better",
    "area_id",
    "area__name",
    "area__is_city_total",
    "year",
    "value",
)


def _timeline_items(user, queryset) -> list:
    """The plan's agenda items on published agendas, as the story shows them."""
    return mark_visibility(
        user,
        agenda_items_visible_to(
            user,
            queryset.filter(meeting__isnull=False).exclude(meeting__status=Meeting.Status.DRAFT),
        )
        .select_related("meeting__committee", "case", "decision")
        # The columns the story shows (not the items' sections: a page of text each).
        .only(*TIMELINE_ITEM_COLUMNS)
        # The status page lists no attachments: an empty prefetch keeps mark_visibility query-free.
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.none()))
        .order_by("meeting__starts_at", "number"),
    )


@dataclass
class _Named:
    name: str


@dataclass
class _GrantingMeeting:
    starts_at: datetime
    committee_id: int
    committee: _Named


@dataclass
class GrantingItem:
    """What the story shows of the agenda item whose decision granted a commitment."""

    pk: int
    number: int | None
    is_closed: bool
    meeting_id: int | None
    meeting: _GrantingMeeting | None
    shown: str = "open"  # as cofinancing.selectors.mark_items sets it

    def as_json(self) -> list:
        meeting = self.meeting
        return [
            self.pk,
            self.number,
            self.is_closed,
            self.meeting_id,
            meeting.starts_at.isoformat() if meeting is not None else None,
            meeting.committee_id if meeting is not None else None,
            meeting.committee.name if meeting is not None else None,
            self.shown,
        ]

    @classmethod
    def from_json(cls, values: list) -> "GrantingItem":
        pk, number, is_closed, meeting_id, starts_at, committee_id, committee_name, shown = values
        meeting = (
            _GrantingMeeting(
                datetime.fromisoformat(starts_at), committee_id, _Named(committee_name)
            )
            if meeting_id is not None
            else None
        )
        return cls(pk, number, is_closed, meeting_id, meeting, shown)


@dataclass
class StoryCommitment:
    """A commitment as the story and the money section show it (read as values: no model
    instances for the plan's 40 commitments and their joined rows)."""

    pk: int
    year: int
    amount: Decimal
    status: str
    updated_at: datetime
    administration_id: int
    administration: _Named
    pool: _Named | None
    granted_by_item_id: int | None
    granted_by_item: GrantingItem | None

    @classmethod
    def from_values(cls, values) -> "StoryCommitment":
        """From its COMMITMENT_VALUES (the granting item left to be set)."""
        pk, year, amount, status, updated_at, administration_id, administration, pool, item = values
        return cls(
            pk,
            year,
            amount,
            status,
            updated_at,
            administration_id,
            _Named(administration),
            _Named(pool) if pool is not None else None,
            item,
            None,
        )


COMMITMENT_VALUES = (
    "pk",
    "year",
    "amount",
    "status",
    "updated_at",
    "administration_id",
    "administration__name",
    "pool__name",
    "granted_by_item_id",
)


def commitments_as_json(commitments, history_rows) -> str:
    """:func:`plan_commitments`' answer as JSON (the status page keeps it under
    ``plan-commitments:N``); :func:`commitments_from_json` reads it back."""
    return json.dumps(
        {
            "commitments": [
                [
                    c.pk,
                    c.year,
                    str(c.amount),
                    c.status,
                    c.updated_at.isoformat(),
                    c.administration_id,
                    c.administration.name,
                    c.pool.name if c.pool is not None else None,
                    c.granted_by_item_id,
                ]
                for c in commitments
            ],
            "status_changes": [
                [pk, before, status, when.isoformat()] for pk, before, status, when in history_rows
            ],
        }
    )


def commitments_from_json(text: str) -> tuple[list, list]:
    data = json.loads(text)
    commitments = []
    for pk, year, amount, status, updated_at, *rest in data["commitments"]:
        values = (pk, year, Decimal(amount), status, datetime.fromisoformat(updated_at), *rest)
        commitments.append(StoryCommitment.from_values(values))
    history_rows = [
        (pk, before, status, datetime.fromisoformat(when))
        for pk, before, status, when in data["status_changes"]
    ]
    return commitments, history_rows


@functools.cache
def _commitment_rows():
    """The query of :func:`plan_commitments` for every plan, built once (as
    :func:`_plan_rows`)."""
    return CoFinancing.objects.order_by("year", "administration__name", "pk").values_list(
        *COMMITMENT_VALUES
    )


def plan_commitments(plan_pk: int) -> tuple[list, list]:
    """The plan's commitments as the story and the money section show them, and their
    status history; their granting items are left to :func:`granting_items` (the status
    page keeps those under the items' own scopes, so it reads on every rendering only
    the commitments' own columns and the names beside them). The money facts are left
    to :func:`plan_money`."""
    commitments = [
        StoryCommitment.from_values(values) for values in _commitment_rows().filter(plan_id=plan_pk)
    ]
    return commitments, status_changes(plan_pk)


GRANTING_ITEM_VALUES = (
    "pk",
    "number",
    "is_closed",
    "meeting_id",
    "meeting__starts_at",
    "meeting__committee_id",
    "meeting__committee__name",
)


def granting_items(user, ids) -> dict[int, GrantingItem]:
    """The agenda items ``ids`` (whose decisions granted commitments) as the story shows
    them, marked for the reader as ``mark_items`` does, in one query; by id."""
    visible = agenda_item_visibility(user)
    rows = (
        AgendaItem.objects.filter(pk__in=list(ids))
        .annotate(
            granting_visible=Value(True)
            if visible is None
            else Case(When(visible, then=Value(True)), default=Value(False))
        )
        .values_list(*GRANTING_ITEM_VALUES, "granting_visible")
    )
    if not is_administrator(user):
        committee_ids_for_user(user)  # read with the roles; cached for user_can_see_closed
    items = {}
    for (
        pk,
        number,
        is_closed,
        meeting_id,
        starts_at,
        committee_id,
        committee_name,
        granting_visible,
    ) in rows:
        meeting = (
            _GrantingMeeting(starts_at, committee_id, _Named(committee_name))
            if meeting_id is not None
            else None
        )
        item = GrantingItem(pk, number, is_closed, meeting_id, meeting)
        if not granting_visible:
            item.shown = "hidden"
        elif is_closed and not user_can_see_closed(user, committee_id):
            item.shown = "closed"
        items[pk] = item
    return items


def with_granting_items(commitments, items: dict[int, GrantingItem]) -> list:
    """``commitments`` with their granting items from ``items`` (:func:`granting_items`)."""
    for commitment in commitments:
        if commitment.granted_by_item_id is not None:
            commitment.granted_by_item = items.get(commitment.granted_by_item_id)
    return commitments


def _with_money_and_history(plan: Plan, commitments) -> tuple[list, list]:
    # The money sums from the commitments just read rather than a subquery per status.
    add_money_facts(plan_with_money_from(plan, commitments))
    return commitments, status_changes(plan.pk)


def plan_money(plan: Plan, commitments) -> Plan:
    """The money facts on ``plan`` (``add_money_facts``) from ``commitments`` (all of the
    plan's, read already) and its ``housing_total`` (set already: the status page keeps
    it with the story)."""
    return add_money_facts(plan_with_money_from(plan, commitments))


# Each history row beside the commitment's previous one (a window), keeping the rows that
# change its status. Written out: the ORM's form of it (a window filtered in a wrapping
# query) costs three times as long to build as the database takes to answer.
STATUS_CHANGES_SQL = (
    "SELECT history_id, id, before, status, history_date FROM ("  # noqa: S608 (fixed table)
    " SELECT history_id, id, status, history_date,"
    " LAG(status) OVER (PARTITION BY id ORDER BY history_id) AS before"
    " FROM {table} WHERE plan_id = %s"
    ") changes WHERE before IS NOT NULL AND before <> status ORDER BY history_id"
)


def status_changes(plan_pk: int) -> list[tuple]:
    """(commitment id, status before, status after, when) for each recorded change of a
    commitment's status, in the order recorded: the saves that kept the status (a new
    note, say) are not read at all. Through a cursor (``raw()`` would build a historical
    model instance per row, and costs a third of a millisecond even for none)."""
    history = CoFinancing.history.model
    with connection.cursor() as cursor:
        cursor.execute(STATUS_CHANGES_SQL.format(table=history._meta.db_table), [plan_pk])
        rows = cursor.fetchall()
    return [
        (commitment_id, before, status, _aware(when))
        for _history_id, commitment_id, before, status, when in rows
    ]


def _aware(value) -> datetime:
    """A datetime read through a cursor as the ORM returns it (SQLite gives it naive, or
    as text where it cannot tell the column's type)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, connection.timezone)
    return value


def _commitment_models(plan: Plan, user) -> tuple[list, list]:
    """:func:`plan_commitments` as model instances (the report and the page read in one
    piece, whose context tests look into)."""
    commitments = list(
        CoFinancing.objects.filter(plan=plan)
        .select_related("administration", "pool", "granted_by_item__meeting__committee")
        .only(*TIMELINE_COMMITMENT_COLUMNS)
        .order_by("year", "administration__name", "pk")
    )
    mark_items(user, [c.granted_by_item for c in commitments])
    return _with_money_and_history(plan, commitments)


def _group_meetings(groups) -> list:
    return list(
        FollowUpGroupMeeting.objects.filter(group_id__in=groups)
        .select_related("group")
        .order_by("date", "pk")
    )


def plan_status_get(*, pk: int, user) -> dict:
    """Everything the status page and the PDF report show, in a fixed number of queries."""
    plan = get_object_or_404(_plan_queryset(), pk=pk)
    plan.tenancies_total = sum(estate.tenancies for estate in plan.estates.all())
    items = _timeline_items(user, plan.agenda_items.all())
    commitments, history_rows = _commitment_models(plan, user)
    # No query at all for a plan that no group follows.
    group_meetings = _group_meetings([group.pk for group in plan.follow_up_groups.all()])
    timeline = plan_timeline(plan, items, commitments, history_rows, group_meetings)
    activity = activity_facts(plan, plan_last_activity(plan, items, commitments, group_meetings))
    return {
        "plan": plan,
        "timeline": timeline,
        "commitments": commitments,
        "money_chart": money_chart(plan, commitments),
        "indicator_charts": plan_indicator_charts(plan),
        "last_updated": _last_updated(plan, items, commitments, group_meetings),
        **activity,
    }


# -- the status page in parts (its fragments: helhedsplaner.status.views) -------------------

# What the page needs of the plan's row beside its fragments: its heading, the permission
# checks (lead administration), the money and what names the fragments. Read afresh on
# every rendering (one row, :func:`plan_row`), as attnames in the order of the model's
# fields (``Model.from_db``).
HEAD_FIELDS = tuple(
    f.attname
    for f in Plan._meta.concrete_fields
    if f.attname
    in {
        "id",
        "name",
        "status",
        "is_demo",
        "lead_administration_id",
        "area_id",
        "budget",
        "lbf_grant",
        "period_start",
        "period_end",
        "created_at",
    }
)
# What the headline's facts show of the row besides HEAD_FIELDS (by the names of these).
FACTS_FIELDS = ("housing_organisation_id", "lbf_period_id")
# The headline's facts: the columns its fragment is named by (``facts:N:<digest>``).
FACTS_KEY_FIELDS = (
    "status",
    "period_start",
    "period_end",
    "lead_administration_id",
    "area_id",
    *FACTS_FIELDS,
)


@functools.cache
def _plan_rows():
    """The query of :func:`plan_row` for every plan, built once: building it (its
    subquery, its values) costs more than the database takes to answer it. Never
    evaluated itself, only filtered (a copy each time)."""
    latest = (
        CoFinancing.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(latest=Max("updated_at"))
        .values("latest")
    )
    return (
        plan_housing_total(Plan.objects.order_by())
        .annotate(commitments_updated=Subquery(latest))
        .values(*HEAD_FIELDS, *FACTS_FIELDS, "updated_at", "housing_total", "commitments_updated")
    )


def plan_row(*, pk: int) -> dict | None:
    """What the status page reads of the plan's row on every rendering (one query):
    HEAD_FIELDS, FACTS_FIELDS, ``updated_at``, the sum of the housing organisation's
    contributions (``housing_total``) and the latest change of its commitments
    (``commitments_updated``, None without any); None when there is no such plan."""
    rows = list(_plan_rows().filter(pk=pk))
    return rows[0] if rows else None


def plan_from_row(row: dict) -> Plan:
    """The plan of :func:`plan_row` (HEAD_FIELDS; the other fields deferred), with its
    ``housing_total``."""
    plan = Plan.from_db(DEFAULT_DB_ALIAS, list(HEAD_FIELDS), [row[name] for name in HEAD_FIELDS])
    plan.housing_total = row["housing_total"]
    return plan


def plan_head(*, pk: int) -> Plan:
    """The plan's row with what the headline shows of it (its estates and their
    tenancies, the housing organisation's contributions' sum), for the status page's
    headline fragment (``facts:N:<digest>``); 404 if there is no such plan."""
    queryset = plan_housing_total(
        Plan.objects.select_related(
            "housing_organisation", "area", "lbf_period", "lead_administration"
        )
    ).prefetch_related(Prefetch("estates", queryset=Estate.objects.order_by("name")))
    plan = get_object_or_404(queryset, pk=pk)
    plan.tenancies_total = sum(estate.tenancies for estate in plan.estates.all())
    return plan


def plan_story(*, pk: int) -> dict:
    """The plan's story without its items and commitments: the lifecycle steps, the
    follow-up groups' meetings (all of them: which of them are from before the story
    starts depends on the plan's row, :func:`story_start`), which agenda items it has,
    and the latest change and the latest activity among them. Everything the status page
    keeps under ``plan-story:N``; nothing of the plan's own row."""
    steps = list(PlanStatusChange.objects.filter(plan_id=pk).order_by("date", "pk"))
    followed = Plan.follow_up_groups.through.objects.filter(plan_id=pk)
    group_meetings = _group_meetings(followed.values("followupgroup_id"))
    today = timezone.localdate()
    updated = [step.updated_at for step in steps] + [m.updated_at for m in group_meetings]
    activity = [step.date for step in steps] + [meeting.date for meeting in group_meetings]
    activity = [day for day in activity if day is not None]
    return {
        "steps": [
            TimelineEntry(step.date, "lifecycle", step=step, tiebreak=step.pk) for step in steps
        ],
        "followups": [
            TimelineEntry(
                meeting.date,
                "followup",
                group_meeting=meeting,
                upcoming=meeting.date > today,
                tiebreak=meeting.pk,
            )
            for meeting in group_meetings
        ],
        "first_step": min((step.date for step in steps), default=None),
        "updated": max(updated, default=None),
        "activity": max(activity, default=None),
        # Which agenda items it has (whatever their agenda): its links raise plan-story:N.
        "item_ids": sorted(
            Plan.agenda_items.through.objects.filter(plan_id=pk).values_list(
                "agendaitem_id", flat=True
            )
        ),
    }


def story_start(first_step: date | None, period_start: date | None) -> date | None:
    """Where the story starts: its first lifecycle step or the plan period's start,
    whichever is earlier (:func:`followup_entries` leaves out the meetings before it)."""
    days = [day for day in (first_step, period_start) if day is not None]
    return min(days) if days else None


def timeline_items(user, ids) -> list:
    """The agenda items ``ids`` that the story shows (those on published agendas)."""
    return _timeline_items(user, AgendaItem.objects.filter(pk__in=list(ids)))


def item_updated(item) -> datetime:
    decision = getattr(item, "decision", None)
    return max(item.updated_at, decision.updated_at) if decision is not None else item.updated_at


def commitment_updated_and_activity(commitments) -> tuple[datetime | None, date | None]:
    """The latest change among ``commitments`` and the latest meeting that granted one."""
    updated = [commitment.updated_at for commitment in commitments]
    days = [
        _local_date(c.granted_by_item.meeting.starts_at)
        for c in commitments
        if c.status in COMMITTED
        and c.granted_by_item is not None
        and c.granted_by_item.meeting_id is not None
    ]
    return (max(updated) if updated else None), (max(days) if days else None)


def status_report_title(plan: Plan) -> str:
    return _("Status report – %(plan)s") % {"plan": plan.name}


def status_report_date() -> str:
    return date_text(timezone.localdate(), "j. F Y")
