"""Pydantic schemas of the API, one module per topic."""
