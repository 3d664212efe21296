"""The medicines part of the visit card: recording what happened to a dose, giving a "when
required" dose, saying whether it worked. With htmx only the medicines part comes back (with a
refusal beside the dose it is about); without, the whole card (or back to it)."""

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from careteams.access import get_visible
from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.models import User
from medicines import access
from medicines.models import MedicineLine
from medicines.selectors import line_for
from medicines.services import dose_correct, dose_record, prn_follow_up
from medicines.visit_doses import VisitMedicines, dose_key, visit_medicines
from scheduling import selectors
from scheduling.views.card_common import render_card

TEMPLATE = "medicines/_visit_doses.html"


def _meds(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> VisitMedicines:
    return visit_medicines(user=request.user, team_id=team_id, visit_id=visit_id)


def _answer(
    request: AuthedRequest,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    key: str,
    error: DomainError | None,
) -> HttpResponse:
    """The medicines part again (htmx), the card with the refusal, or back to the card."""
    if error is not None and isinstance(error, NotFound):
        raise error
    status = error.status if error else 200
    if request.headers.get("HX-Request"):
        meds = _meds(request, team_id, visit_id)
        if error is not None:
            meds.errors[key] = error.detail
        return render(request, TEMPLATE, {"meds": meds}, status=status)
    if error is not None:
        card = selectors.doorstep_card(user=request.user, team_id=team_id, visit_id=visit_id)
        return render_card(request, card, errors=[error.detail], status=status)
    url = reverse("scheduling:visit-card", kwargs={"team_id": team_id, "visit_id": visit_id})
    return redirect(f"{url}#{key}")


def _amount(request: AuthedRequest) -> Decimal | None:
    raw = request.POST.get("amount", "").strip()
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise DomainError(
            _("Give the amount as a number, e.g. 1 or 2.5."), field="amount"
        ) from None
    if not amount.is_finite():
        raise DomainError(_("Give the amount as a number, e.g. 1 or 2.5."), field="amount")
    return amount


def _record_id(request: AuthedRequest) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get("record_id", ""))
    except ValueError:
        raise DomainError(
            _("This form is out of date: open the visit again."), field="id"
        ) from None


def _due_at(request: AuthedRequest) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(request.POST.get("due_at", "")), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise DomainError(
            _("This dose has no due time: open the visit again."), field="due_at"
        ) from None


def _witness(request: AuthedRequest, meds: VisitMedicines) -> User | None:
    chosen = request.POST.get("witness", "")
    if not chosen:
        return None
    member = next((m for m in meds.witnesses if str(m.pk) == chosen), None)
    if member is None:
        raise DomainError(_("Choose the witness from the team's members."), field="witness")
    return member.user


@login_required
@require_GET
def visit_doses(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    """The medicines part alone: what the live page asks for when a dose or a line changes."""
    return render(request, TEMPLATE, {"meds": _meds(request, team_id, visit_id)})


def _record(request: AuthedRequest, meds: VisitMedicines, line: MedicineLine, **what: Any) -> None:
    """A dose recorded from the card: what the scheduled and the when-required forms share."""
    dose_record(
        user=request.user,
        line=line,
        visit=meds.visit,
        record_id=_record_id(request),
        amount=_amount(request),
        note=request.POST.get("note", ""),
        witness=_witness(request, meds),
        **what,
    )


@login_required
@require_POST
def dose_outcome(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    """What happened to one scheduled dose of the visit."""
    meds = _meds(request, team_id, visit_id)
    line = line_for(user=request.user, client=meds.client, line_id=request.POST.get("line", ""))
    key = f"prn-{line.pk}"
    try:
        due_at = _due_at(request)
        key = dose_key(line.pk, due_at)
        _record(
            request,
            meds,
            line,
            due_at=due_at,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        return _answer(request, team_id, visit_id, key, error)
    return _answer(request, team_id, visit_id, key, None)


@login_required
@require_POST
def dose_fix(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    """A correction of a dose recorded at this visit: a new record with its reason."""
    meds = _meds(request, team_id, visit_id)
    record = get_visible(
        access.doses_visible_to(request.user).filter(client=meds.client, visit=meds.visit),
        request.POST.get("record", ""),
    )
    due = record.due_at
    key = dose_key(record.line_id, due) if due is not None else f"prn-{record.line_id}"
    try:
        dose_correct(
            user=request.user,
            record=record,
            outcome=request.POST.get("outcome", ""),
            correction_reason=request.POST.get("correction_reason", ""),
            amount=_amount(request),
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
            witness=_witness(request, meds),
            record_id=_record_id(request),
        )
    except DomainError as error:
        return _answer(request, team_id, visit_id, key, error)
    return _answer(request, team_id, visit_id, key, None)


@login_required
@require_POST
def prn_give(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    """A "when required" dose, with why it was needed; refused inside the interval or over the
    24-hour maximum, with the time it will be allowed."""
    meds = _meds(request, team_id, visit_id)
    line = line_for(user=request.user, client=meds.client, line_id=request.POST.get("line", ""))
    key = f"prn-{line.pk}"
    try:
        _record(
            request,
            meds,
            line,
            due_at=None,
            outcome=request.POST.get("outcome", "given"),
            prn_reason=request.POST.get("prn_reason", ""),
        )
    except DomainError as error:
        return _answer(request, team_id, visit_id, key, error)
    return _answer(request, team_id, visit_id, key, None)


@login_required
@require_POST
def prn_worked(request: AuthedRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    """Whether a "when required" dose worked, asked at a later visit."""
    meds = _meds(request, team_id, visit_id)
    dose = get_visible(
        access.doses_visible_to(request.user).filter(client=meds.client),
        request.POST.get("dose", ""),
    )
    key = f"worked-{dose.pk}"
    try:
        if request.POST.get("effective") not in ("yes", "no"):
            raise DomainError(_("Say whether it worked."), field="effective")
        prn_follow_up(
            user=request.user,
            dose=dose,
            effective=request.POST["effective"] == "yes",
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        return _answer(request, team_id, visit_id, key, error)
    return _answer(request, team_id, visit_id, key, None)
