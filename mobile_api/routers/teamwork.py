"""How the team runs itself, for the apps: settings, members' skills and hours, role terms,
meetings with their agendas, decisions by consent (append-only), actions, and the figures over
time. Each write goes through the teamwork and careteams services, like the pages."""

import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Query, Router, Status

from careteams import access, timeutil
from careteams import services as team_services
from careteams.errors import DomainError
from careteams.models import Membership, Team
from mobile_api.problems import ERRORS_FOR_READS, ERRORS_FOR_WRITES, error_responses
from mobile_api.schemas.teamwork import (
    ActionIn,
    ActionOut,
    AgendaItemIn,
    AgendaItemOut,
    DecisionIn,
    DecisionOut,
    DecisionQuery,
    FiguresOut,
    FiguresQuery,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MemberIn,
    MemberOut,
    RoleTermIn,
    RoleTermOut,
    TeamSettingsIn,
    TeamSettingsOut,
    VersionIn,
)
from mobile_api.security import user_of
from mobile_api.versions import base_version, tag
from teamwork.figures import PeriodFigures
from teamwork.models import ActionItem, AgendaItem, Decision, Meeting, RoleTerm
from teamwork.selectors import figures as figure_selectors
from teamwork.selectors import governance, meetings
from teamwork.services import meetings as meeting_services
from teamwork.services import roles as role_services

router = Router(tags=["Team"])
READ = error_responses(ERRORS_FOR_READS)
WRITE = error_responses(ERRORS_FOR_WRITES)


def _team(request: HttpRequest, team_id: uuid.UUID) -> Team:
    return governance.team_get(user=user_of(request), team_id=team_id)


def _member(request: HttpRequest, team: Team, member_id: uuid.UUID, field: str) -> Membership:
    found = access.members_visible_to(user_of(request)).filter(team=team, pk=member_id).first()
    if found is None:
        raise DomainError(gettext("Choose a current member of this team."), field=field)
    return found


# Settings and members --------------------------------------------------------------------


def _settings_out(request: HttpRequest, team: Team) -> dict[str, Any]:
    return {
        "id": team.id,
        "name": team.name,
        "timezone": team.timezone,
        "holiday_subdivision": team.holiday_subdivision,
        "continuity_limit": team.continuity_limit,
        "phone": team.phone,
        "phone_hours": team.phone_hours,
        "late_grace_minutes": team.late_grace_minutes,
        "language": team.language,
        "bilingual_notices": team.bilingual_notices,
        "managed_by_role": team.managed_by_role,
        "may_manage": governance.may_manage(user=user_of(request), team=team),
        "version": team.version,
    }


@router.get(
    "/teams/{team_id}/settings",
    response={200: TeamSettingsOut, **READ},
    summary="The team's settings, and whether you may change them",
)
def settings_get(request: HttpRequest, team_id: uuid.UUID, response: HttpResponse) -> Any:
    team = _team(request, team_id)
    tag(response, team.version)
    return _settings_out(request, team)


@router.put(
    "/teams/{team_id}/settings",
    response={200: TeamSettingsOut, **WRITE},
    summary="Change the team's settings (the fields sent; If-Match or version)",
)
def settings_update(
    request: HttpRequest, team_id: uuid.UUID, payload: TeamSettingsIn, response: HttpResponse
) -> Any:
    team = _team(request, team_id)
    sent = payload.dict(exclude_unset=True, exclude={"version"})
    current = team_services.team_details_of(team)
    changed = {k: v for k, v in sent.items() if k in team_services.TEAM_SETTINGS_FIELDS}
    team = team_services.team_update(
        team=team,
        version=base_version(request, payload.version),
        details=replace(current, **{k: v for k, v in changed.items() if v is not None}),
        actor=user_of(request),
    )
    tag(response, team.version)
    return _settings_out(request, team)


def _member_out(member: Membership) -> dict[str, Any]:
    return {
        "id": member.id,
        "name": member.user.get_full_name() or member.user.email,
        "role": member.role,
        "skills": list(member.skills or []),
        "contracted_hours": float(member.contracted_hours),
        "team_roles": list(member.team_roles or []),
        "version": member.version,
    }


