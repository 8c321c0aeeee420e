from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, Attachment, Case, Decision, MemberInquiry, RecommendationPoint


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "administration", "opened_on"]
    list_filter = ["administration"]
    search_fields = ["number", "title"]


class RecommendationPointInline(admin.TabularInline):
    model = RecommendationPoint
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "case", "meeting", "item_type", "status", "is_closed"]
    list_filter = ["item_type", "status", "is_closed", "meeting__committee"]
    search_fields = ["title", "case__number"]
    raw_id_fields = ["case", "meeting"]
    inlines = [RecommendationPointInline, AttachmentInline]


@admin.register(RecommendationPoint)
class RecommendationPointAdmin(SimpleHistoryAdmin):
    list_display = ["item", "position", "text"]


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["item", "position", "title", "case_number", "is_closed"]
    raw_id_fields = ["item"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["item", "outcome"]
    list_filter = ["outcome"]
    raw_id_fields = ["item"]


@admin.register(MemberInquiry)
class MemberInquiryAdmin(SimpleHistoryAdmin):
    list_display = ["member", "meeting", "case"]
    raw_id_fields = ["meeting", "case"]
