from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def accessibility_statement(request):
    """Tilgængelighedserklæring: public by law, so reachable without login."""
    return render(request, "core/accessibility.html")
