from .agenda_item import AgendaItem, RecommendationPoint
from .attachment import Attachment
from .case import Case, CaseNumberSequence, case_number_validator
from .decision import Decision
from .inquiry import MemberInquiry

__all__ = [
    "AgendaItem",
    "Attachment",
    "Case",
    "CaseNumberSequence",
    "Decision",
    "MemberInquiry",
    "RecommendationPoint",
    "case_number_validator",
]
