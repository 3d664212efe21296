from django.urls import URLPattern, path

from clients.views import care_plan, clients, doorstep, family, location, notes, parts

app_name = "clients"

T = "teams/<uuid:team_id>/"
C = "clients/<uuid:client_id>/"
P = f"{C}problems/<uuid:problem_id>/"
# Every kind kept on the client record (careteams.registry.ClientPart): one set of pages.
K = f"{C}records/<slug:kind>/"

urlpatterns: list[URLPattern] = [
    path(f"{T}clients/", clients.client_list, name="client-list"),
    path(f"{T}clients/new/", clients.client_new, name="client-new"),
    path(f"{T}caseload/", clients.caseload, name="caseload"),
    path(C, clients.client_detail, name="client-detail"),
    path(f"{C}edit/", clients.client_edit, name="client-edit"),
    path(f"{C}nurses/", clients.client_nurses, name="client-nurses"),
    path(f"{C}doorstep/", doorstep.doorstep_edit, name="client-doorstep"),
    path(f"{C}location/", location.client_location_confirm, name="client-location-confirm"),
    path(f"{C}contacts/new/", doorstep.contact_new, name="contact-new"),
    path(f"{C}contacts/<uuid:contact_id>/", doorstep.contact_edit, name="contact-edit"),
    path(f"{C}contacts/<uuid:contact_id>/remove/", doorstep.contact_remove, name="contact-remove"),
    path(f"{C}care-plan.pdf", care_plan.care_plan_pdf, name="care-plan-pdf"),
    path(f"{C}problems/new/", care_plan.problem_new, name="problem-new"),
    path(P, care_plan.problem_detail, name="problem-detail"),
    path(f"{P}interventions/", care_plan.intervention_new, name="intervention-new"),
    path(f"{P}ratings/", care_plan.rating_new, name="rating-new"),
    path(
        f"{P}interventions/<uuid:intervention_id>/visits/",
        doorstep.intervention_schedule,
        name="intervention-schedule",
    ),
    path(f"{P}resolve/", care_plan.problem_resolve, name="problem-resolve"),
    path(K, parts.part, name="part"),
    path(f"{K}<uuid:record_id>/", parts.part_change, name="part-change"),
    path(f"{K}<uuid:record_id>/end/", parts.part_end, name="part-end"),
    path(f"{C}notes/", notes.notes, name="notes"),
    path(f"{C}notes/new/", notes.note_new, name="note-new"),
    path(f"{C}family/", family.family_access, name="family-access"),
    path(f"{C}family/<uuid:access_id>/revoke/", family.family_revoke, name="family-revoke"),
    path("family/invitations/<str:token>/", family.invitation, name="invitation"),
    path("family/clients/<uuid:client_id>/", family.family_client, name="family-client"),
    path(
        "family/clients/<uuid:client_id>/care-plan.pdf",
        family.family_care_plan_pdf,
        name="family-care-plan-pdf",
    ),
]
