"""FHIR R4 (4.0.1) resources as plain dicts, one small builder module per topic. Builders take
rows already read and scoped (interop/records.py) and read nothing themselves."""
