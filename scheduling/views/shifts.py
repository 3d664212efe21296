"""Pages to add, change and delete shifts and absences."""

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careteams import dates, timeutil
from careteams.errors import DomainError, NotFound
from careteams.http import AuthedRequest
from careteams.models import Team
from careteams.versioned_forms import add_error, posted_version, submit_versioned
from scheduling import selectors
from scheduling.forms import AbsenceForm, ShiftForm
from scheduling.models import Absence, Shift
from scheduling.services import shifts as services
from scheduling.services import swaps as swap_services
from scheduling.views.week import week_url


def _week_of(team: Team, moment: dt.datetime) -> dt.date:
    return timeutil.monday_of(moment.astimezone(team.zone).date())


def _initial_day(request: AuthedRequest, team: Team) -> dt.date:
    return dates.query_date(request.GET, "day") or timeutil.local_today(team.zone)


def _render(
    request: AuthedRequest, template: str, status: int = 200, **context: Any
) -> HttpResponse:
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def shift_new(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    members = selectors.team_members(user=request.user, team=team)
    if request.method == "POST":
        form = ShiftForm(request.POST, members=members, zone=team.zone)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shift = services.shift_create(
                    team=team,
                    member=data["member"],
                    start=data["start"],
                    end=data["end"],
                    kind=data["kind"],
                    break_minutes=data["break_minutes"],
                    note=data["note"],
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Shift added."))
                return redirect(week_url(team.id, _week_of(team, shift.start), "rota"))
        return _render(request, "scheduling/shift_form.html", 400, team=team, form=form)
    day = _initial_day(request, team)
    initial: dict[str, Any] = {
        "day": day,
        "start_time": dt.time(7, 0),
        "end_time": dt.time(15, 0),
        "break_minutes": 30,
    }
    member = (
        members.filter(pk=request.GET.get("member", "")).first()
        if _is_uuid(request.GET.get("member", ""))
        else None
    )
    if member is not None:
        initial["member"] = member
    form = ShiftForm(initial=initial, members=members, zone=team.zone)
    return _render(
        request, "scheduling/shift_form.html", team=team, form=form, week=timeutil.monday_of(day)
    )


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _shift_initial(shift: Shift, team: Team) -> dict[str, Any]:
    start, end = shift.start.astimezone(team.zone), shift.end.astimezone(team.zone)
    return {
        "member": shift.member,
        "day": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
        "ends_next_day": end.date() > start.date(),
        "kind": shift.kind,
        "break_minutes": shift.break_minutes,
        "note": shift.note,
        "version": shift.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def shift_edit(request: AuthedRequest, team_id: uuid.UUID, shift_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    shift = selectors.shift_get(user=request.user, team=team, shift_id=shift_id)
    members = selectors.team_members(user=request.user, team=team)

    def make(data: QueryDict) -> ShiftForm:
        return ShiftForm(data, members=members, zone=team.zone)

    def save(form: ShiftForm) -> Shift:
        data = form.cleaned_data
        return services.shift_update(
            shift=shift,
            version=data["version"],
            member=data["member"],
            start=data["start"],
            end=data["end"],
            kind=data["kind"],
            break_minutes=data["break_minutes"],
            note=data["note"],
            actor=request.user,
        )

    status = 200
    if request.method == "POST":
        submitted = submit_versioned(
            data=request.POST, make=make, save=save, current_version=lambda: _stored(shift)
        )
        if submitted.saved:
            messages.success(request, _("Shift changed."))
            return redirect(week_url(team.id, _week_of(team, submitted.result.start), "rota"))
        form, status = submitted.form, submitted.status
    else:
        form = ShiftForm(initial=_shift_initial(shift, team), members=members, zone=team.zone)
    return _render(
        request,
        "scheduling/shift_form.html",
        status,
        team=team,
        form=form,
        shift=shift,
        week=_week_of(team, shift.start),
    )


def _stored(record: Shift | Absence) -> int:
    record.refresh_from_db()
    return record.version


@login_required
@require_POST
def shift_delete(request: AuthedRequest, team_id: uuid.UUID, shift_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    shift = selectors.shift_get(user=request.user, team=team, shift_id=shift_id)
    monday = _week_of(team, shift.start)
    try:
        services.shift_delete(shift=shift, version=posted_version(request), actor=request.user)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        form = ShiftForm(
            initial=_shift_initial(shift, team),
            members=selectors.team_members(user=request.user, team=team),
            zone=team.zone,
        )
        form.add_error(None, error.detail)
        return _render(
            request,
            "scheduling/shift_form.html",
            error.status,
            team=team,
            form=form,
            shift=shift,
            week=monday,
        )
    messages.success(request, _("Shift deleted."))
    return redirect(week_url(team.id, monday, "rota"))


@login_required
@require_POST
def shift_offer(request: AuthedRequest, team_id: uuid.UUID, shift_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    shift = selectors.shift_get(user=request.user, team=team, shift_id=shift_id)
    me = selectors.membership_in(user=request.user, team=team)
    try:
        swap_services.swap_offer_create(team=team, offered_by=me, shift=shift, actor=request.user)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        messages.error(request, error.detail)
        return redirect("scheduling:shift-edit", team_id=team.id, shift_id=shift.id)
    messages.success(request, _("Your shift is offered to the team."))
    return redirect("scheduling:swaps", team_id=team.id)


# Absences ----------------------------------------------------------------------------------


def _absence_initial(absence: Absence, team: Team) -> dict[str, Any]:
    return {
        "member": absence.member,
        "kind": absence.kind,
        "first_day": absence.start.astimezone(team.zone).date(),
        "last_day": (absence.end.astimezone(team.zone) - dt.timedelta(microseconds=1)).date(),
        "note": absence.note,
        "version": absence.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def absence_new(request: AuthedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    members = selectors.team_members(user=request.user, team=team)
    if request.method == "POST":
        form = AbsenceForm(request.POST, members=members, zone=team.zone)
        if form.is_valid():
            data = form.cleaned_data
            try:
                absence = services.absence_create(
                    team=team,
                    member=data["member"],
                    kind=data["kind"],
                    start=data["start"],
                    end=data["end"],
                    note=data["note"],
                    actor=request.user,
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Absence recorded."))
                return redirect(week_url(team.id, _week_of(team, absence.start), "rota"))
        return _render(request, "scheduling/absence_form.html", 400, team=team, form=form)
    day = _initial_day(request, team)
    initial: dict[str, Any] = {"first_day": day, "last_day": day}
    member_id = request.GET.get("member", "")
    if _is_uuid(member_id):
        initial["member"] = members.filter(pk=member_id).first()
    form = AbsenceForm(initial=initial, members=members, zone=team.zone)
    return _render(
        request, "scheduling/absence_form.html", team=team, form=form, week=timeutil.monday_of(day)
    )


@login_required
@require_http_methods(["GET", "POST"])
def absence_edit(request: AuthedRequest, team_id: uuid.UUID, absence_id: uuid.UUID) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    absence = selectors.absence_get(user=request.user, team=team, absence_id=absence_id)
    members = selectors.team_members(user=request.user, team=team)

    def make(data: QueryDict) -> AbsenceForm:
        return AbsenceForm(data, members=members, zone=team.zone)

    def save(form: AbsenceForm) -> Absence:
        data = form.cleaned_data
        return services.absence_update(
            absence=absence,
            version=data["version"],
            member=data["member"],
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            note=data["note"],
            actor=request.user,
        )

    status = 200
    if request.method == "POST":
        submitted = submit_versioned(
            data=request.POST, make=make, save=save, current_version=lambda: _stored(absence)
        )
        if submitted.saved:
            messages.success(request, _("Absence changed."))
            return redirect(week_url(team.id, _week_of(team, submitted.result.start), "rota"))
        form, status = submitted.form, submitted.status
    else:
        form = AbsenceForm(initial=_absence_initial(absence, team), members=members, zone=team.zone)
    return _render(
        request,
        "scheduling/absence_form.html",
        status,
        team=team,
        form=form,
        absence=absence,
        week=_week_of(team, absence.start),
    )


@login_required
@require_POST
def absence_delete(
    request: AuthedRequest, team_id: uuid.UUID, absence_id: uuid.UUID
) -> HttpResponse:
    team = selectors.team_for_member(user=request.user, team_id=team_id)
    absence = selectors.absence_get(user=request.user, team=team, absence_id=absence_id)
    monday = _week_of(team, absence.start)
    try:
        services.absence_delete(
            absence=absence, version=posted_version(request), actor=request.user
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        members = selectors.team_members(user=request.user, team=team)
        form = AbsenceForm(initial=_absence_initial(absence, team), members=members, zone=team.zone)
        form.add_error(None, error.detail)
        return _render(
            request,
            "scheduling/absence_form.html",
            error.status,
            team=team,
            form=form,
            absence=absence,
            week=monday,
        )
    messages.success(request, _("Absence deleted."))
    return redirect(week_url(team.id, monday, "rota"))
