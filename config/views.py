from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from cases.selectors import agenda_items_visible_to


def home(request):
    """The front page: where to go next for each role (the dashboard grows here)."""
    recent_items = (
        agenda_items_visible_to(request.user)
        .filter(meeting__isnull=False)
        .select_related("case", "meeting__committee")
        .order_by("-meeting__starts_at", "number")[:10]
    )
    return render(request, "config/home.html", {"recent_items": recent_items})


@login_not_required
def accessibility_statement(request):
    """Tilgængelighedserklæring: public by law, so reachable without login."""
    return render(request, "config/accessibility.html")
