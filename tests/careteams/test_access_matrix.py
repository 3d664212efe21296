"""The access matrix (docs/architecture.md, Who may see what), for every page, socket and role.

The test finds the URL patterns itself: a new page without a rule here fails
`test_every_page_has_a_rule`. "Nothing" is a 404 (the record does not exist for that user),
never a 403 that confirms it exists; anonymous people are sent to sign in.
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import tokens
from careteams.models import User
from clients.models import CareProblem, EmergencyContact, FamilyAccess, Intervention, Note
from messaging.models import HandoverNote
from realtime.consumers import CloseCode
from realtime.routing import websocket_urlpatterns
from scheduling.models import (
    Absence,
    PlanRun,
    PlanRunStatus,
    RotaNotice,
    Shift,
    SwapOffer,
    Visit,
    VisitPattern,
)
from tablet.models import HeldItem
from tests import kinds
from tests.careteams.test_consumer import closed_with, connect, messages_until_live
from tests.conftest import Cast, at
from tests.interop import conftest as interop_world
from tests.medicines.helpers import medicine_line
from tests.teamwork.conftest import workings_ids

ROLES = ("member", "other_member", "coach", "family", "family_without", "client", "anonymous")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}

MEMBER = frozenset({"member"})
MEMBER_AND_COACH = frozenset({"member", "coach"})
FAMILY_VIEW = frozenset({"family", "client"})
COACH = frozenset({"coach"})
NO_ONE = frozenset[str]()

# Who may open each page; everyone else signed in gets a 404 and anonymous people the sign-in
# page. PUBLIC pages answer everyone.
PUBLIC = "public"
# A page behind a one-time link: a made-up link opens for no one, signed in or not.
LINK_ONLY = "link-only"
RULES: dict[str, frozenset[str] | str] = {
    "home": SIGNED_IN,
    "team-home": MEMBER_AND_COACH,
    "membership-end": MEMBER,
    "coach-home": COACH,
    "family-home": FAMILY_VIEW,
    "healthz": PUBLIC,
    # The tablet app's shell: nobody's data (tests/tablet), so that it installs and loads offline.
    "tablet:manifest": PUBLIC,
    "tablet:service-worker": PUBLIC,
    "tablet:offline": PUBLIC,
    "tablet:offline-in": PUBLIC,  # the offline page in each language, precached
    "tablet:bundle": MEMBER,
    "tablet:jsi18n": PUBLIC,  # the words of the tablet's scripts, precached with the shell
    "scheduling:jsi18n": PUBLIC,  # the words of the week grid's script
    # What arrived from a former member's tablet, and the review of a held item (issue 26).
    "tablet:late-notes": MEMBER,
    "tablet:held-review": MEMBER,
    # Accounts (accounts/ and django-allauth): signing in, out, resetting a password, two-factor.
    "login": PUBLIC,
    # The language switch on every page, the sign-in page's too (docs/welsh.md).
    "language-set": PUBLIC,
    "account_login": PUBLIC,
    "logout": SIGNED_IN,
    "account_logout": SIGNED_IN,
    "account_signup": PUBLIC,  # says sign-up is by invitation only
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_inactive": PUBLIC,
    "account_confirm_email": PUBLIC,
    "account_change_password": SIGNED_IN,
    "account_set_password": SIGNED_IN,
    "account_email": SIGNED_IN,
    "account_reauthenticate": SIGNED_IN,
    "account_confirm_login_code": SIGNED_IN,
    "account-security": SIGNED_IN,
    "sign-out-other-devices": SIGNED_IN,
    # One's own app device only: the one in the table is the member's.
    "device-sign-out": MEMBER,
    "mfa_index": SIGNED_IN,
    "mfa_activate_totp": SIGNED_IN,
    "mfa_authenticate": SIGNED_IN,
    "mfa_reauthenticate": SIGNED_IN,
    "mfa_generate_recovery_codes": SIGNED_IN,
    # Only for people who have set up two-factor (no one in the cast has).
    "mfa_deactivate_totp": NO_ONE,
    "mfa_download_recovery_codes": NO_ONE,
    "mfa_view_recovery_codes": NO_ONE,
    "team-invite": MEMBER,
    "team-invitation": LINK_ONLY,
    "family-sign-up": LINK_ONLY,
    # The API's browsable docs load their scripts from here; the API has its own matrix
    # (tests/mobile_api/test_access_matrix.py).
    "api-docs-asset": PUBLIC,
    # The rota: the team; its coach reads the figures and the rota PDF (hours, no clients).
    "scheduling:week-current": MEMBER,
    "scheduling:week": MEMBER,
    "scheduling:week-generate": MEMBER,
    "scheduling:week-copy-shifts": MEMBER,
    "scheduling:week-publish": MEMBER,
    "scheduling:week-assign": MEMBER,
    "scheduling:visit-row": MEMBER,
    "scheduling:grid-move": MEMBER,
    "scheduling:grid-hints": MEMBER,
    "scheduling:plan-start": MEMBER,
    "scheduling:plan-stop": MEMBER,
    "scheduling:plan-accept": MEMBER,
    "scheduling:plan-dismiss": MEMBER,
    "scheduling:week-pdf": MEMBER_AND_COACH,
    "scheduling:member-week-pdf": MEMBER,
    "scheduling:member-run-sheet-pdf": MEMBER,
    "scheduling:shift-new": MEMBER,
    "scheduling:shift-edit": MEMBER,
    "scheduling:shift-delete": MEMBER,
    "scheduling:shift-offer": MEMBER,
    "scheduling:absence-new": MEMBER,
    "scheduling:absence-edit": MEMBER,
    "scheduling:absence-delete": MEMBER,
    "scheduling:visit-new": MEMBER,
    "scheduling:visit": MEMBER,
    "scheduling:visit-assign": MEMBER,
    "scheduling:visit-unassign": MEMBER,
    "scheduling:visit-cancel": MEMBER,
    "scheduling:visit-offer": MEMBER,
    "scheduling:visit-check-in": MEMBER,
    "scheduling:visit-check-out": MEMBER,
    "scheduling:visit-card": MEMBER,
    "scheduling:visit-check-in-withdraw": MEMBER,
    "scheduling:visit-task": MEMBER,
    "medicines_visit:doses": MEMBER,
    "medicines_visit:dose-outcome": MEMBER,
    "medicines_visit:dose-correct": MEMBER,
    "medicines_visit:prn-give": MEMBER,
    "medicines_visit:prn-worked": MEMBER,
    "scheduling:visit-missed": MEMBER,
    "scheduling:team-today": MEMBER,
    "scheduling:notices-seen": MEMBER,
    "scheduling:patterns": MEMBER,
    "scheduling:pattern-new": MEMBER,
    "scheduling:pattern-edit": MEMBER,
    "scheduling:my-day": MEMBER,
    "scheduling:notice-seen": MEMBER,
    "scheduling:swaps": MEMBER,
    "scheduling:swap-take": MEMBER,
    "scheduling:swap-withdraw": MEMBER,
    "scheduling:figures": MEMBER_AND_COACH,
    # Clients: the full record is the team's; family and the client read the plain view.
    "clients:client-list": MEMBER,
    "clients:client-new": MEMBER,
    "clients:caseload": MEMBER,
    "clients:client-detail": MEMBER,
    "clients:client-edit": MEMBER,
    "clients:client-nurses": MEMBER,
    "clients:client-doorstep": MEMBER,
    "clients:client-location-confirm": MEMBER,
    "clients:contact-new": MEMBER,
    "clients:contact-edit": MEMBER,
    "clients:contact-remove": MEMBER,
    "clients:intervention-schedule": MEMBER,
    "clients:care-plan-pdf": MEMBER,
    "clients:problem-new": MEMBER,
    "clients:problem-detail": MEMBER,
    "clients:intervention-new": MEMBER,
    "clients:rating-new": MEMBER,
    "clients:problem-resolve": MEMBER,
    "clients:notes": MEMBER,
    "clients:note-new": MEMBER,
    "clients:family-access": MEMBER,
    "clients:family-revoke": MEMBER,
    # An invitation link opens only for its invitee; a made-up one opens for no one.
    "clients:invitation": NO_ONE,
    "clients:family-client": FAMILY_VIEW,
    "clients:family-care-plan-pdf": FAMILY_VIEW,
    # How the team runs itself: the team's own; its coach reads the figures and answers help.
    "teamwork:team-settings": MEMBER,
    "teamwork:members": MEMBER,
    "teamwork:member-edit": MEMBER,
    "teamwork:roles": MEMBER,
    "teamwork:role-term-end": MEMBER,
    "teamwork:history": MEMBER,
    "teamwork:meetings": MEMBER,
    "teamwork:meeting": MEMBER,
    "teamwork:item-decide": MEMBER,
    "teamwork:decisions": MEMBER,
    "teamwork:decision": MEMBER,
    "teamwork:decision-change": MEMBER,
    "teamwork:actions": MEMBER,
    "teamwork:action-take": MEMBER,
    "teamwork:action-done": MEMBER,
    "teamwork:trends": MEMBER_AND_COACH,
    "teamwork:trends-csv": MEMBER_AND_COACH,
    "teamwork:help": MEMBER,
    "teamwork:coach-answer": COACH,
    # Messages: the team channel is the team's and its coach's; a client's channel and the
    # handover notes are the team's only; family read what was shared with them.
    "messaging:channels": MEMBER_AND_COACH,
    "messaging:team-channel": MEMBER_AND_COACH,
    "messaging:team-items": MEMBER_AND_COACH,
    "messaging:unread": MEMBER_AND_COACH,
    "messaging:handover-new": MEMBER,
    "messaging:my-handovers": MEMBER,
    "messaging:client-channel": MEMBER,
    "messaging:client-items": MEMBER,
    "messaging:client-handover-new": MEMBER,
    "messaging:family-items": FAMILY_VIEW,
    "messaging:handover-read": MEMBER,
    # Sharing with partners (interop/): the team's partners and a client's consents. The FHIR
    # API itself answers partners' tokens, not sessions: tests/interop/test_fhir_access.py.
    "interop:partners": MEMBER,
    "interop:credentials-issue": MEMBER,
    "interop:credentials-revoke": MEMBER,
    "interop:consents": MEMBER,
    "interop:consent-revoke": MEMBER,
    # Every kind kept on the client record (careteams.registry.ClientPart), one set of pages.
    "clients:part": MEMBER,
    "clients:part-change": MEMBER,
    "clients:part-end": MEMBER,
    # The client's medicines list and a line's pages (issue 25): the team's alone.
    "medicines:list": MEMBER,
    "medicines:line-add": MEMBER,
    "medicines:line": MEMBER,
    "medicines:line-check": MEMBER,
    "medicines:line-change": MEMBER,
    "medicines:line-stop": MEMBER,
    "medicines:stock-add": MEMBER,
    "medicines:policy": MEMBER,
    # The MAR chart (issue 25): the team's; the family and the client read the plain version.
    "mar:now": MEMBER,
    "mar:month": MEMBER,
    "mar:week": MEMBER,
    "mar:month-pdf": MEMBER,
    "mar:blank-pdf": MEMBER,
    "mar:family-medicines": FAMILY_VIEW,
    # Sharing (issue 28): one's own calendar address, and the feed it serves to calendar
    # services without signing in (a made-up or revoked address opens for no one).
    "sharing:calendar": SIGNED_IN,
    "sharing:calendar-feed": LINK_ONLY,
    # Where one's working day starts (issue 27): one's own only, whoever is signed in.
    "scheduling:start-point": SIGNED_IN,
    "scheduling:start-point-forget": SIGNED_IN,
    # Figures for commissioners: numbers only, for the team and its coach.
    "sharing:commissioner-json": MEMBER_AND_COACH,
    "sharing:commissioner-csv": MEMBER_AND_COACH,
    # A client's own copy (subject access): the client's team produces it, nobody else.
    "sharing:own-copy": MEMBER,
    "sharing:own-copy-produce": MEMBER,
}


def walkable(route: str, kwargs: dict[str, Any]) -> bool:
    """A kind page needs a kind kept on the client record: none may be declared yet."""
    return "<slug:kind>" not in route or "kind" in kwargs


def pages() -> dict[str, str]:
    """Every named page outside the admin (which has its own staff-only gate, tested below) and
    the API (tests/mobile_api/test_access_matrix.py), with its route, e.g.
    {"clients:notes": "clients/<uuid:client_id>/notes/"}."""

    def walk(patterns: list[Any], namespace: str | None, route: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner not in ("admin", "api-v1", "fhir"):
                    yield from walk(pattern.url_patterns, inner, route + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, route + str(pattern.pattern)

    return dict(walk(get_resolver().url_patterns, None, ""))


def test_every_page_has_a_rule() -> None:
    missing = sorted(set(pages()) - set(RULES))
    assert not missing, f"Pages with no access rule in this test: {missing}"
    assert not set(RULES) - set(pages()), "Rules for pages that no longer exist"


def people(cast: Cast) -> dict[str, User | None]:
    return {
        "member": cast.nurse,
        "other_member": cast.other_nurse,
        "coach": cast.coach,
        "family": cast.family,
        "family_without": cast.family_without_access,
        "client": cast.client_user,
        "anonymous": None,
    }


def url_kwargs(cast: Cast) -> dict[str, Any]:
    """One existing record of the team for every kind of id a page takes."""
    carer = cast.carer_membership
    start = at("2030-11-25 09:00")
    shift = Shift.objects.create(team=cast.team, member=carer, start=start, end=start + H8)
    visit = Visit.objects.create(
        team=cast.team, client=cast.client, planned_start=start, planned_end=start + H1
    )
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="27", severity="potential", identified_on=TODAY
    )
    return {
        "team_id": cast.team.id,
        "week": "2030-11-25",
        "day": "2030-11-25",
        "membership_id": carer.id,
        "member_id": carer.id,
        "shift_id": shift.id,
        "absence_id": Absence.objects.create(
            team=cast.team, member=carer, kind="training", start=start + H8 * 3, end=start + H8 * 4
        ).id,
        "visit_id": visit.id,
        "pattern_id": VisitPattern.objects.create(
            team=cast.team,
            client=cast.client,
            weekdays=[1],
            window_start=dt.time(8),
            window_end=dt.time(9),
            duration_minutes=30,
            valid_from=dt.date(2030, 11, 1),
        ).id,
        "notice_id": RotaNotice.objects.create(
            team=cast.team, week_start=dt.date(2030, 11, 25), member=carer, text="Changed"
        ).id,
        "offer_id": SwapOffer.objects.create(team=cast.team, offered_by=carer, shift=shift).id,
        "client_id": cast.client.id,
        "problem_id": problem.id,
        "intervention_id": Intervention.objects.create(
            problem=problem, category="treatments", target="49", care_description="Insulin"
        ).id,
        "contact_id": EmergencyContact.objects.create(
            client=cast.client, name="Carys", phone="07700 900123"
        ).id,
        "note_id": Note.objects.create(
            client=cast.client, author=cast.nurse, body="Seen", recorded_at=start
        ).id,
        "access_id": FamilyAccess.objects.get(person=cast.family, client=cast.client).id,
        "device_id": tokens.token_issue(user=cast.nurse, name="Ward tablet").device.id,
        "token": "not-a-real-invitation",
        "name": "swagger-ui.css",
        "uidb36": "1",
        "key": "not-a-real-key",
        "language": "cy",
        **workings_ids(cast),
        "run_id": PlanRun.objects.create(
            team=cast.team,
            week_start=TODAY,
            status=PlanRunStatus.DONE,
            started_by=cast.nurse,
            updated_at=start,
        ).id,
        "handover_id": HandoverNote.objects.create(
            team=cast.team, client=cast.client, author=cast.carer, body="Handover"
        ).id,
        "held_id": HeldItem.objects.create(
            team=cast.team,
            author=cast.carer,
            mutation_id=uuid.uuid4(),
            kind="visit.check_in",
            payload={"visit_id": str(visit.id)},
            recorded_at=start,
            left_at=start + H1,
        ).id,
        **kinds.part_kwargs(cast),
        **partner_kwargs(cast),
        "line_id": medicine_line(cast).id,
    }


def partner_kwargs(cast: Cast) -> dict[str, Any]:
    partner = interop_world.register(cast)
    return {"partner_id": partner.id, "consent_id": interop_world.consent(cast, partner).id}


TODAY = dt.date(2030, 11, 25)
H1 = dt.timedelta(hours=1)
H8 = dt.timedelta(hours=8)


def url_for(name: str, route: str, kwargs: dict[str, Any]) -> str:
    names = [part.split(">")[0].split(":")[-1] for part in route.split("<")[1:]]
    return reverse(name, kwargs={key: kwargs[key] for key in names})


def outcome(response: Any, want: str) -> str:
    # 405 (a GET to a form's POST-only target, or the reverse) comes before any record is
    # looked up, for everyone alike, so it tells nothing: it counts as the expected answer.
    if response.status_code == 405:
        return want
    if response.status_code == 404:
        return "404"
    if response.status_code == 401:  # a JSON page's "sign in again" (tablet:bundle)
        return "login"
    if response.status_code == 403:
        return "403"
    if response.status_code in (301, 302) and "/accounts/login/" in response["Location"]:
        return "login"
    return "ok"


def expected(rule: frozenset[str] | str, role: str) -> str:
    if rule == PUBLIC:
        return "ok"
    if rule == LINK_ONLY:
        return "404"
    if role == "anonymous":
        return "login"
    return "ok" if role in rule else "404"


@pytest.mark.django_db
def test_every_page_answers_every_role_as_the_table_says(cast: Cast) -> None:
    kwargs = url_kwargs(cast)
    routes = pages()
    wrong = []
    for role, user in people(cast).items():
        client = HttpClient()
        if user is not None:
            client.force_login(user)
        for name, rule in RULES.items():
            if not walkable(routes[name], kwargs):
                continue
            url = url_for(name, routes[name], kwargs)
            want = expected(rule, role)
            got = outcome(client.get(url), want)
            if got != want:
                wrong.append(f"GET {name} as {role}: {got}, expected {want}")
            if want != "ok":
                # A refused person's POST must be refused the same way, and change nothing.
                got = outcome(client.post(url, {}), want)
                if got != want:
                    wrong.append(f"POST {name} as {role}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_the_admin_is_for_staff_accounts_only(cast: Cast, role: str) -> None:
    client = HttpClient()
    user = people(cast)[role]
    assert user is not None
    client.force_login(user)
    response = client.get(reverse("admin:clients_client_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# The team's socket: members follow everything, the coach the rota without clients, family and
# the client only their own client's changes; anyone else is refused with a close code.
SOCKET_RULES = {
    "member": None,
    "other_member": CloseCode.NO_SUCH_TEAM,
    "coach": None,
    "family": None,
    "family_without": CloseCode.NO_SUCH_TEAM,
    "client": None,
    "anonymous": CloseCode.NOT_SIGNED_IN,
}


def test_every_socket_route_has_a_rule() -> None:
    routes = [str(route.pattern) for route in websocket_urlpatterns]
    assert routes == ["ws/teams/<uuid:team_id>/"], f"A socket route without rules: {routes}"
    assert set(SOCKET_RULES) == set(ROLES)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
async def test_the_team_socket_answers_every_role_as_the_table_says(cast: Cast, role: str) -> None:
    user = people(cast)[role]
    socket = await connect(cast.team, user)
    refusal = SOCKET_RULES[role]
    if refusal is None:
        await messages_until_live(socket)
        await socket.disconnect()
    else:
        assert await closed_with(socket) == refusal
