"""Every page, PDF and API operation that shows a client writes that read to the client's read
log: one row per client it shows, through its door, in the request that shows it.

The routes come from the URLconf and the API's OpenAPI document (through the access matrices'
tables, which fail for a route without a rule), and each is opened by every role the matrix
lets in, over a world where it has a client to show. A client is "shown" when its identity
(family or preferred name, address, phone, NHS number) is in the answer, decoded as a reader
would see it (HTML, JSON, PDF text). A route that shows no client is in NO_CLIENT with its
reason; a route that is neither there nor shows a client in this world fails too, so that a new
route is either seeded here or reasoned about.
"""

import datetime as dt
import html
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from django.utils import timezone

from accounts import tokens
from careteams import changes
from careteams.models import AccessEvent, Door, User
from clients.models import Client
from messaging.models import HandoverNote
from scheduling.models import Visit, VisitAssignment
from tests.careteams import test_access_matrix as pages_matrix
from tests.conftest import Cast, at
from tests.mobile_api import test_access_matrix as api_matrix
from tests.mobile_api.conftest import Api
from tests.scheduling.pdftext import pdf_text

pytestmark = pytest.mark.django_db

# The seeded world's moment: a Monday morning, the week of the matrices' records.
NOW = at("2030-11-25 10:00")

# Routes that show no client, whoever opens them, and why.
NO_CLIENT: dict[str, str] = {
    # Public and account pages: about the person signed in, never a client.
    **{
        name: "public, sign-in or account page"
        for name, rule in pages_matrix.RULES.items()
        if rule in (pages_matrix.PUBLIC, pages_matrix.LINK_ONLY)
        or name.startswith(("account", "mfa_", "login", "logout"))
    },
    "account-security": "the person's own sessions and devices",
    "sharing:calendar": "the person's own calendar address",
    "scheduling:start-point": "where the person's own working day starts",
    "sharing:commissioner-json": "figures for commissioners: anonymised numbers only",
    "sharing:commissioner-csv": "figures for commissioners: anonymised numbers only",
    "device-sign-out": "a form about the person's own device",
    "team-invite": "invites a colleague: names no client",
    "membership-end": "a colleague's membership: names no client",
    "coach-home": "coaches see team figures, never a client (docs/design.md)",
    "team-home": "the team's front page: links and the team's own counts",
    "teamwork:item-decide": "a form to record the team's decision on an agenda item",
    "messaging:handover-new": "a form for a handover to the team: names no client until written",
    "clients:client-new": "an empty form for a new client",
    "clients:invitation": "a family invitation link: the made-up one opens for no one",
    "scheduling:swaps": "shifts offered between members: no client",
    "scheduling:shift-new": "a shift form: members and times",
    "scheduling:shift-edit": "a shift form: members and times",
    "scheduling:absence-new": "an absence form: members and dates",
    "scheduling:absence-edit": "an absence form: members and dates",
    "teamwork:team-settings": "the team's settings",
    "teamwork:members": "the team's members",
    "teamwork:member-edit": "a member's skills and hours",
    "teamwork:roles": "the team's rotating roles",
    "teamwork:history": "who held which role when",
    "teamwork:meetings": "the team's meetings",
    "teamwork:meeting": "a meeting's agenda",
    "teamwork:decisions": "the team's decisions",
    "teamwork:decision": "one decision and its actions",
    "teamwork:decision-change": "a form to change a decision",
    "teamwork:actions": "the team's actions",
    "teamwork:trends": "team figures over time",
    "teamwork:trends-csv": "team figures over time",
    "teamwork:help": "the team's requests for help to its coach",
    "teamwork:coach-answer": "a coach's answer to a request for help",
    "messaging:team-channel": "the team channel: messages between members, not a client's",
    "messaging:team-items": "the team channel's messages",
    "messaging:unread": "a count of unread messages",
    "interop:partners": "the team's partner organisations and their credentials",
    "medicines:policy": "the team's medicines policy: settings, no client",
    # API operations (method and path).
    "GET /ping": "the load bench's empty answer",
    "GET /auth/tokens": "the person's own devices",
    "GET /teams/{team_id}/figures": "team figures: numbers only",
    "GET /teams/{team_id}/settings": "the team's settings",
    "GET /teams/{team_id}/members": "the team's members",
    "GET /teams/{team_id}/role-terms": "the team's rotating roles",
    "GET /teams/{team_id}/meetings": "the team's meetings",
    "GET /teams/{team_id}/meetings/{meeting_id}": "a meeting's agenda",
    "GET /teams/{team_id}/decisions": "the team's decisions",
    "GET /teams/{team_id}/my-actions": "the member's actions",
    "GET /teams/{team_id}/messages": "the team channel's messages, not a client's",
}


def distinctive(cast: Cast) -> None:
    """Give the team's two clients identities that nothing else on any page could spell."""
    Client.objects.filter(pk=cast.client.pk).update(
        given_name="Tegwen",
        family_name="Quarrington",
        preferred_name="Teggy",
        address_line_1="7 Zebedee Row",
        phone="029 2000 0481",
        nhs_number="4857773457",  # not the forms' example number, 943 476 5919
    )
    Client.objects.filter(pk=cast.other_client_same_team.pk).update(
        given_name="Mabyn", family_name="Trevaskis", address_line_1="3 Polwithen Lane"
    )


def markers(cast: Cast) -> dict[Any, tuple[str, ...]]:
    return {
        cast.client.id: ("Quarrington", "Teggy", "7 Zebedee Row", "029 2000 0481", "485 777 3457"),
        cast.other_client_same_team.id: ("Trevaskis", "3 Polwithen Lane"),
    }


