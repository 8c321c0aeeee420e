"""Which cached pages a change to the committees app's rows reaches (core.pagecache).

Committees, administrations, people, memberships and follow-up groups are named on
pages everywhere (menus, agendas, status pages): reference data, whose change renders
every page afresh. They change a few times a year. (Memberships and people also decide
who may read what: ``core.pagecache.ACCESS_TABLES``.) An absence shows on its meeting's
agenda and minutes. Meetings are registered by the cases app, which knows their items;
follow-up group meetings by helhedsplaner, which knows the plans the groups follow.
"""

from core import pagecache
from core.pagecache import meeting_scope

from .models import (
    Administration,
    Committee,
    FollowUpGroup,
    FollowUpGroupMembership,
    MeetingAbsence,
    Membership,
    Person,
)


def _of_absences(instances) -> set[str]:
    return {meeting_scope(instance.meeting_id) for instance in instances}


def register() -> None:
    pagecache.register_reference(
        Administration, Committee, Person, Membership, FollowUpGroup, FollowUpGroupMembership
    )
    pagecache.register(MeetingAbsence, _of_absences)
