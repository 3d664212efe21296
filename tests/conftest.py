"""The standing cast every test uses: two teams (England and Scotland), nurses and carers in
each, a coach of the first team, a family member with access to one client, and a client with
an account of their own."""

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pytest
from channels.layers import channel_layers
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone, translation

from careteams.models import CoachLink, FeedIncarnation, HolidayRegion, Membership, Role, Team, User
from clients import db_guards
from clients.models import Client, ConsentBasis, FamilyAccess, Relationship
from medicines import db_guards as medicine_guards
from teamwork import db_guards as decision_guards
from tests.messages import messages_compile

PASSWORD = "correct horse battery staple"

# `--clock`: the session at a chosen moment, for the `clock_sensitive` tests (tests/clocks.py);
# the order files are handed to the workers, longest first (tests/longest_first.py).
pytest_plugins = ["tests.clocks", "tests.longest_first"]


def pytest_configure(config: pytest.Config) -> None:
    # Hashing with the production hasher would make every sign-in in the suite slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    messages_compile()


def _purge_guarded(connection: BaseDatabaseWrapper) -> None:
    medicine_guards.purge_for_tests(connection)
    db_guards.purge_notes_for_tests(connection)
    decision_guards.purge_for_tests(connection)


_flush = BaseDatabaseOperations.execute_sql_flush


# A test's live server and browser stop only after the flush has begun, and may still write.
FLUSH_ATTEMPTS = 5


def _flush_guarded_too(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
    """Tests that commit leave append-only rows behind, which refuse DELETE (by design): empty
    them, lifting the guard for that moment only, right before pytest-django's flush. Here, and
    not in a teardown hook, because a test's live server and browser stop only after such hooks
    and may still write (a read in the read log) until they do. Such a late write can land
    between the purge and the flush (the guard then refuses the flush), or hold a row the
    flush's TRUNCATE waits for (PostgreSQL then breaks the deadlock by failing the flush): each
    time, purge and flush again, after the late writer has had a moment to finish."""
    statements = list(sql_list)
    for attempt in range(1, FLUSH_ATTEMPTS + 1):
        _purge_guarded(self.connection)
        try:
            _flush(self, statements)
            break
        except DatabaseError:
            if attempt == FLUSH_ATTEMPTS:
                raise
            time.sleep(0.2 * attempt)
    # A migrated database always has its feed incarnation (careteams migration 0003); put it
    # back, or every later test's first feed read would make it again, four queries the
    # query-count tests would count.
    FeedIncarnation.objects.using(self.connection.alias).get_or_create(pk=1)


BaseDatabaseOperations.execute_sql_flush = _flush_guarded_too  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _channel_layer_per_test() -> Iterator[None]:
    """Each async test runs in an event loop of its own, but the channel layer is made once per
    process: on Redis, a receive that a test cancelled (a timeout that expected silence) leaves
    a lock bound to that test's loop, which the next test's receive then trips over. A layer
    per test keeps each loop's locks its own."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _default_language_per_test() -> Iterator[None]:
    """A request in Cymraeg leaves Cymraeg active in the thread (LocaleMiddleware activates the
    request's language, nothing deactivates it): a later test calling a service would get Welsh
    words. Each test starts and ends in the default language."""
    translation.deactivate()
    yield
    translation.deactivate()


def empty_database() -> None:
    """Empty every table after a module that committed data for its tests (its fixture built a
    world once): the guarded tables first, lifting their guard for that moment, then the rest."""
    call_command("flush", interactive=False, verbosity=0)


def make_user(email: str, first: str, last: str) -> User:
    return User.objects.create_user(email, PASSWORD, first_name=first, last_name=last)


@dataclass
class Cast:
    team: Team
    other_team: Team
    nurse: User
    carer: User
    nurse_membership: Membership
    carer_membership: Membership
    other_nurse: User
    other_carer: User
    other_nurse_membership: Membership
    coach: User
    family: User
    family_without_access: User
    client: Client
    other_client_same_team: Client
    other_team_client: Client
    client_user: User
    outsider: User


@pytest.fixture
def cast(db: None) -> Cast:
    team = Team.objects.create(name="Riverside", holiday_subdivision=HolidayRegion.ENGLAND)
    other = Team.objects.create(name="Glasgow East", holiday_subdivision=HolidayRegion.SCOTLAND)
    nurse = make_user("nurse@example.test", "Siân", "Ellis")
    carer = make_user("carer@example.test", "Aoife", "Ní Bhriain")
    other_nurse = make_user("other.nurse@example.test", "Małgorzata", "Wójcik")
    other_carer = make_user("other.carer@example.test", "Iain", "MacLeod")
    coach = make_user("coach@example.test", "Gwen", "Parry")
    family = make_user("family@example.test", "Łukasz", "Żółkowski")
    stranger = make_user("family.none@example.test", "Seán", "Ó Súilleabháin")
    client_user = make_user("client@example.test", "Dafydd", "Llŷr")
    outsider = make_user("outsider@example.test", "Olu", "Adeyemi")

    nurse_m = Membership.objects.create(
        user=nurse,
        team=team,
        role=Role.REGISTERED_NURSE,
        contracted_hours=37.5,
        skills=["medication", "wound_care", "insulin"],
        team_roles=["planner"],
    )
    carer_m = Membership.objects.create(
        user=carer,
        team=team,
        role=Role.CARE_WORKER,
        contracted_hours=30,
        skills=["moving_handling"],
    )
    other_nurse_m = Membership.objects.create(
        user=other_nurse,
        team=other,
        role=Role.REGISTERED_NURSE,
        contracted_hours=37.5,
        skills=["medication"],
    )
    Membership.objects.create(user=other_carer, team=other, role=Role.CARE_WORKER)
    CoachLink.objects.create(coach=coach, team=team)

    client = Client.objects.create(
        team=team,
        given_name="Dafydd",
        family_name="Llŷr",
        nhs_number="9434765919",
        postcode="CF10 1AA",
        access_notes="Key safe 1234",
        primary_nurse=nurse_m,
        user=client_user,
    )
    second = Client.objects.create(team=team, given_name="Mary", family_name="O'Neill")
    far = Client.objects.create(team=other, given_name="Agnieszka", family_name="Łęcka")
    FamilyAccess.objects.create(
        client=client,
        person=family,
        relationship=Relationship.CHILD,
        consent_basis=ConsentBasis.CLIENT_CONSENT,
        granted_by=nurse,
        accepted_at=timezone.now(),
    )
    return Cast(
        team=team,
        other_team=other,
        nurse=nurse,
        carer=carer,
        nurse_membership=nurse_m,
        carer_membership=carer_m,
        other_nurse=other_nurse,
        other_carer=other_carer,
        other_nurse_membership=other_nurse_m,
        coach=coach,
        family=family,
        family_without_access=stranger,
        client=client,
        other_client_same_team=second,
        other_team_client=far,
        client_user=client_user,
        outsider=outsider,
    )


def at(text: str, tz: str = "Europe/London") -> dt.datetime:
    """An aware datetime from 'YYYY-MM-DD HH:MM' in a named zone (London by default)."""
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))
