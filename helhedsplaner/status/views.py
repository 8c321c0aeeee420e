"""The plan status page and its PDF report: read-only pages.

Reading a plan needs ``helhedsplaner.view_plan`` (all four roles). Editing links
on these pages appear only for users with the matching change permissions; the
edit views themselves check again (a direct POST without them gets 403).
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from core.fragments import cached_fragments
from core.pagecache import plan_scope, shared_page

from ..cachescopes import CITY_INDICATORS, area_scope, plan_links_scope
from ..indicators.views import EDIT_INDICATORS
from ..plans.views import VIEW_PLAN
from . import pdf, selectors

ADD_COMMITMENT = "helhedsplaner.add_cofinancing"


def _may(user, plan) -> dict:
    """What the page offers, asked of the policy layer (helhedsplaner/rules.py) for this plan."""
    return {
        "may_edit": user.has_perm("helhedsplaner.edit_plan", plan),
        "may_move": user.has_perm("helhedsplaner.move_plan", plan),
        "may_edit_indicators": user.has_perms(EDIT_INDICATORS),
        "may_add_commitment": user.has_perm("helhedsplaner.create_commitment"),
    }


def _fragments_kept(request) -> bool:
    """Whether this rendering keeps fragments (``core.fragments``); otherwise every part
    is rendered, and the sections are read with the rest (as the report reads them)."""
    return bool(getattr(request, "render_shared_page", False)) and (
        getattr(request, "shared_page_key", None) is not None
    )


def _sections(request, plan, charts=None) -> dict:
    """The two sections that do not depend on the plan's own rows, as fragments
    (``core.fragments``): the indicators under the values of the plan's area and of the
    city total (the part names what else they show of the plan: its area and period),
    the policy goals and follow-up groups under the plan's links. Goals, groups,
    indicators, areas and their names are reference data (``ref``, in every key)."""
    indicators = f"indicators:{plan.pk}:{plan.area_id}:{plan.period_start}:{plan.period_end}"
    goals = f"goals:{plan.pk}"

    def render_sections(missing) -> dict:
        html = {}
        if indicators in missing:
            html[indicators] = render_to_string(
                "helhedsplaner/status/partials/indicators_section.html",
                {
                    "plan": plan,
                    "indicator_charts": selectors.plan_indicator_charts(plan)
                    if charts is None
                    else charts,
                },
            )
        if goals in missing:
            html[goals] = render_to_string(
                "helhedsplaner/status/partials/goals_section.html",
                {"plan": selectors.plan_links_get(plan)},
            )
        return html

    parts = cached_fragments(
        request,
        "plan-status",
        {
            indicators: [area_scope(plan.area_id), CITY_INDICATORS],
            goals: [plan_links_scope(plan.pk)],
        },
        render_sections,
    )
    return {"indicators_section": parts[indicators], "goals_section": parts[goals]}


# The city total's indicator values show on every plan's status page.
@shared_page(scopes=lambda _request, pk: [plan_scope(pk), CITY_INDICATORS])
@require_safe
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_status(request, pk: int):
    status = selectors.plan_status_get(
        pk=pk, user=request.user, sections=not _fragments_kept(request)
    )
    return render(
        request,
        "helhedsplaner/status/plan_status.html",
        {
            **status,
            **_sections(request, status["plan"], status["indicator_charts"]),
            "tab": "status",
            **_may(request.user, status["plan"]),
        },
    )


@require_safe
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_status_pdf(request, pk: int):
    filename, content = pdf.plan_status_report_pdf(pk=pk, user=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response
