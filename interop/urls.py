from django.urls import path

from interop.views import pages

app_name = "interop"

urlpatterns = [
    path("teams/<uuid:team_id>/partners/", pages.partners, name="partners"),
    path(
        "partners/<uuid:partner_id>/credentials/",
        pages.credentials_issue,
        name="credentials-issue",
    ),
    path(
        "partners/<uuid:partner_id>/credentials/revoke/",
        pages.credentials_revoke,
        name="credentials-revoke",
    ),
    path("clients/<uuid:client_id>/consents/", pages.consents, name="consents"),
    path("consents/<uuid:consent_id>/revoke/", pages.consent_revoke, name="consent-revoke"),
]
