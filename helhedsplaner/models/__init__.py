from .area import Area, Indicator, IndicatorValue
from .cofinancing import CoFinancing, CoFinancingPool
from .lbf import FocusArea, LbfPeriod
from .plan import Estate, HousingOrganisation, Plan, PlanStatusChange
from .policy import Policy, PolicyGoal

__all__ = [
    "Area",
    "CoFinancing",
    "CoFinancingPool",
    "Estate",
    "FocusArea",
    "HousingOrganisation",
    "Indicator",
    "IndicatorValue",
    "LbfPeriod",
    "Plan",
    "PlanStatusChange",
    "Policy",
    "PolicyGoal",
]
