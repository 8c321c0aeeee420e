"""Political follow-up groups: the list, the page members read before a meeting, and
the form where a secretary or administrator records a meeting with notes."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from committees.models import FollowUpGroup

from ..cofinancing.forms import FollowUpMeetingForm, add_service_errors
from . import selectors, services

VIEW = "committees.view_followupgroup"
ADD_MEETING = "committees.add_followupgroupmeeting"


@permission_required(VIEW, raise_exception=True)
def group_list(request):
    return render(
        request,
        "helhedsplaner/followup/group_list.html",
        {"groups": selectors.follow_up_groups_list()},
    )


@permission_required(VIEW, raise_exception=True)
def group_detail(request, pk: int):
    context = selectors.follow_up_group_get_for_page(pk=pk, user=request.user)
    context["may_add_meeting"] = request.user.has_perm(
        "committees.record_group_meeting", context["group"]
    )
    return render(request, "helhedsplaner/followup/group_detail.html", context)


@permission_required(ADD_MEETING, raise_exception=True)
def meeting_create(request, pk: int):
    group = get_object_or_404(FollowUpGroup, pk=pk)
    if not request.user.has_perm("committees.record_group_meeting", group):
        raise PermissionDenied  # the secretariat of the group's committee records its meetings
    form = FollowUpMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_meeting_create(group=group, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting and its notes have been recorded."))
            return redirect("followup:group_detail", pk=group.pk)
    return render(
        request,
        "helhedsplaner/cofinancing/form_page.html",
        {
            "form": form,
            "title": _("New meeting in %(group)s") % {"group": group.name},
            "submit": _("Record meeting"),
            "cancel_url": reverse("followup:group_detail", args=[group.pk]),
            "section": "followup",
        },
        status=400 if form.errors else 200,
    )
