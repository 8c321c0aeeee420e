"""Reads for cases and agenda items, with the visibility rules applied.

Closed agenda items (and closed attachments) are confidential: only members of
the item's committee, its secretaries and administrators see their content.
Everybody else sees the number and "Lukket punkt". Items not yet on a
published agenda (drafts) are visible only to staff.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from committees.models import Meeting
from committees.selectors import administration_id_for_user, committee_ids_for_user
from config.roles import CASEWORKER, SECRETARY, is_administrator, user_roles

from .models import AgendaItem, Attachment, Case


def user_can_see_closed(user, committee_id: int | None) -> bool:
    if is_administrator(user):
        return True
    return committee_id is not None and committee_id in committee_ids_for_user(user)


def agenda_items_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Items the user may know exist (closed content is masked separately).

    Politicians see items on agendas that have been published; staff also see
    drafts: caseworkers those of their own administration, secretaries those
    marked ready or placed on a meeting; administrators everything.
    """
    queryset = AgendaItem.objects.all() if queryset is None else queryset
    if is_administrator(user):
        return queryset
    published = Q(meeting__isnull=False) & ~Q(meeting__status=Meeting.Status.DRAFT)
    roles = user_roles(user)
    condition = published
    if SECRETARY in roles:
        condition |= Q(meeting__isnull=False) | Q(status=AgendaItem.Status.READY)
    if CASEWORKER in roles:
        administration_id = administration_id_for_user(user)
        if administration_id is not None:
            condition |= Q(recommending_administration_id=administration_id)
    return queryset.filter(condition)


def mark_visibility(user, items) -> list:
    """Set ``item.content_visible`` and ``item.visible_attachments`` for templates."""
    items = list(items)
    for item in items:
        committee_id = item.meeting.committee_id if item.meeting_id else None
        if item.meeting_id is None:
            # A draft: only the people who may see drafts get here at all.
            item.content_visible = True
        else:
            item.content_visible = not item.is_closed or user_can_see_closed(user, committee_id)
        see_closed_attachments = item.content_visible and (
            item.meeting_id is None or user_can_see_closed(user, committee_id)
        )
        item.visible_attachments = [
            a for a in item.attachments.all() if not a.is_closed or see_closed_attachments
        ]
    return items


def case_get_for_page(*, number: str, user) -> tuple[Case, list[AgendaItem]]:
    """The case and the items the user may see, in route order, in a fixed number of queries."""
    case = get_object_or_404(Case.objects.select_related("administration"), number=number)
    items = (
        agenda_items_visible_to(user, case.agenda_items.all())
        .select_related(
            "meeting__committee", "recommending_administration", "decided_by", "decision"
        )
        .prefetch_related(
            "recommendation_points",
            Prefetch("attachments", queryset=Attachment.objects.order_by("position")),
        )
        .order_by("meeting__starts_at", "pk")
    )
    return case, mark_visibility(user, items)


def cases_list(*, user) -> QuerySet:
    return Case.objects.select_related("administration").order_by("-number")


def attachment_visible_to(user, attachment: Attachment) -> bool:
    item = attachment.item
    if not agenda_items_visible_to(user, AgendaItem.objects.filter(pk=item.pk)).exists():
        return False
    if item.meeting_id is None:
        return True
    if attachment.is_closed or item.is_closed:
        return user_can_see_closed(user, item.meeting.committee_id)
    return True
