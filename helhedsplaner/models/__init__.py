from .area import Area, ImportMapping, Indicator, IndicatorValue
from .cofinancing import CoFinancing, CoFinancingPool, CommitmentCorrection, HousingContribution
from .figures import PlanFigures, PlanFiguresSummary
from .indicator_import import IndicatorImport
from .lbf import FocusArea, LbfPeriod
from .plan import Estate, HousingOrganisation, Plan, PlanStatusChange
from .policy import Policy, PolicyGoal

__all__ = [
    "Area",
    "CoFinancing",
    "CoFinancingPool",
    "CommitmentCorrection",
    "Estate",
    "FocusArea",
    "HousingContribution",
    "HousingOrganisation",
    "Indicator",
    "IndicatorImport",
    "ImportMapping",
    "IndicatorValue",
    "LbfPeriod",
    "Plan",
    "PlanFigures",
    "PlanFiguresSummary",
    "PlanStatusChange",
    "Policy",
    "PolicyGoal",
]
