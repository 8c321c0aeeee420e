"""The plan status page, its PDF report and the dashboard: read-only pages.

Reading a plan needs ``helhedsplaner.view_plan`` (all four roles). Editing links
on these pages appear only for users with the matching change permissions; the
edit views themselves check again (a direct POST without them gets 403).
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from committees.models import Meeting
from config.pagecache import shared_page

from . import dashboard_selectors, status_pdf, status_selectors
from .views import EDIT_INDICATORS, EDIT_PLAN, MOVE_PLAN, VIEW_PLAN

ADD_COMMITMENT = "helhedsplaner.add_cofinancing"


def _may(user) -> dict:
    return {
        "may_edit": user.has_perms(EDIT_PLAN),
        "may_move": user.has_perms(MOVE_PLAN),
        "may_edit_indicators": user.has_perms(EDIT_INDICATORS),
        "may_add_commitment": user.has_perm(ADD_COMMITMENT),
    }


@shared_page
@require_safe
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_status(request, pk: int):
    status = status_selectors.plan_status_get(pk=pk, user=request.user)
    return render(
        request,
        "helhedsplaner/plan_status.html",
        {**status, "tab": "status", **_may(request.user)},
    )


@require_safe
@permission_required(VIEW_PLAN, raise_exception=True)
def plan_status_pdf(request, pk: int):
    filename, content = status_pdf.plan_status_report_pdf(pk=pk, user=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _next_meeting_start(_request) -> str:
    """The dashboard splits meetings into coming and past at this moment, so its page
    holds only until the next meeting starts."""
    start = (
        Meeting.objects.filter(starts_at__gte=timezone.now())
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return start.isoformat() if start else "none"


@shared_page(vary=_next_meeting_start)
@require_safe
def dashboard(request):
    """The front page. Users without a role yet (no read permission) get a short note."""
    if not request.user.has_perm(VIEW_PLAN):
        return render(request, "helhedsplaner/dashboard.html", {"no_role": True})
    return render(
        request,
        "helhedsplaner/dashboard.html",
        dashboard_selectors.dashboard_get(user=request.user),
    )
