"""The dashboard: the front page for everybody with a role."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from committees.models import Meeting
from core.pagecache import shared_page

from ..plans.views import VIEW_PLAN
from . import selectors


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
        return render(request, "helhedsplaner/dashboard/dashboard.html", {"no_role": True})
    return render(
        request,
        "helhedsplaner/dashboard/dashboard.html",
        selectors.dashboard_get(user=request.user),
    )
