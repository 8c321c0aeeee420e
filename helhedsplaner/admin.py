from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Area,
    CoFinancing,
    CoFinancingPool,
    CommitmentCorrection,
    Estate,
    FocusArea,
    HousingContribution,
    HousingOrganisation,
    Indicator,
    IndicatorValue,
    LbfPeriod,
    Plan,
    PlanStatusChange,
    Policy,
    PolicyGoal,
)


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


@admin.register(LbfPeriod)
class LbfPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_year", "end_year"]
    inlines = [FocusAreaInline]


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "period"]
    list_filter = ["period"]


@admin.register(HousingOrganisation)
class HousingOrganisationAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "district", "is_city_total"]
    search_fields = ["name", "code"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["area", "indicator", "year", "value"]
    list_filter = ["indicator", "year"]


class EstateInline(admin.TabularInline):
    model = Estate
    extra = 0


class CoFinancingInline(admin.TabularInline):
    model = CoFinancing
    extra = 0
    raw_id_fields = ["granted_by_item"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "lbf_period", "area", "lead_administration"]
    list_filter = ["status", "lbf_period", "lead_administration"]
    search_fields = ["name", "housing_organisation__name", "estates__name"]
    filter_horizontal = [
        "participating_administrations",
        "focus_areas",
        "policy_goals",
        "follow_up_groups",
    ]
    raw_id_fields = ["agenda_items"]
    inlines = [EstateInline, CoFinancingInline]


@admin.register(Estate)
class EstateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "tenancies"]


@admin.register(PlanStatusChange)
class PlanStatusChangeAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "from_status", "to_status", "date", "changed_by"]


@admin.register(CoFinancingPool)
class CoFinancingPoolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_year", "end_year", "budget"]


@admin.register(CoFinancing)
class CoFinancingAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "administration", "year", "amount", "source", "status"]
    list_filter = ["administration", "year", "status", "source"]
    raw_id_fields = ["granted_by_item"]


class PolicyGoalInline(admin.TabularInline):
    model = PolicyGoal
    extra = 0


@admin.register(Policy)
class PolicyAdmin(SimpleHistoryAdmin):
    inlines = [PolicyGoalInline]


@admin.register(PolicyGoal)
class PolicyGoalAdmin(SimpleHistoryAdmin):
    list_display = ["policy", "number", "title"]


@admin.register(CommitmentCorrection)
class CommitmentCorrectionAdmin(SimpleHistoryAdmin):
    list_display = ["commitment", "reason", "recorded_by", "created_at"]
    raw_id_fields = ["commitment", "decided_by_item"]


@admin.register(HousingContribution)
class HousingContributionAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "description", "amount"]
