"""Every write of the teamwork app: each validates, checks access, saves and records the change
in one transaction (careteams.changes)."""
