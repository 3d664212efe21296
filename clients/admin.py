from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from careteams.admin_feed import FeedAdmin, ReadLoggedAdmin, ReadOnlyAdmin
from clients.models import (
    CareProblem,
    Client,
    EmergencyContact,
    FamilyAccess,
    Intervention,
    Note,
    OutcomeRating,
)


@admin.register(Client)
class ClientAdmin(ReadLoggedAdmin, FeedAdmin):
    read_client_path = ""
    entity = "client"
    list_display = ("family_name", "given_name", "team", "nhs_number", "postcode", "status")
    list_filter = ("team", "status")
    search_fields = ("given_name", "family_name", "preferred_name", "nhs_number", "postcode")
    autocomplete_fields = ("primary_nurse", "second_nurse", "user")
    list_select_related = ("team",)


@admin.register(CareProblem)
class CareProblemAdmin(ReadLoggedAdmin, FeedAdmin):
    entity = "care_problem"
    list_display = ("client", "problem_code", "scope", "severity", "status", "identified_on")
    list_filter = ("status", "severity", "scope", "problem_code", "client__team")
    search_fields = ("client__given_name", "client__family_name")
    autocomplete_fields = ("client",)
    list_select_related = ("client",)


@admin.register(Intervention)
class InterventionAdmin(FeedAdmin):
    entity = "intervention"
    list_display = ("problem", "category", "target", "frequency", "active")
    list_filter = ("category", "active")
    search_fields = ("care_description", "problem__client__family_name")
    autocomplete_fields = ("problem",)
    list_select_related = ("problem__client",)


@admin.register(OutcomeRating)
class OutcomeRatingAdmin(FeedAdmin):
    entity = "outcome_rating"
    list_display = ("problem", "rated_on", "knowledge", "behaviour", "status", "rated_by")
    list_filter = ("rated_on",)
    search_fields = ("problem__client__family_name",)
    autocomplete_fields = ("problem", "rated_by")
    list_select_related = ("problem__client", "rated_by")


@admin.register(Note)
class NoteAdmin(ReadLoggedAdmin, ReadOnlyAdmin):
    """Notes are read here, never changed: they are written in the app, and amended there."""

    list_display = ("client", "author", "recorded_at", "received_at", "shareable", "amends")
    list_filter = ("shareable", "client__team")
    search_fields = ("client__given_name", "client__family_name", "body")
    date_hierarchy = "recorded_at"
    list_select_related = ("client", "author")


@admin.register(FamilyAccess)
class FamilyAccessAdmin(FeedAdmin):
    entity = "family_access"
    list_display = ("client", "person", "relationship", "consent_basis", "granted_at", "revoked_at")
    list_filter = ("relationship", "consent_basis", "revoked_at")
    search_fields = ("client__family_name", "person__email", "invited_email")
    autocomplete_fields = ("client", "person", "granted_by", "revoked_by")
    list_select_related = ("client", "person")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        """Invitations are made on the client's page, which shows the link once."""
        return False


@admin.register(EmergencyContact)
class EmergencyContactAdmin(ReadLoggedAdmin, FeedAdmin):
    entity = "emergency_contact"
    list_display = ("client", "order", "name", "relationship", "may_be_told")
    search_fields = ("name", "client__given_name", "client__family_name")
    list_select_related = ("client",)
