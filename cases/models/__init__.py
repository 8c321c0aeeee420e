from .agenda_item import (
    AgendaItem,
    RecommendationBlock,
    RecommendationParty,
    RecommendationPoint,
)
from .agenda_version import AgendaVersion
from .attachment import Attachment
from .case import Case, CaseNumberSequence, case_number_validator
from .correction import Correction
from .decision import Decision, DecisionVote
from .inquiry import MemberInquiry
from .rendered_file import RenderedFile

__all__ = [
    "AgendaItem",
    "AgendaVersion",
    "Attachment",
    "Case",
    "CaseNumberSequence",
    "Correction",
    "Decision",
    "DecisionVote",
    "MemberInquiry",
    "RecommendationBlock",
    "RecommendationParty",
    "RecommendationPoint",
    "RenderedFile",
    "case_number_validator",
]
