from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


@login_not_required
def accessibility_statement(request):
    """Tilgængelighedserklæring: public by law, so reachable without login."""
    return render(request, "core/accessibility.html")


def server_error(request):
    """``handler500``: says whether the user's change was saved before the error.

    ``core.middleware.CommitTrackingMiddleware`` records on the request whether a
    write was committed. The page needs no database and no context processor (the
    database may be what failed): a plain template, rendered without the request.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        outcome = "read"
    elif getattr(request, "write_committed", False):
        outcome = "saved"
    else:
        outcome = "not_saved"
    try:
        content = loader.get_template("500.html").render({"outcome": outcome})
    except Exception:  # the error page itself must never fail
        content = "<h1>Server Error (500)</h1>"
    return HttpResponseServerError(content)
