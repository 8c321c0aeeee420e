from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Administration,
    Committee,
    FollowUpGroup,
    FollowUpGroupMeeting,
    FollowUpGroupMembership,
    Meeting,
    Membership,
    Person,
)


@admin.register(Administration)
class AdministrationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "administration"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "party", "administration", "user"]
    list_filter = ["party", "administration"]
    search_fields = ["name", "party"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "committee", "role", "start_date", "end_date"]
    list_filter = ["committee", "role"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["committee", "starts_at", "location", "status"]
    list_filter = ["committee", "status"]
    date_hierarchy = "starts_at"


class FollowUpGroupMembershipInline(admin.TabularInline):
    model = FollowUpGroupMembership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(FollowUpGroup)
class FollowUpGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "period_start", "period_end"]
    list_filter = ["kind"]
    inlines = [FollowUpGroupMembershipInline]


@admin.register(FollowUpGroupMembership)
class FollowUpGroupMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["group", "person", "is_chair"]


@admin.register(FollowUpGroupMeeting)
class FollowUpGroupMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["group", "date"]
