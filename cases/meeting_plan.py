"""The year's meeting plan (mødeplan): a committee's meetings for a year in one go.

The form shows the dates it will create first (a preview, with the dates skipped and
those on which the committee already has a meeting); a second button creates them, as
drafts, in one transaction (``committees.services.meeting_plan_create``). For the
committee's secretariat and administrators (``committees.add_meeting_in``).
"""

from datetime import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committees import services as committee_services
from committees.models import Committee
from committees.selectors import committee_find
from core.authority import authorise

from . import forms
from .views import _add_errors, _is_secretary, _require


def _asked_committee(request) -> Committee | None:
    """The committee the request names (the form's choice or ``?udvalg=``), if it exists."""
    if request.method == "POST":
        raw = request.POST.get("committee", "")
        return Committee.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    slug = request.GET.get("udvalg")
    return committee_find(slug=slug) if slug else None


def meeting_plan(request):
    _require(request.user, "committees.add_meeting")
    if not _is_secretary(request.user):
        raise PermissionDenied  # a secretary role without a committee to serve
    asked = _asked_committee(request)
    if asked is not None:
        # Another committee's plan is refused outright, not just left out of the choices.
        authorise(request.user, "committees.add_meeting_in", asked)
    initial = {
        "year": timezone.localdate().year + 1,
        "weekday": 3,
        "every": "m2",
        "start": time(16, 0),
        "committee": asked.pk if asked else None,
    }
    form = forms.MeetingPlanForm(request.POST or None, initial=initial, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "create" in request.POST:
            try:
                created, taken = committee_services.meeting_plan_create(
                    committee=data["committee"],
                    year=data["year"],
                    weekday=data["weekday"],
                    every=data["every"],
                    start=data["start"],
                    location=data["location"],
                    skip=data["skip"],
                    user=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s meeting of %(committee)s has been created for %(year)s.",
                        "%(count)s meetings of %(committee)s have been created for %(year)s.",
                        len(created),
                    )
                    % {
                        "count": len(created),
                        "committee": data["committee"].name,
                        "year": data["year"],
                    },
                )
                if taken:
                    messages.info(
                        request,
                        _("The committee already had a meeting on these dates: %(dates)s")
                        % {"dates": ", ".join(d.strftime("%d.%m.%Y") for d in taken)},
                    )
                return redirect("meetings:meeting_list")
        if form.is_valid():
            planned, skipped, taken = committee_services.meeting_plan_dates(
                committee=data["committee"],
                year=data["year"],
                weekday=data["weekday"],
                every=data["every"],
                skip=data["skip"],
            )
            preview = {"planned": planned, "skipped": skipped, "taken": taken}
    return render(
        request,
        "cases/meeting_plan.html",
        {
            "form": form,
            "preview": preview,
            "errors": forms.error_summary(form) if form.is_bound else [],
        },
    )
