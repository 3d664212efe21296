"""The medicines record's kinds in the entity registry (careteams/registry.py).

The team's alone, like the rest of the clinical record: no coach view, no family feed (the
family's plain MAR is a page of its own). Doses and follow-ups are written offline by the
sync push (`dose.record`, `dose.correct`, `dose.follow_up`: handlers in mobile_api)."""

from typing import Any

from django.utils.translation import gettext as _

from careteams import admin_feed, registry
from careteams.models import User
from medicines import services
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
from medicines.services.details import FIELDS, details_of


def _policy_set(policy: MedicinesPolicy, version: int, actor: User) -> MedicinesPolicy:
    return services.policy_change(
        user=actor,
        team=policy.team,
        version=version,
        cd_witness_required=policy.cd_witness_required,
        missed_dose_grace_minutes=policy.missed_dose_grace_minutes,
    )


def _line_add(line: MedicineLine, actor: User) -> MedicineLine:
    return services.line_add(
        user=actor,
        client=line.client,
        details=details_of(line),
        allergy_reason=line.allergy_confirmed_reason,
        line_id=line.pk,
    )


def _line_change(line: MedicineLine, version: int, actor: User) -> MedicineLine:
    return services.line_change(
        user=actor,
        line=line,
        version=version,
        details=details_of(line),
        change_note=_("Changed through the administration pages."),
        allergy_reason=line.allergy_confirmed_reason or _("Confirmed in the administration pages."),
    )


def _line_stop(line: MedicineLine, version: int, actor: User) -> None:
    services.line_stop(
        user=actor,
        line=line,
        version=version,
        reason=line.stopped_reason or _("Stopped through the administration pages."),
    )


def _dose_record(dose: DoseRecord, actor: User) -> DoseRecord:
    return services.dose_record(
        user=actor,
        line=dose.line,
        visit=dose.visit,
        due_at=dose.due_at,
        outcome=dose.outcome,
        record_id=dose.pk,
        amount=dose.amount,
        reason=dose.reason,
        note=dose.note,
        prn_reason=dose.prn_reason,
        taken_at=dose.taken_at,
        witness=dose.witnessed_by,
    )


def _follow_up(follow_up: PrnFollowUp, actor: User) -> PrnFollowUp:
    return services.prn_follow_up(
        user=actor,
        dose=follow_up.dose,
        effective=follow_up.effective,
        note=follow_up.note,
        follow_up_id=follow_up.pk,
    )


def _stock(event: StockEvent, actor: User) -> StockEvent:
    return services.stock_record(
        user=actor,
        line=event.line,
        kind=event.kind,
        quantity=event.quantity,
        note=event.note,
        event_id=event.pk,
    )


def _client_team(obj: Any) -> Any:
    return obj.client.team


for entity in (
    registry.Entity(
        name=MEDICINES_POLICY,
        plan_input=False,
        model=MedicinesPolicy,
        team_of=lambda obj: obj.team,
        create=lambda policy, actor: _policy_set(policy, 1, actor),
        update=_policy_set,
        inputs=("team", "cd_witness_required", "missed_dose_grace_minutes"),
        changeable=("cd_witness_required", "missed_dose_grace_minutes"),
    ),
    registry.Entity(
        name=MEDICINE_LINE,
        plan_input=False,
        model=MedicineLine,
        team_of=_client_team,
        client_of=lambda obj: obj.client_id,
        create=_line_add,
        update=_line_change,
        delete=_line_stop,
        inputs=("client", *FIELDS),
        changeable=FIELDS,
        ends_instead="Stop the chosen medicines",
    ),
    registry.Entity(
        name=DOSE_RECORD,
        plan_input=False,
        model=DoseRecord,
        team_of=_client_team,
        client_of=lambda obj: obj.client_id,
        create=_dose_record,
        inputs=(
            "line",
            "visit",
            "due_at",
            "outcome",
            "amount",
            "reason",
            "note",
            "prn_reason",
            "taken_at",
            "witnessed_by",
        ),
        mutations=("dose.record", "dose.correct"),
    ),
    registry.Entity(
        name=PRN_FOLLOW_UP,
        plan_input=False,
        model=PrnFollowUp,
        team_of=lambda obj: obj.dose.client.team,
        client_of=lambda obj: obj.dose.client_id,
        create=_follow_up,
        inputs=("dose", "effective", "note"),
        mutations=("dose.follow_up",),
    ),
    registry.Entity(
        name=STOCK_EVENT,
        plan_input=False,
        model=StockEvent,
        team_of=lambda obj: obj.line.client.team,
        client_of=lambda obj: obj.line.client_id,
        create=_stock,
        inputs=("line", "kind", "quantity", "note"),
    ),
):
    registry.register(entity)

admin_feed.declared_admin(MEDICINES_POLICY, list_display=("team", "cd_witness_required"))
admin_feed.declared_admin(MEDICINE_LINE, list_display=("name", "strength", "client", "status"))
admin_feed.declared_admin(DOSE_RECORD, list_display=("line", "due_at", "outcome", "taken_at"))
admin_feed.declared_admin(PRN_FOLLOW_UP, list_display=("dose", "effective"))
admin_feed.declared_admin(STOCK_EVENT, list_display=("line", "kind", "quantity"))
