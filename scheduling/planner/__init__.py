"""The team planner: pure Python and OR-Tools, no Django (see docs/planner.md)."""
