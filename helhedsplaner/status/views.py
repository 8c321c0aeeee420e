"""The plan status page and its PDF report: read-only pages.

Reading a plan needs ``helhedsplaner.view_plan`` (all four roles). Editing links
on these pages appear only for users with the matching change permissions; the
edit views themselves check again (a direct POST without them gets 403).
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from core.pagecache import plan_scope, shared_page

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


@shared_page(scopes=lambda _request, pk: [plan_scope(pk)])
@require_safe
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_status(request, pk: int):
    status = selectors.plan_status_get(pk=pk, user=request.user)
    return render(
        request,
        "helhedsplaner/status/plan_status.html",
        {**status, "tab": "status", **_may(request.user, status["plan"])},
    )


@require_safe
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_status_pdf(request, pk: int):
    filename, content = pdf.plan_status_report_pdf(pk=pk, user=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response