@router.get(
    "/teams/{team_id}/members",
    response={200: list[MemberOut], **READ},
    summary="The team's members with their skills, hours and roles",
)
def members_list(request: HttpRequest, team_id: uuid.UUID) -> Any:
    team = _team(request, team_id)
    return [_member_out(m) for m in governance.members_of(user=user_of(request), team=team)]


@router.put(
    "/teams/{team_id}/members/{member_id}",
    response={200: MemberOut, **WRITE},
    summary="Change a member's skills and contracted hours (If-Match or version)",
)
def member_update(
    request: HttpRequest,
    team_id: uuid.UUID,
    member_id: uuid.UUID,
    payload: MemberIn,
    response: HttpResponse,
) -> Any:
    team = _team(request, team_id)
    member = governance.member_get(user=user_of(request), team=team, membership_id=member_id)
    updated = team_services.membership_update(
        membership=member,
        version=base_version(request, payload.version),
        details=team_services.MembershipDetails(
            role=member.role,
            contracted_hours=Decimal(str(payload.contracted_hours)),
            skills=list(dict.fromkeys(payload.skills)),
            team_roles=list(member.team_roles or []),
        ),
        actor=user_of(request),
    )
    updated.user = member.user
    tag(response, updated.version)
    return _member_out(updated)


# Role terms --------------------------------------------------------------------------------


def _term_out(term: RoleTerm, view: governance.TermView) -> dict[str, Any]:
    return {
        "id": term.id,
        "member_id": term.member_id,
        "role": term.role,
        "starts_on": term.starts_on,
        "ends_on": term.ends_on,
        "ended_on": term.ended_on,
        "due": view.due,
        "overdue": view.overdue,
        "version": term.version,
    }


@router.get(
    "/teams/{team_id}/role-terms",
    response={200: list[RoleTermOut], **READ},
    summary="Current and coming role terms, with those due to rotate",
)
def role_terms(request: HttpRequest, team_id: uuid.UUID) -> Any:
    view = governance.roles_of(user=user_of(request), team_id=team_id)
    return [_term_out(t.term, t) for t in view.terms]


@router.post(
    "/teams/{team_id}/role-terms",
    response={201: RoleTermOut, **WRITE},
    summary="Start a role term (the role's current holder hands over)",
)
def role_term_start(
    request: HttpRequest, team_id: uuid.UUID, payload: RoleTermIn, response: HttpResponse
) -> Any:
    team = _team(request, team_id)
    term = role_services.role_term_start(
        team=team,
        member=_member(request, team, payload.member_id, "member_id"),
        role=payload.role,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        actor=user_of(request),
    )
    tag(response, term.version)
    return Status(201, _term_out(term, governance.TermView(term, timeutil.local_today(team.zone))))


@router.post(
    "/teams/{team_id}/role-terms/{term_id}/end",
    response={200: RoleTermOut, **WRITE},
    summary="End a role term today (If-Match or version)",
)
def role_term_end(
    request: HttpRequest,
    team_id: uuid.UUID,
    term_id: uuid.UUID,
    payload: VersionIn,
    response: HttpResponse,
) -> Any:
    team = _team(request, team_id)
    term = governance.term_get(user=user_of(request), team=team, term_id=term_id)
    ended = role_services.role_term_end(
        term=term, version=base_version(request, payload.version), actor=user_of(request)
    )
    tag(response, ended.version)
    return _term_out(ended, governance.TermView(ended, timeutil.local_today(team.zone)))


# Meetings, decisions, actions ---------------------------------------------------------------


def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "version": meeting.version,
    }


def _item_out(item: AgendaItem, decisions: list[Decision]) -> dict[str, Any]:
    return {
        "id": item.id,
        "meeting_id": item.meeting_id,
        "title": item.title,
        "proposal": item.proposal,
        "status": item.status,
        "added_by_id": item.added_by_id,
        "decision_ids": [d.id for d in decisions],
        "version": item.version,
    }


def _successor(decision: Decision) -> uuid.UUID | None:
    try:
        return decision.superseded_by.id
    except ObjectDoesNotExist:
        return None


def _decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "meeting_id": decision.meeting_id,
        "item_id": decision.item_id,
        "title": decision.title,
        "text": decision.text,
        "outcome": decision.outcome,
        "present": decision.present,
        "objections": decision.objections,
        "supersedes_id": decision.supersedes_id,
        "superseded_by_id": _successor(decision),
        "decided_by_id": decision.decided_by_id,
        "decided_at": decision.decided_at,
        "version": decision.version,
    }


