"""The plan status page and its PDF report: read-only pages.

Reading a plan needs ``helhedsplaner.view_plan`` (all four roles). Editing links
on these pages appear only for users with the matching change permissions; the
edit views themselves check again (a direct POST without them gets 403).
"""

import hashlib
import json
from datetime import date, datetime

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from cases import rendering
from cases.cachescopes import item_facts_scope
from cases.pdf_views import stored_pdf
from core.fragments import cached_fragments
from core.pagecache import plan_scope, shared_page

from ..cachescopes import (
    CITY_INDICATORS,
    area_scope,
    plan_commitments_scope,
    plan_estates_scope,
    plan_facts_scope,
    plan_links_scope,
    plan_story_scope,
)
from ..indicators.views import EDIT_INDICATORS
from ..models import Plan
from ..plans.views import VIEW_PLAN
from . import selectors
from .selectors import KIND_ORDER

ADD_COMMITMENT = "helhedsplaner.add_cofinancing"
# The kind in the keys of the page's fragments (core.fragments): a new one whenever what
# a fragment holds changes shape, so that a new release never reads an old one's.
FRAGMENTS = "plan-status-6"


def _may(user, plan) -> dict:
    """What the page offers, asked of the policy layer (helhedsplaner/rules.py) for this plan."""
    return {
        "may_edit": user.has_perm("helhedsplaner.edit_plan", plan),
        "may_move": user.has_perm("helhedsplaner.move_plan", plan),
        "may_edit_indicators": user.has_perms(EDIT_INDICATORS),
        "may_add_commitment": user.has_perm("helhedsplaner.create_commitment"),
    }


def _fragments_kept(request) -> bool:
    """Whether this rendering keeps fragments (``core.fragments``); otherwise the page is
    read and rendered in one piece, as the report is."""
    return bool(getattr(request, "render_shared_page", False)) and (
        getattr(request, "shared_page_key", None) is not None
    )


def _render(template: str, context: dict) -> str:
    return get_template(f"helhedsplaner/status/partials/{template}.html").render(context)


def _entry_html(entry) -> str:
    return _render("timeline_entry", {"entry": entry})


def _entry_key(entry) -> tuple:
    return (entry.day.isoformat(), KIND_ORDER.index(entry.kind), entry.tiebreak)


def _grant_part(entry) -> str:
    """A granted or paid entry of the story, named by everything it shows: kept under no
    scope of its own, it is rendered again only when one of its figures changes."""
    item = entry.granting_item if entry.kind == "granted" else None
    shown = (
        entry.kind,
        entry.day.isoformat(),
        entry.year_only,
        [
            (c.administration.name, c.year, str(c.amount), c.pool.name if c.pool else None)
            for c in entry.commitments
        ],
        (
            item.pk,  # (entries are grouped by their granting item)
            item.shown,
            item.meeting.committee.name if item.meeting_id else None,
            item.meeting.starts_at.isoformat() if item.meeting_id else None,
            item.number,
        )
        if item is not None
        else None,
    )
    return "grant:" + _digest(shown)


def _digest(shown) -> str:
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


def _item_entries(user, ids) -> dict:
    """The story's entries of the agenda items ``ids`` as JSON fragments: each with its
    place in the story and its latest change and activity ("null": not in the story)."""
    today = timezone.localdate()
    shown = {item.pk: item for item in selectors.timeline_items(user, ids)}
    html = {}
    for item_pk in ids:
        item = shown.get(item_pk)
        if item is None:  # not on a published agenda: not in the story
            html[f"item:{item_pk}"] = "null"
            continue
        (entry,) = selectors.item_entries([item], today)
        html[f"item:{item_pk}"] = json.dumps(
            {
                "key": _entry_key(entry),
                "order": [item.meeting.starts_at.isoformat(), item.number or 0, item.pk],
                "html": _entry_html(entry),
                "updated": selectors.item_updated(item).isoformat(),
                "activity": entry.day.isoformat(),
            }
        )
    return html


