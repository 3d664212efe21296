"""The medicines record's kinds in the entity registry (careteams/registry.py).

The team's alone, like the rest of the clinical record: no coach view; the family's plain
MAR is a page of its own (meds-mar), not a feed of these records."""

from careteams import admin_feed, registry
from medicines.models import (
    DOSE_RECORD,
    MEDICINE_LINE,
    MEDICINES_POLICY,
    PRN_FOLLOW_UP,
    STOCK_EVENT,
    DoseRecord,
    MedicineLine,
    MedicinesPolicy,
    PrnFollowUp,
    StockEvent,
)

for entity in (
    registry.Entity(name=MEDICINES_POLICY, model=MedicinesPolicy, team_of=lambda obj: obj.team),
    registry.Entity(
        name=MEDICINE_LINE,
        model=MedicineLine,
        team_of=lambda obj: obj.client.team,
        client_of=lambda obj: obj.client_id,
    ),
    registry.Entity(
        name=DOSE_RECORD,
        model=DoseRecord,
        team_of=lambda obj: obj.client.team,
        client_of=lambda obj: obj.client_id,
    ),
    registry.Entity(
        name=PRN_FOLLOW_UP,
        model=PrnFollowUp,
        team_of=lambda obj: obj.dose.client.team,
        client_of=lambda obj: obj.dose.client_id,
    ),
    registry.Entity(
        name=STOCK_EVENT,
        model=StockEvent,
        team_of=lambda obj: obj.line.client.team,
        client_of=lambda obj: obj.line.client_id,
    ),
):
    registry.register(entity)

admin_feed.declared_admin(MEDICINES_POLICY, list_display=("team", "cd_witness_required"))
admin_feed.declared_admin(MEDICINE_LINE, list_display=("name", "strength", "client", "status"))
admin_feed.declared_admin(DOSE_RECORD, list_display=("line", "due_at", "outcome", "taken_at"))
admin_feed.declared_admin(PRN_FOLLOW_UP, list_display=("dose", "effective"))
admin_feed.declared_admin(STOCK_EVENT, list_display=("line", "kind", "quantity"))
