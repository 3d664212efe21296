"""The FHIR API under /fhir/ (docs/interoperability.md)."""

from django.urls import path

from interop.views import fhir

app_name = "fhir"

urlpatterns = [
    path("metadata", fhir.metadata, name="metadata"),
    path("token", fhir.token, name="token"),
    path("Patient", fhir.patient_search, name="patient-search"),
    path("Patient/<str:rid>/$everything", fhir.everything, name="everything"),
    path("<str:rtype>", fhir.type_search, name="search"),
    path("<str:rtype>/<str:rid>", fhir.read, name="read"),
]