def _action_out(action: ActionItem) -> dict[str, Any]:
    return {
        "id": action.id,
        "decision_id": action.decision_id,
        "medicine_line_id": action.medicine_line_id,
        "text": action.text,
        "owner_id": action.owner_id,
        "due_on": action.due_on,
        "done_at": action.done_at,
        "done_by_id": action.done_by_id,
        "withdrawn_at": action.withdrawn_at,
        "withdrawn_reason": action.withdrawn_reason,
        "version": action.version,
    }


@router.get(
    "/teams/{team_id}/meetings",
    response={200: list[MeetingOut], **READ},
    summary="The team's meetings, latest first",
)
def meetings_list(request: HttpRequest, team_id: uuid.UUID) -> Any:
    _, found = meetings.meetings_of(user=user_of(request), team_id=team_id)
    return [_meeting_out(m) for m in found]


@router.post(
    "/teams/{team_id}/meetings", response={201: MeetingOut, **WRITE}, summary="Plan a meeting"
)
def meeting_create(request: HttpRequest, team_id: uuid.UUID, payload: MeetingIn) -> Any:
    meeting = meeting_services.meeting_create(
        team=_team(request, team_id),
        title=payload.title,
        held_on=payload.held_on,
        actor=user_of(request),
    )
    return Status(201, _meeting_out(meeting))


@router.get(
    "/teams/{team_id}/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **READ},
    summary="A meeting with its agenda",
)
def meeting_get(request: HttpRequest, team_id: uuid.UUID, meeting_id: uuid.UUID) -> Any:
    view = meetings.meeting_view(user=user_of(request), team_id=team_id, meeting_id=meeting_id)
    return {
        **_meeting_out(view.meeting),
        "items": [_item_out(item, decisions) for item, decisions in view.rows],
    }


@router.post(
    "/teams/{team_id}/meetings/{meeting_id}/agenda",
    response={201: AgendaItemOut, **WRITE},
    summary="Add an item to the agenda",
)
def agenda_item_add(
    request: HttpRequest, team_id: uuid.UUID, meeting_id: uuid.UUID, payload: AgendaItemIn
) -> Any:
    team = _team(request, team_id)
    meeting = meetings.meeting_get(user=user_of(request), team=team, meeting_id=meeting_id)
    item = meeting_services.agenda_item_add(
        meeting=meeting, title=payload.title, proposal=payload.proposal, actor=user_of(request)
    )
    return Status(201, _item_out(item, []))


@router.post(
    "/teams/{team_id}/agenda/{item_id}/decision",
    response={201: DecisionOut, **WRITE},
    summary="Record the meeting's decision on an item, by consent",
)
def decision_record(
    request: HttpRequest, team_id: uuid.UUID, item_id: uuid.UUID, payload: DecisionIn
) -> Any:
    team = _team(request, team_id)
    item = meetings.item_get(user=user_of(request), team=team, item_id=item_id)
    decision = meeting_services.decision_record(
        item=item,
        text=payload.text,
        outcome=payload.outcome,
        present=payload.present,
        objections=payload.objections,
        actor=user_of(request),
    )
    return Status(201, _decision_out(decision))


@router.get(
    "/teams/{team_id}/decisions",
    response={200: list[DecisionOut], **READ},
    summary="The decision log: words in the title or text, and a date range",
)
def decisions_list(request: HttpRequest, team_id: uuid.UUID, query: Query[DecisionQuery]) -> Any:
    log = meetings.decision_log(
        user=user_of(request),
        team_id=team_id,
        query=meetings.LogQuery(query.q.strip(), query.since, query.until),
    )
    return [_decision_out(d) for d in log.decisions]


@router.post(
    "/teams/{team_id}/decisions/{decision_id}/supersede",
    response={201: DecisionOut, **WRITE},
    summary="Change a decision: a new decision that supersedes it (the old one stays)",
)
def decision_supersede(
    request: HttpRequest, team_id: uuid.UUID, decision_id: uuid.UUID, payload: DecisionIn
) -> Any:
    team = _team(request, team_id)
    old = meetings.decision_get(user=user_of(request), team=team, decision_id=decision_id)
    new = meeting_services.decision_supersede(
        decision=old,
        text=payload.text,
        outcome=payload.outcome,
        present=payload.present,
        objections=payload.objections,
        actor=user_of(request),
    )
    return Status(201, _decision_out(new))


