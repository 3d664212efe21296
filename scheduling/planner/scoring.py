"""Soft preferences in one place: the weights the solver, the greedy start and the reasons share."""

from __future__ import annotations

from scheduling.planner.prepare import Prepared

UNASSIGNED = 1000  # per carer a visit still lacks
PRIMARY = 60
SECOND = 40
HISTORY = 10  # per earlier visit, counted up to HISTORY_CAP
HISTORY_CAP = 5
PREFERENCE = 10  # per point of a member's stated preference
TRAVEL = 1  # per minute
OVER_CONTRACT = 2  # per minute past the contracted hours
EXTRA_CARER = 100  # per carer past the team's limit of distinct carers per client


def affinity(prep: Prepared, member: int, visit: int) -> int:
    """Negative cost (a gain) of this member doing this visit: continuity and preference."""
    person = prep.data.members[member]
    client = prep.data.visits[visit].client_id
    gain = 0
    nurses = prep.data.primary.get(client, ())
    if nurses[:1] == (person.id,):
        gain += PRIMARY
    elif person.id in nurses[1:2]:
        gain += SECOND
    gain += HISTORY * min(prep.data.history.get((person.id, client), 0), HISTORY_CAP)
    gain += PREFERENCE * person.preferences.get(client, 0)
    return -gain
