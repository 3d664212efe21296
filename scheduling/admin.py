from django.contrib import admin

from careteams.admin_feed import FeedAdmin
from scheduling.models import (
    Absence,
    RotaNotice,
    RotaWeek,
    Shift,
    SwapOffer,
    Visit,
    VisitAssignment,
    VisitPattern,
)
from scheduling.visit_models import MissedVisit, VisitAttendance, VisitTaskOutcome


@admin.register(Shift)
class ShiftAdmin(FeedAdmin):
    entity = "shift"
    list_display = ("member", "team", "kind", "start", "end")
    list_filter = ("team", "kind")
    search_fields = ("member__user__first_name", "member__user__last_name", "note")
    date_hierarchy = "start"
    autocomplete_fields = ("member",)
    list_select_related = ("member__user", "member__team", "team")


@admin.register(Absence)
class AbsenceAdmin(FeedAdmin):
    entity = "absence"
    list_display = ("member", "team", "kind", "start", "end")
    list_filter = ("team", "kind")
    search_fields = ("member__user__first_name", "member__user__last_name", "note")
    date_hierarchy = "start"
    autocomplete_fields = ("member",)
    list_select_related = ("member__user", "member__team", "team")


@admin.register(Visit)
class VisitAdmin(FeedAdmin):
    entity = "visit"
    list_display = ("client", "team", "planned_start", "planned_end", "status", "carers_needed")
    list_filter = ("team", "status", "carers_needed", "edited_by_hand")
    search_fields = ("client__given_name", "client__family_name", "client__postcode")
    date_hierarchy = "planned_start"
    autocomplete_fields = ("client", "pattern")
    list_select_related = ("client", "team")


@admin.register(VisitAssignment)
class VisitAssignmentAdmin(FeedAdmin):
    entity = "visit_assignment"
    list_display = ("visit", "member", "assigned_at", "assigned_by")
    list_filter = ("visit__team",)
    search_fields = ("member__user__first_name", "member__user__last_name")
    autocomplete_fields = ("visit", "member")
    list_select_related = ("visit__client", "member__user", "member__team")


@admin.register(VisitPattern)
class VisitPatternAdmin(FeedAdmin):
    entity = "visit_pattern"
    list_display = ("client", "team", "weekdays", "window_start", "duration_minutes", "active")
    list_filter = ("team", "active", "carers_needed")
    search_fields = ("client__given_name", "client__family_name")
    autocomplete_fields = ("client",)
    list_select_related = ("client", "team")


@admin.register(RotaWeek)
class RotaWeekAdmin(FeedAdmin):
    entity = "rota_week"
    list_display = ("team", "week_start", "status", "published_at", "published_by")
    list_filter = ("team", "status")
    date_hierarchy = "week_start"
    list_select_related = ("team", "published_by")


@admin.register(SwapOffer)
class SwapOfferAdmin(FeedAdmin):
    entity = "swap_offer"
    list_display = ("offered_by", "team", "shift", "visit", "status", "taken_by", "created_at")
    list_filter = ("team", "status")
    search_fields = ("offered_by__user__first_name", "offered_by__user__last_name")
    autocomplete_fields = ("offered_by", "taken_by", "shift", "visit")
    list_select_related = ("offered_by__user", "offered_by__team", "team")


@admin.register(RotaNotice)
class RotaNoticeAdmin(FeedAdmin):
    entity = "rota_notice"
    list_display = ("member", "team", "week_start", "text", "created_at", "seen_at")
    list_filter = ("team", "week_start")
    search_fields = ("member__user__first_name", "member__user__last_name", "text")
    autocomplete_fields = ("member", "created_by")
    list_select_related = ("member__user", "member__team", "team")


# What happens at a visit is written by the carers' services only: read-only here.
@admin.register(VisitAttendance)
class VisitAttendanceAdmin(FeedAdmin):
    entity = "visit_attendance"
    list_display = ("visit", "member", "role", "checked_in_at", "checked_out_at", "withdrawn_at")
    list_filter = ("visit__team", "role")
    list_select_related = ("visit__client", "member__user")


@admin.register(VisitTaskOutcome)
class VisitTaskOutcomeAdmin(FeedAdmin):
    entity = "visit_task_outcome"
    list_display = ("visit", "task_label", "outcome", "reason", "recorded_by", "recorded_at")
    list_filter = ("visit__team", "outcome", "reason")
    list_select_related = ("visit__client", "recorded_by")


@admin.register(MissedVisit)
class MissedVisitAdmin(FeedAdmin):
    entity = "missed_visit"
    list_display = ("visit", "reason", "recorded_by", "recorded_at")
    list_filter = ("visit__team", "reason")
    list_select_related = ("visit__client", "recorded_by")
