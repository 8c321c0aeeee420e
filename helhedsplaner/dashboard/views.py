"""The dashboard: the front page for everybody with a role.

The page is shared (``core.pagecache.shared_page``, scope ``all``: every write reaches
the front page), and its sections are fragments (``core.fragments``), each kept under
the scopes of what it shows, so that the first reader after a write renders only the
sections the write changed, and a write that changes none of them (a commitment's note)
costs the page around them:

- ``intro``: for a user without a role, the note that says so (else nothing). It
  depends on the reader's permissions only, which the reader key holds: no scope.
- ``figures`` (totals, plans needing attention) and ``tables`` (plans by status and by
  the areas with the most plans; every area on a page of its own, so that the front
  page does not grow with them): the plans' stored figures, ``figures.SCOPE``, raised
  whenever they change;
  names of areas are reference data (``ref``, in every key), the plans' names and
  columns that the lists show are part of the stored summary; "stale" depends on the
  day, which is in every key.
- ``queues``, ``upcoming`` and ``decisions``: agenda items, their cases, meetings,
  decisions and the plans named on them: ``agenda``, raised by any change to what
  agendas show (``core.pagecache.AGENDA_MODELS``). Which meetings are coming depends on
  the time of day: the page's ``vary`` (when the next meeting starts) is in every key.
"""

import hashlib

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from committees.models import Meeting
from core import pagecache
from core.fragments import cached_fragments
from core.pagecache import AGENDA, shared_page

from ..plans.views import VIEW_PLAN
from . import figures, selectors

TEMPLATE = "helhedsplaner/dashboard/sections/{}.html"
# The sections in the order the page shows them, with the scopes each is kept under.
SECTIONS = {
    "intro": (),
    "queues": (AGENDA,),
    "figures": (figures.SCOPE,),
    "upcoming": (AGENDA,),
    "decisions": (AGENDA,),
    "tables": (figures.SCOPE,),
}


# agenda version -> the next meeting's start as last read (None: no meeting to come).
_next_meetings = pagecache.local_memo()


def _next_meeting_start(request) -> str:
    """The dashboard splits meetings into coming and past at this moment, so its page
    holds only until the next meeting starts. Kept in the process for the ``agenda``
    version read with the page's (a change of any meeting raises it) until that
    meeting has started: the front page asks the database for it once per change."""
    version = request.shared_page_versions[AGENDA]
    now = timezone.now()
    if version in _next_meetings:
        start = _next_meetings[version]
        if start is None or start >= now:
            return start.isoformat() if start else "none"
    start = (
        Meeting.objects.filter(starts_at__gte=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    _next_meetings.clear()
    _next_meetings[version] = start
    return start.isoformat() if start else "none"


def _attention_html(request, attention: dict) -> str:
    """The lists of plans needing attention, kept by what they show (the plans' ids,
    names and the figure each list shows, the counts): a write that changes the totals,
    not the lists (a plan's budget, mostly), renders the totals again and not the lists."""
    shown = [
        (name, attention[f"{name}_count"])
        + tuple((plan.pk, plan.name, str(getattr(plan, SHOWN[name]))) for plan in attention[name])
        for name in ATTENTION_LISTS
    ]
    part = hashlib.sha256(repr((attention["stale_after_days"], shown)).encode()).hexdigest()
    html = cached_fragments(
        request,
        "dashboard-attention",
        {part: ()},
        lambda _parts: {
            part: render_to_string(TEMPLATE.format("attention"), {"attention": attention})
        },
    )
    return html[part]


ATTENTION_LISTS = ("stale", "over_budget", "missing_cofinancing")
# What each list shows of a plan besides its name (dashboard_tables._NOTES): only that
# names the list, so that a plan quiet for long whose budget changes (its amount over
# budget, shown by another list) leaves the lists as they were.
SHOWN = {"stale": "active_on", "over_budget": "over_by", "missing_cofinancing": "local_missing"}


def _contexts(request, parts) -> dict[str, dict]:
    """What each of ``parts`` shows, read only for those parts."""
    user = request.user
    contexts = {}
    if {"figures", "tables"} & set(parts):
        shared = selectors.shared_figures()
        totals = selectors.plan_totals(shared)
        if "figures" in parts:
            attention = selectors.plans_needing_attention(shared)
            contexts["figures"] = {
                "totals": totals,
                "attention": attention,
                "attention_html": _attention_html(request, attention),
            }
        if "tables" in parts:
            areas = selectors.front_areas(shared)
            contexts["tables"] = {
                "totals": totals,
                "by_status": selectors.plans_by_status(shared),
                "by_area": areas["rows"],
                "other_areas": areas["other"],
            }
    if "queues" in parts:
        contexts["queues"] = {"queues": selectors.work_queues(user=user)}
    if "upcoming" in parts:
        contexts["upcoming"] = {"upcoming": selectors.upcoming_meetings(user=user)}
    if "decisions" in parts:
        contexts["decisions"] = {"decisions": selectors.recent_decisions(user=user)}
    return contexts


def _render_sections(request, parts) -> dict[str, str]:
    """The HTML of ``parts``; for a user without a role (no read permission) the note
    in place of the intro and nothing else."""
    if not request.user.has_perm(VIEW_PLAN):
        return {
            part: render_to_string(TEMPLATE.format("no_role")) if part == "intro" else ""
            for part in parts
        }
    contexts = _contexts(request, parts)
    return {
        part: "" if part == "intro" else render_to_string(TEMPLATE.format(part), contexts[part])
        for part in parts
    }


@shared_page(scopes=lambda _request: [figures.SCOPE])
@require_safe
@permission_required(VIEW_PLAN, raise_exception=True)
def plans_by_area(request):
    """Every area with plans: the front page lists those with the most plans only."""
    shared = selectors.shared_figures(areas=True)
    return render(
        request,
        "helhedsplaner/dashboard/areas.html",
        {"by_area": selectors.plans_by_area(shared), "totals": selectors.plan_totals(shared)},
    )


@shared_page(vary=_next_meeting_start, ahead=[AGENDA, figures.SCOPE])
@require_safe
def dashboard(request):
    """The front page. Users without a role yet (no read permission) get a short note."""
    sections = cached_fragments(
        request, "dashboard", SECTIONS, lambda parts: _render_sections(request, parts)
    )
    return render(request, "helhedsplaner/dashboard/dashboard.html", {"sections": sections})