@router.post(
    "/teams/{team_id}/decisions/{decision_id}/actions",
    response={201: ActionOut, **WRITE},
    summary="Give a decision an action",
)
def action_add(
    request: HttpRequest, team_id: uuid.UUID, decision_id: uuid.UUID, payload: ActionIn
) -> Any:
    team = _team(request, team_id)
    decision = meetings.decision_get(user=user_of(request), team=team, decision_id=decision_id)
    action = meeting_services.action_add(
        decision=decision,
        text=payload.text,
        owner=_member(request, team, payload.owner_id, "owner_id"),
        due_on=payload.due_on,
        actor=user_of(request),
    )
    return Status(201, _action_out(action))


@router.get(
    "/teams/{team_id}/my-actions",
    response={200: list[ActionOut], **READ},
    summary="My open actions, soonest first (as on My day)",
)
def my_actions(request: HttpRequest, team_id: uuid.UUID) -> Any:
    team = _team(request, team_id)
    member = access.membership_of(user_of(request), team)
    return [_action_out(a) for a in meetings.open_actions_for(member=member)] if member else []


@router.post(
    "/teams/{team_id}/actions/{action_id}/take",
    response={200: ActionOut, **WRITE},
    summary="Take an action nobody owns yet, such as telling the GP (If-Match or version)",
)
def action_take(
    request: HttpRequest,
    team_id: uuid.UUID,
    action_id: uuid.UUID,
    payload: VersionIn,
    response: HttpResponse,
) -> Any:
    team = _team(request, team_id)
    action = meetings.action_get(user=user_of(request), team=team, action_id=action_id)
    taken = meeting_services.action_take(
        action=action, version=base_version(request, payload.version), actor=user_of(request)
    )
    tag(response, taken.version)
    return _action_out(taken)


@router.post(
    "/teams/{team_id}/actions/{action_id}/done",
    response={200: ActionOut, **WRITE},
    summary="Mark an action done (If-Match or version)",
)
def action_done(
    request: HttpRequest,
    team_id: uuid.UUID,
    action_id: uuid.UUID,
    payload: VersionIn,
    response: HttpResponse,
) -> Any:
    team = _team(request, team_id)
    action = meetings.action_get(user=user_of(request), team=team, action_id=action_id)
    done = meeting_services.action_done(
        action=action, version=base_version(request, payload.version), actor=user_of(request)
    )
    tag(response, done.version)
    return _action_out(done)


# Figures -----------------------------------------------------------------------------------


def _period_out(row: PeriodFigures) -> dict[str, Any]:
    return {
        "label": row.period.label,
        "first_day": row.period.first_day,
        "days": row.period.days,
        "shift_hours": row.shift_hours,
        "client_hours": row.client_hours,
        "client_share_percent": row.client_share,
        "contracted_hours": row.contracted_hours,
        "visits": row.visits,
        "late": row.late,
        "missed": row.missed,
        "clients": row.clients,
        "carers_per_client": row.carers_per_client,
        "most_carers": row.most_carers,
        "clients_over_limit": row.over_limit,
        "sickness_hours": row.sickness_hours,
        "sickness_percent": row.sickness_rate,
        "problems_rated_twice": row.problems_rated,
        "knowledge_change": row.knowledge_change,
        "behaviour_change": row.behaviour_change,
        "status_change": row.status_change,
    }


@router.get(
    "/teams/{team_id}/figures",
    response={200: FiguresOut, **READ},
    summary="The team's figures over weeks or months (members and the team's coach)",
)
def figures(request: HttpRequest, team_id: uuid.UUID, query: Query[FiguresQuery]) -> Any:
    trend = figure_selectors.team_trend(user=user_of(request), team_id=team_id, scale=query.by)
    return {
        "team_id": trend.team.id,
        "scale": trend.scale,
        "grace_minutes": trend.grace_minutes,
        "periods": [_period_out(r) for r in trend.rows],
    }
