from .absence import MeetingAbsence
from .administration import Administration
from .calendar_feed import CalendarFeed
from .committee import Committee
from .follow_up_group import FollowUpGroup, FollowUpGroupMeeting, FollowUpGroupMembership
from .meeting import Meeting
from .person import Membership, Person

__all__ = [
    "Administration",
    "CalendarFeed",
    "Committee",
    "FollowUpGroup",
    "FollowUpGroupMeeting",
    "FollowUpGroupMembership",
    "Meeting",
    "MeetingAbsence",
    "Membership",
    "Person",
]