def staff_every_visit(cast: Cast) -> None:
    """The nurse and the carer on every visit of the world, and on one this afternoon (after a
    handover about the client was written, so it waits for them), so their days, run sheets and
    handovers show the client; and the client in the team's feed, so a sync pull carries them."""
    afternoon = at("2030-11-25 14:00")
    Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=afternoon,
        planned_end=afternoon + dt.timedelta(hours=1),
    )
    HandoverNote.objects.create(
        team=cast.team,
        client=cast.client,
        author=cast.carer,
        body="Mrs Quarrington's dog bites: ring first.",
        written_at=NOW,
    )
    for visit in Visit.objects.filter(team=cast.team):
        for member in (cast.nurse_membership, cast.carer_membership):
            VisitAssignment.objects.get_or_create(visit=visit, member=member)
    with transaction.atomic():
        changes.record(
            team=cast.team,
            entity="client",
            obj=Client.objects.get(pk=cast.client.pk),
            actor=cast.nurse,
            client_id=cast.client.id,
        )


def text_of(response: Any) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("application/pdf"):
        return pdf_text(body)
    text = body.decode("utf-8", "replace")
    if "json" in kind:
        return json.dumps(json.loads(text or "null"), ensure_ascii=False)
    return html.unescape(text)


def shown(cast: Cast, text: str) -> set[Any]:
    return {client for client, marks in markers(cast).items() if any(m in text for m in marks)}


def door_of(route: str, response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return Door.PDF
    return Door.API if route.startswith(("GET /", "POST /")) else Door.PAGE


# A form's POST-only target answers a GET 405, and some pages only redirect: nothing shown.
SHOWS_NOTHING = (301, 302, 405)


def check(
    cast: Cast,
    route: str,
    role: str,
    user: User,
    get: Callable[[str], Any],
    url: str,
    wrong: list[str],
    *,
    about_one: bool,
) -> bool | None:
    """Open one route as one person; say what is wrong with its read log. True if it showed a
    client, None if it answered with nothing to show. A route about one client (its id in the
    path) reads that record even where what it shows (a channel's messages) does not spell the
    client's name."""
    before = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = get(url)
    if response.status_code in SHOWS_NOTHING:
        return None
    text = text_of(response)
    seen = shown(cast, text)
    rows = AccessEvent.objects.filter(id__gt=before, allowed=True)
    logged = {(row.client_id, row.user_id, row.door) for row in rows}
    if route in NO_CLIENT and seen:
        wrong.append(f"{route} as {role} is listed as showing no client but shows one")
    for client_id in seen:
        if (client_id, user.id, door_of(route, response)) not in logged:
            wrong.append(f"{route} as {role} shows a client but wrote no read of them")
    if len(rows) > len(logged):
        wrong.append(f"{route} as {role} wrote {len(rows)} rows for {len(logged)} reads")
    unseen = {client for client, _, _ in logged} - seen
    if unseen and not about_one:
        wrong.append(f"{route} as {role} wrote reads of {len(unseen)} clients it does not show")
    return bool(seen) or (about_one and bool(logged))


def people(cast: Cast) -> dict[str, User]:
    return {
        role: user
        for role, user in pages_matrix.people(cast).items()
        if user is not None and role in ("member", "coach", "family", "client")
    }


def test_every_page_that_shows_a_client_writes_its_read(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    kwargs = pages_matrix.url_kwargs(cast)
    distinctive(cast)
    staff_every_visit(cast)
    routes = pages_matrix.pages()
    wrong: list[str] = []
    for name, rule in sorted(pages_matrix.RULES.items()):
        if not isinstance(rule, frozenset) or not pages_matrix.walkable(routes[name], kwargs):
            continue
        url = pages_matrix.url_for(name, routes[name], kwargs)
        answers = []
        for role, user in people(cast).items():
            if role not in rule:
                continue
            browser = HttpClient()
            browser.force_login(user)
            opened = check(
                cast,
                name,
                role,
                user,
                browser.get,
                url,
                wrong,
                about_one="client_id" in routes[name],
            )
            answers.append(opened)
        if answers.count(False) and not any(answers) and name not in NO_CLIENT:
            wrong.append(f"{name} shows no client in this world: seed one, or list it")
    assert not wrong, "\n".join(wrong)


def test_every_api_read_that_shows_a_client_writes_its_read(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    values, _ = api_matrix.world(cast)
    distinctive(cast)
    staff_every_visit(cast)
    wrong: list[str] = []
    for (method, path), rule in sorted(api_matrix.RULES.items()):
        if method != "GET":
            continue
        route = f"GET {path}"
        allowed = set(people(cast)) if rule == api_matrix.PUBLIC else set(rule) & set(people(cast))
        answers = []
        for role, user in people(cast).items():
            if role not in allowed:
                continue
            client = Api(tokens.token_issue(user=user, name="Walking tablet").token)
            url = path.format(**values)
            opened = check(
                cast, route, role, user, client.get, url, wrong, about_one="client_id" in path
            )
            answers.append(opened)
        if answers.count(False) and not any(answers) and route not in NO_CLIENT:
            wrong.append(f"{route} shows no client in this world: seed one, or list it")
    assert not wrong, "\n".join(wrong)


def test_the_walk_covers_every_get_route() -> None:
    assert {f"GET {path}" for method, path in api_matrix.operations() if method == "GET"} <= {
        f"GET {path}" for method, path in api_matrix.RULES
    }
    assert set(pages_matrix.pages()) <= set(pages_matrix.RULES)
    stale = {
        route
        for route in NO_CLIENT
        if route not in pages_matrix.RULES and tuple(route.split(" ", 1)) not in api_matrix.RULES
    }
    assert not stale, f"NO_CLIENT lists routes that no longer exist: {stale}"
