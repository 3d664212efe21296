"""Sharing records the standard way: partner organisations, their consents and the read-only
FHIR R4 API with UK Core profiles (docs/interoperability.md)."""