def _kept_page(request, pk: int) -> dict:
    """The status page's context from its fragments (``core.fragments``), reading afresh
    only the plan's row (one row: its heading, money, the columns that name the
    fragments and the latest change of its commitments; 404 when there is no such plan).

    Then three lookups. First what keeps itself under the plan's own scopes and names
    the rest: the headline's facts and estates, named by the columns of the row they
    show (status, period, lead administration, area, housing organisation, LBF period:
    ``facts:N:<digest>``) and kept under ``plan-estates:N``, which only the plan's
    estates raise, so a new budget leaves them cached; the story (the lifecycle steps,
    the follow-up meetings and which agenda items it has) under ``plan-story:N``, which
    a change of the plan's budget or period does not raise (the meetings from before
    the story starts, which depends on the period, are left out here); the
    commitments' shown columns and status history under ``plan-commitments:N``, which
    neither the plan's row nor a commitment's new note raises. Second, each agenda
    item's entry under ``item-facts:N`` (what the item's own rows show: not raised by
    the commitments its decision granted, which the entry does not show); what the
    story shows of the items whose decisions granted the commitments, under those
    items' ``item-facts:N``; the money section under what it shows and
    ``plan-facts:N`` (the housing organisation's contributions); the indicators under
    the values of the plan's area and the city total; the goals and groups under
    ``plan-links:N``. Third, each grant or payment under nothing but what it shows (no
    versions to read). The headline (its estates), the story and the items' fragments
    carry their latest change (and the story and items their latest activity) for the
    headline's "last updated" and the "nothing recorded" check; the plan's and the
    commitments' latest change come from the plan's row, so those stay exact."""
    user = request.user
    row = selectors.plan_row(pk=pk)
    if row is None:
        raise Http404
    plan = selectors.plan_from_row(row)
    head = f"facts:{pk}:" + _digest([row[name] for name in selectors.FACTS_KEY_FIELDS])
    story = f"story:{pk}"
    money_rows = f"commitments:{pk}"

    def render_story(missing) -> dict:
        html = {}
        if head in missing:
            headline = selectors.plan_head(pk=pk)
            estates_updated = max((e.updated_at for e in headline.estates.all()), default=None)
            html[head] = json.dumps(
                {
                    "facts": _render("headline_facts", {"plan": headline}),
                    "estates": _render("headline_estates", {"plan": headline}),
                    "updated": estates_updated and estates_updated.isoformat(),
                }
            )
        if story in missing:
            data = selectors.plan_story(pk=pk)
            html[story] = json.dumps(
                {
                    "item_ids": data["item_ids"],
                    "steps": [[*_entry_key(entry), _entry_html(entry)] for entry in data["steps"]],
                    # With their day: which of them are shown depends on the plan's row.
                    "followups": [
                        [*_entry_key(entry), _entry_html(entry)] for entry in data["followups"]
                    ],
                    "first_step": data["first_step"] and data["first_step"].isoformat(),
                    "updated": data["updated"] and data["updated"].isoformat(),
                    "activity": data["activity"] and data["activity"].isoformat(),
                }
            )
        if money_rows in missing:
            html[money_rows] = selectors.commitments_as_json(*selectors.plan_commitments(pk))
        return html

    found = cached_fragments(
        request,
        FRAGMENTS,
        {
            head: [plan_estates_scope(pk)],
            story: [plan_story_scope(pk)],
            money_rows: [plan_commitments_scope(pk)],
        },
        render_story,
    )
    kept_head = json.loads(found[head])
    kept = json.loads(found[story])
    item_ids = kept["item_ids"]
    commitments, history_rows = selectors.commitments_from_json(found[money_rows])
    granting_ids = sorted({c.granted_by_item_id for c in commitments} - {None})
    granting = f"granting:{pk}:" + _digest(granting_ids)
    # The money section, named by everything it is drawn from but the housing
    # organisation's contributions, which raise plan-facts:N (kept under it).
    money = "money:" + _digest(
        (
            plan.pk,
            plan.name,
            str(plan.budget),
            str(plan.lbf_grant),
            [
                (c.administration_id, c.administration.name, c.status, str(c.amount))
                for c in commitments
            ],
        )
    )
    indicators = f"indicators:{plan.pk}:{plan.area_id}:{plan.period_start}:{plan.period_end}"
    goals = f"goals:{plan.pk}"

    def render_parts(missing) -> dict:
        wanted = [int(part[5:]) for part in missing if part.startswith("item:")]
        html = _item_entries(user, wanted) if wanted else {}
        if granting in missing:
            items = selectors.granting_items(user, granting_ids)
            html[granting] = json.dumps([item.as_json() for item in items.values()])
        if money in missing:
            selectors.plan_money(plan, commitments)
            html[money] = _render(
                "money", {"plan": plan, "money_chart": selectors.money_chart(plan, commitments)}
            )
        if indicators in missing:
            html[indicators] = render_to_string(
                "helhedsplaner/status/partials/indicators_section.html",
                {"plan": plan, "indicator_charts": selectors.plan_indicator_charts(plan)},
            )
        if goals in missing:
            html[goals] = render_to_string(
                "helhedsplaner/status/partials/goals_section.html",
                {"plan": selectors.plan_links_get(plan)},
            )
        return html

    found |= cached_fragments(
        request,
        FRAGMENTS,
        {
            **{f"item:{item_pk}": [item_facts_scope(item_pk)] for item_pk in item_ids},
            granting: [item_facts_scope(item_pk) for item_pk in granting_ids],
            money: [plan_facts_scope(plan.pk)],
            indicators: [area_scope(plan.area_id), CITY_INDICATORS],
            goals: [plan_links_scope(plan.pk)],
        },
        render_parts,
    )
    granted_by = [selectors.GrantingItem.from_json(item) for item in json.loads(found[granting])]
    selectors.with_granting_items(commitments, {item.pk: item for item in granted_by})
    grants = {
        _grant_part(entry): entry
        for entry in selectors.commitment_entries(commitments, history_rows)
    }
    # Each grant or payment named by what it shows (no scope: no versions to read).
    found |= cached_fragments(
        request,
        FRAGMENTS,
        dict.fromkeys(grants, ()),
        lambda missing: {part: _entry_html(grants[part]) for part in missing},
    )
    start = selectors.story_start(
        kept["first_step"] and date.fromisoformat(kept["first_step"]), plan.period_start
    )
    followups = [
        entry for entry in kept["followups"] if start is None or entry[0] >= start.isoformat()
    ]
    entries = [(*key, mark_safe(html)) for *key, html in kept["steps"] + followups]  # noqa: S308
    kept_moments = (kept_head["updated"], kept["updated"])
    updated = [row["updated_at"], *(datetime.fromisoformat(m) for m in kept_moments if m)]
    activity = [date.fromisoformat(kept["activity"])] if kept["activity"] else []
    items = [json.loads(found[f"item:{item_pk}"]) for item_pk in item_ids]
    items = sorted((item for item in items if item is not None), key=lambda i: i["order"])
    for item in items:  # in plan_timeline's order: by meeting and number
        entries.append((*item["key"], mark_safe(item["html"])))  # noqa: S308
        updated.append(datetime.fromisoformat(item["updated"]))
        activity.append(date.fromisoformat(item["activity"]))
    entries += [(*_entry_key(entry), found[part]) for part, entry in grants.items()]
    # The commitments' latest change from the plan's row (a new note raises no scope
    # of the commitments' fragment), the day of their latest grant from the fragment.
    _kept_updated, granted_on = selectors.commitment_updated_and_activity(commitments)
    if row["commitments_updated"] is not None:
        updated.append(row["commitments_updated"])
    if granted_on is not None:
        activity.append(granted_on)
    # plan_timeline's order: by day, kind and tiebreak (a stable sort: within a kind, the
    # order each kind was added in).
    entries.sort(key=lambda entry: entry[:3])
    return {
        "plan": plan,
        # The entries joined here, as the report's loop of includes joins them.
        "timeline_html": mark_safe("".join(entry[3] for entry in entries)),  # noqa: S308
        "commitments": commitments,
        "money_section": found[money],
        "last_updated": max(updated),
        **selectors.activity_facts(plan, max(activity) if activity else None),
        "headline_facts": mark_safe(kept_head["facts"]),  # noqa: S308
        "headline_estates": mark_safe(kept_head["estates"]),  # noqa: S308
        "indicators_section": found[indicators],
        "goals_section": found[goals],
    }


# The city total's indicator values show on every plan's status page.
@shared_page(scopes=lambda _request, pk: [plan_scope(pk), CITY_INDICATORS])
@require_safe
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_status(request, pk: int):
    if _fragments_kept(request):
        status = _kept_page(request, pk)
    else:
        status = selectors.plan_status_get(pk=pk, user=request.user)
    return render(
        request,
        "helhedsplaner/status/plan_status.html",
        {**status, "tab": "status", **_may(request.user, status["plan"])},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_status_pdf(request, pk: int):
    """The status report as the reader may read it, rendered in the background and served
    from storage (``cases.rendering``). A reader may have a failed one made again: it is
    their own kind of reader's report (asking again makes nothing that is ready or under
    way)."""
    plan = get_object_or_404(Plan.objects.only("pk", "name"), pk=pk)
    return stored_pdf(
        request,
        lambda again: rendering.current_report(plan_scope(plan.pk), request.user, again=again),
        f"{selectors.status_report_title(plan)}.pdf",
        may_retry=True,
        back=(reverse("planstatus:plan_status", args=[plan.pk]), plan.name),
    )
