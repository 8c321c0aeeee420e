"""Political follow-up groups: the list, the page members read before a meeting, and the
forms where the secretariat or an administrator sets up a group, its members, the plans it
follows and its meetings. Every write is checked per group (``helhedsplaner/rules.py``)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.models import FollowUpGroup, FollowUpGroupMeeting, FollowUpGroupMembership

from ..cofinancing.pages import form_page, form_saved
from . import selectors, services
from .forms import FollowUpMeetingForm, GroupForm, MemberAddForm, PlanFilterForm, PlansForm

VIEW = "committees.view_followupgroup"
CREATE = "helhedsplaner.create_follow_up_group"
EDIT = "helhedsplaner.edit_follow_up_group"
MEMBERS = "helhedsplaner.manage_follow_up_members"
MEETINGS = "helhedsplaner.record_follow_up_meeting"


def _require(request, perm: str, group: FollowUpGroup) -> None:
    if not request.user.has_perm(perm, group):
        raise PermissionDenied  # the secretariat of the group (see helhedsplaner/rules.py)


def _form_page(request, form, **page):
    return form_page(request, form, section="followup", **page)


def _group_url(group_or_id) -> str:
    return reverse("followup:group_detail", args=[getattr(group_or_id, "pk", group_or_id)])


@permission_required(VIEW, raise_exception=True)
def group_list(request):
    return render(
        request,
        "helhedsplaner/followup/group_list.html",
        {
            "groups": selectors.follow_up_groups_list(),
            "may_create": request.user.has_perm(CREATE),
        },
    )


@permission_required(VIEW, raise_exception=True)
def group_detail(request, pk: int):
    context = selectors.follow_up_group_get_for_page(pk=pk, user=request.user)
    group, user = context["group"], request.user
    context["may_edit"] = user.has_perm(EDIT, group)
    context["may_manage_members"] = user.has_perm(MEMBERS, group)
    context["may_add_meeting"] = user.has_perm(MEETINGS, group)
    return render(request, "helhedsplaner/followup/group_detail.html", context)


@permission_required(VIEW, raise_exception=True)
def group_create(request):
    if not request.user.has_perm(CREATE):
        raise PermissionDenied
    form = GroupForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        partial(services.follow_up_group_create, user=request.user),
        done=_("The follow-up group has been set up."),
        then=_group_url,
    )
    if saved is not None:
        return saved
    return _form_page(
        request,
        form,
        title=_("New follow-up group"),
        submit=_("Set up the group"),
        cancel_url=reverse("followup:group_list"),
        intro=_(
            "A formal group is a special committee the city council set up under "
            "Styrelsesloven § 17, stk. 4; an informal group follows and discusses, and the "
            "committees decide."
        ),
    )


@permission_required(VIEW, raise_exception=True)
def group_edit(request, pk: int):
    group = get_object_or_404(FollowUpGroup, pk=pk)
    _require(request, EDIT, group)
    initial = {name: getattr(group, name) for name in services.GROUP_FIELDS}
    form = GroupForm(request.POST or None, initial=initial)
    saved = form_saved(
        request,
        form,
        partial(services.follow_up_group_update, group=group, user=request.user),
        done=_("The follow-up group has been saved."),
        then=_group_url(group),
    )
    if saved is not None:
        return saved
    return _form_page(
        request,
        form,
        title=_("Edit %(group)s") % {"group": group.name},
        submit=_("Save"),
        cancel_url=_group_url(group),
    )


@permission_required(VIEW, raise_exception=True)
def members(request, pk: int):
    group = get_object_or_404(FollowUpGroup, pk=pk)
    _require(request, MEMBERS, group)
    form = MemberAddForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        partial(services.follow_up_member_add, group=group, user=request.user),
        done=lambda membership: (
            _("%(person)s has been added to the group.") % {"person": membership.person.name}
        ),
        then=reverse("followup:members", args=[group.pk]),
    )
    if saved is not None:
        return saved
    return render(
        request,
        "helhedsplaner/followup/members.html",
        {
            "group": group,
            "form": form,
            "members": selectors.follow_up_members(group=group),
            "section": "followup",
        },
        status=400 if form.errors else 200,
    )


def _membership_for(request, pk: int) -> FollowUpGroupMembership:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    membership = get_object_or_404(
        FollowUpGroupMembership.objects.select_related("group", "person"), pk=pk
    )
    _require(request, MEMBERS, membership.group)
    return membership


@require_POST
def member_remove(request, pk: int):
    membership = _membership_for(request, pk)
    services.follow_up_member_remove(membership=membership, user=request.user)
    messages.success(
        request, _("%(person)s has left the group.") % {"person": membership.person.name}
    )
    return redirect("followup:members", pk=membership.group_id)


@require_POST
def member_make_chair(request, pk: int):
    membership = _membership_for(request, pk)
    services.follow_up_member_make_chair(membership=membership, user=request.user)
    messages.success(
        request, _("%(person)s is now the chair of the group.") % {"person": membership.person.name}
    )
    return redirect("followup:members", pk=membership.group_id)


@permission_required(VIEW, raise_exception=True)
def group_plans(request, pk: int):
    group = get_object_or_404(FollowUpGroup, pk=pk)
    _require(request, EDIT, group)
    all_plans = selectors.plans_to_follow()
    form = PlansForm(request.POST or None, plans=all_plans)
    saved = form_saved(
        request,
        form,
        partial(services.follow_up_group_plans_set, group=group, user=request.user),
        done=_("The plans the group follows have been saved."),
        then=_group_url(group),
    )
    if saved is not None:
        return saved
    filter_form = PlanFilterForm(request.GET or None)
    query = filter_form.cleaned_data["q"] if filter_form.is_valid() else ""
    if form.is_bound:
        chosen = {str(value) for value in form["plans"].value() or []}
    else:
        chosen = {str(pk) for pk in group.plans.values_list("pk", flat=True)}
    shown = selectors.plans_to_follow(query=query)
    shown_ids = {str(plan.pk) for plan in shown}
    return render(
        request,
        "helhedsplaner/followup/plans.html",
        {
            "group": group,
            "form": form,
            "filter_form": filter_form,
            "query": query,
            "plans": shown,
            "chosen": chosen,
            "chosen_hidden": sorted(chosen - shown_ids),
            "section": "followup",
        },
        status=400 if form.errors else 200,
    )


@permission_required(VIEW, raise_exception=True)
def meeting_create(request, pk: int):
    group = get_object_or_404(FollowUpGroup, pk=pk)
    _require(request, MEETINGS, group)
    form = FollowUpMeetingForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        partial(services.follow_up_meeting_create, group=group, user=request.user),
        done=_("The meeting and its notes have been recorded."),
        then=_group_url(group),
    )
    if saved is not None:
        return saved
    return _form_page(
        request,
        form,
        title=_("New meeting in %(group)s") % {"group": group.name},
        submit=_("Record meeting"),
        cancel_url=_group_url(group),
    )


@permission_required(VIEW, raise_exception=True)
def meeting_edit(request, pk: int):
    meeting = get_object_or_404(FollowUpGroupMeeting.objects.select_related("group"), pk=pk)
    _require(request, MEETINGS, meeting.group)
    form = FollowUpMeetingForm(
        request.POST or None, initial={"date": meeting.date, "notes": meeting.notes}
    )
    saved = form_saved(
        request,
        form,
        partial(services.follow_up_meeting_update, meeting=meeting, user=request.user),
        done=_("The meeting has been saved."),
        then=_group_url(meeting.group_id),
    )
    if saved is not None:
        return saved
    return _form_page(
        request,
        form,
        title=_("Edit the meeting of %(date)s in %(group)s")
        % {"date": meeting.date.strftime("%d.%m.%Y"), "group": meeting.group.name},
        submit=_("Save"),
        cancel_url=_group_url(meeting.group_id),
    )
