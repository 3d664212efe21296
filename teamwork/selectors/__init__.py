"""Reads of the teamwork app, scoped through careteams.access (another team's record is a 404)."""
