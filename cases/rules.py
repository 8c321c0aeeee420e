"""The policy layer for cases: who may act on which agenda item, decision and correction.

Asked by views, form choice lists and templates alike, always with the object:
``user.has_perm("cases.edit_item", item)``. The rules (see ``committees/rules.py`` for the
people behind them):

- an item on a meeting belongs to that meeting's committee: its secretaries (and
  administrators) edit, arrange, decide and correct it;
- an item marked ready and not yet placed is in the secretariat's common queue: any
  committee secretary may place it (on a meeting of a committee they serve) or send it
  back;
- a caseworker drafts items for their own administration (``Person.administration``; the
  all-administrations grant of ``committees/rules.py`` is for plans and commitments, not
  for items) and edits them while they are drafts or sent back;
- politicians write nothing.

The closed-content rule (who may read a closed item) lives in ``cases.selectors``; every
write rule here also needs it, since whoever serves the committee may read its closed
items.
"""

import rules

from committees.rules import (
    has_model_perms,
    is_administrator,
    serves_any_committee,
    serves_committee,
    works_in_an_administration,
)
from committees.selectors import administration_id_for_user
from core.roles import CASEWORKER, user_roles

from .models import AgendaItem


@rules.predicate
def is_caseworker(user) -> bool:
    return CASEWORKER in user_roles(user)


@rules.predicate
def is_placed(user, item) -> bool:
    return item is not None and item.meeting_id is not None


@rules.predicate
def is_ready_in_queue(user, item) -> bool:
    return item is not None and item.meeting_id is None and item.status == AgendaItem.Status.READY


@rules.predicate
def is_own_draft(user, item) -> bool:
    """A draft (or an item sent back) of the user's own administration."""
    return (
        item is not None
        and item.meeting_id is None
        and item.status in (AgendaItem.Status.DRAFT, AgendaItem.Status.RETURNED)
        and item.recommending_administration_id is not None
        and item.recommending_administration_id == administration_id_for_user(user)
    )


# Secretaries of the item's committee, or of any committee for the common ready queue.
secretariat_of_item = (is_placed & serves_committee) | (is_ready_in_queue & serves_any_committee)

# Create items: secretaries, administrators, caseworkers of an administration.
rules.add_perm(
    "cases.add_item",
    has_model_perms("cases.add_agendaitem")
    & (is_administrator | serves_any_committee | (is_caseworker & works_in_an_administration)),
)
# Change the item's sections, points, attachments and related plans.
rules.add_perm(
    "cases.edit_item",
    has_model_perms("cases.change_agendaitem")
    & (is_administrator | secretariat_of_item | (is_caseworker & is_own_draft)),
)
rules.add_perm(
    "cases.attach_to_item",
    has_model_perms("cases.add_attachment", "cases.change_agendaitem")
    & (is_administrator | secretariat_of_item | (is_caseworker & is_own_draft)),
)
# Place a ready item on a meeting, or send it back to its caseworker.
rules.add_perm(
    "cases.place_item",
    has_model_perms("committees.change_meeting", "cases.change_agendaitem")
    & is_ready_in_queue
    & (is_administrator | serves_any_committee),
)
# Take a placed item off its agenda or move it up and down.
rules.add_perm(
    "cases.arrange_item",
    has_model_perms("committees.change_meeting", "cases.change_agendaitem")
    & is_placed
    & (is_administrator | serves_committee),
)
rules.add_perm(
    "cases.record_decision",
    has_model_perms("cases.add_decision", "cases.change_decision")
    & is_placed
    & (is_administrator | serves_committee),
)
# Send a decided item on to the next committee on its route (the target meeting is
# checked with cases.add_item_to_meeting).
rules.add_perm(
    "cases.send_on",
    has_model_perms("cases.add_agendaitem", "committees.change_meeting")
    & is_placed
    & (is_administrator | serves_committee),
)
rules.add_perm(
    "cases.correct",
    has_model_perms("cases.add_correction") & is_placed & (is_administrator | serves_committee),
)
# Object: a meeting.
rules.add_perm(
    "cases.add_item_to_meeting",
    has_model_perms("cases.add_agendaitem", "committees.change_meeting")
    & (is_administrator | serves_committee),
)
rules.add_perm(
    "cases.publish_agenda",
    has_model_perms("cases.add_agendaversion", "committees.change_meeting")
    & (is_administrator | serves_committee),
)
rules.add_perm(
    "cases.register_inquiry",
    has_model_perms("cases.add_memberinquiry", "cases.add_case")
    & (is_administrator | serves_committee),
)
