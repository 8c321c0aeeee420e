from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.models import Committee
from committees.selectors import committee_ids_for_user

from . import calendar


def calendar_settings(request):
    """The user's personal feed URLs, to paste into Outlook, and a button to renew them."""
    feed = calendar.calendar_feed_get(user=request.user)
    mine = request.build_absolute_uri(reverse("calendar_mine", args=[feed.token]))
    committees = Committee.objects.order_by("name")
    my_ids = committee_ids_for_user(request.user)
    feeds = [
        (
            committee,
            committee.pk in my_ids,
            request.build_absolute_uri(
                reverse("calendar_committee", args=[feed.token, committee.slug])
            ),
        )
        for committee in committees
    ]
    return render(
        request, "cases/calendar_settings.html", {"feed": feed, "mine_url": mine, "feeds": feeds}
    )


@require_POST
def calendar_renew(request):
    calendar.calendar_feed_renew(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar address has been renewed. The old address no "
            "longer works: update it in Outlook."
        ),
    )
    return redirect("calendar_settings")


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_not_required
def calendar_mine(request, token: str):
    user = calendar.calendar_feed_user(token=token)
    if user is None:
        raise Http404
    meetings = calendar.meetings_for_feed(user=user)
    content = calendar.meetings_ics(
        user=user,
        meetings=meetings,
        name=_("My committees"),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _ics_response(content, "mine-udvalg.ics")


@login_not_required
def calendar_committee(request, token: str, slug: str):
    user = calendar.calendar_feed_user(token=token)
    if user is None:
        raise Http404
    committee = get_object_or_404(Committee, slug=slug)
    meetings = calendar.meetings_for_feed(user=user, committee=committee)
    content = calendar.meetings_ics(
        user=user,
        meetings=meetings,
        name=committee.name,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _ics_response(content, f"{committee.slug}.ics")
