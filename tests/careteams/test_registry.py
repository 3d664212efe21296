"""The entity registry: every kind of record is written through its services, and the feed
carries exactly its registered serialisation, never a server-only field."""

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from careteams import changes, registry
from careteams.models import Change, Membership, Role, Team
from clients.models import (
    CareProblem,
    Client,
    ConsentBasis,
    FamilyAccess,
    Intervention,
    Note,
    OutcomeRating,
    Relationship,
)
from scheduling.models import (
    Absence,
    AbsenceKind,
    RotaNotice,
    RotaWeek,
    Shift,
    SwapOffer,
    Visit,
    VisitAssignment,
    VisitPattern,
)
from tests import kinds
from tests.conftest import Cast


def today(cast: Cast) -> dt.date:
    return timezone.now().astimezone(cast.team.zone).date()


def next_monday(cast: Cast, weeks: int = 1) -> dt.date:
    day = today(cast)
    return day + dt.timedelta(days=7 * weeks - day.weekday())


def moment(cast: Cast, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=cast.team.zone)


def through(name: str, obj: Any, cast: Cast) -> Any:
    create = registry.get(name).create
    assert create is not None
    return create(obj, cast.nurse)


def a_problem(cast: Cast) -> CareProblem:
    problem = CareProblem(
        client=cast.client,
        problem_code="36",
        scope="individual",
        severity="potential",
        signs_symptoms=[],
        identified_on=today(cast) - dt.timedelta(days=3),
    )
    created: CareProblem = through("care_problem", problem, cast)
    return created


def a_shift(cast: Cast, member: Membership, day: dt.date) -> Shift:
    return Shift(
        team=cast.team,
        member=member,
        start=moment(cast, day, 7),
        end=moment(cast, day, 14),
        kind="early",
    )


def a_visit(cast: Cast) -> Visit:
    day = next_monday(cast) + dt.timedelta(days=2)
    return Visit(
        team=cast.team,
        client=cast.client,
        planned_start=moment(cast, day, 9),
        planned_end=moment(cast, day, 10),
        carers_needed=1,
    )


# One new, unsaved record of each kind a person can create; its dependencies are made through
# their own services.
NEW: dict[str, Callable[[Cast], Any]] = {
    "team": lambda c: Team(name="Harbour Team", continuity_limit=3),
    "membership": lambda c: Membership(
        team=c.team, user=c.outsider, role=Role.CARE_WORKER, contracted_hours=Decimal("20")
    ),
    "client": lambda c: Client(team=c.team, given_name="Bronwen", family_name="Hughes"),
    "care_problem": lambda c: CareProblem(
        client=c.client,
        problem_code="21",
        scope="individual",
        severity="potential",
        signs_symptoms=[],
        identified_on=today(c),
    ),
    "intervention": lambda c: Intervention(
        problem=a_problem(c),
        category="teaching",
        target="01",
        care_description="Explain the new tablets",
        frequency="daily",
    ),
    "outcome_rating": lambda c: OutcomeRating(
        problem=a_problem(c), knowledge=2, behaviour=3, status=3, rated_on=today(c)
    ),
    "note": lambda c: Note(
        id=uuid.uuid4(),
        client=c.client,
        author=c.nurse,
        body="Settled, ate well.",
        shareable=True,
        recorded_at=timezone.now() - dt.timedelta(minutes=5),
    ),
    "family_access": lambda c: FamilyAccess(
        client=c.client,
        invited_email="son@example.test",
        relationship=Relationship.CHILD,
        consent_basis=ConsentBasis.CLIENT_CONSENT,
    ),
    "shift": lambda c: a_shift(c, c.carer_membership, next_monday(c)),
    "absence": lambda c: Absence(
        team=c.team,
        member=c.nurse_membership,
        kind=AbsenceKind.TRAINING,
        start=moment(c, next_monday(c, 2), 9),
        end=moment(c, next_monday(c, 2), 17),
    ),
    "visit": a_visit,
    "visit_assignment": lambda c: VisitAssignment(
        visit=through("visit", a_visit(c), c), member=c.nurse_membership
    ),
    "visit_pattern": lambda c: VisitPattern(
        team=c.team,
        client=c.client,
        weekdays=[1, 4],
        window_start=dt.time(9),
        window_end=dt.time(10),
        duration_minutes=30,
        carers_needed=1,
        valid_from=today(c),
    ),
    "rota_week": lambda c: RotaWeek(team=c.team, week_start=next_monday(c, 3)),
    "swap_offer": lambda c: SwapOffer(
        team=c.team,
        offered_by=c.carer_membership,
        shift=through("shift", a_shift(c, c.carer_membership, next_monday(c, 4)), c),
    ),
    # A kind declared in its own module brings its sample in its own test (tests/kinds.py).
    **{name: kinds.new(name) for name in kinds.declared()},
}

# A change a person may make to each kind with an update service.
CHANGE: dict[str, Callable[[Any], None]] = {
    "team": lambda t: setattr(t, "continuity_limit", 5),
    "membership": lambda m: setattr(m, "contracted_hours", Decimal("25")),
    "client": lambda c: setattr(c, "preferred_name", "Bron"),
    "care_problem": lambda p: setattr(p, "resolved_on", p.identified_on),
    "shift": lambda s: setattr(s, "note", "Covering for Grace"),
    "absence": lambda a: setattr(a, "note", "Moving and handling refresher"),
    "visit": lambda v: setattr(v, "tasks", ["Breakfast", "Tablets"]),
    "visit_pattern": lambda p: setattr(p, "duration_minutes", 45),
    **{name: kinds.change(name) for name in kinds.declared() if registry.get(name).update},
}


def fresh(name: str, pk: Any) -> Any:
    """The record of a kind as stored now (Any: the tests read each kind's own fields)."""
    return registry.get(name).model._default_manager.get(pk=pk)


def latest(name: str, pk: Any) -> Change:
    return Change.objects.filter(entity=name, entity_id=pk).latest("seq")


def assert_feed_matches(name: str, obj: Any) -> None:
    """The feed's latest change for the record is its registered serialisation, as stored."""
    declared = registry.get(name)
    stored = declared.model._default_manager.filter(pk=obj.pk).first()
    change = latest(name, obj.pk)
    if stored is None:
        assert change.op == "delete"
        return
    assert change.op == "upsert"
    assert change.data == declared.serialise(stored)
    assert change.version == getattr(stored, "version", 1)
    assert change.team_id == declared.team_of(stored).pk
    assert change.client_id == declared.client_of(stored)


def test_every_registered_kind_can_be_made_in_this_test() -> None:
    creatable = {e.name for e in registry.entities() if e.create is not None}
    updatable = {e.name for e in registry.entities() if e.update is not None}
    assert {e.name for e in registry.entities()} == registry.names()
    assert creatable == set(NEW)
    assert updatable == set(CHANGE)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(NEW))
def test_a_kind_written_through_its_services_is_in_the_feed_as_serialised(
    cast: Cast, name: str
) -> None:
    declared = registry.get(name)
    obj = through(name, NEW[name](cast), cast)
    assert_feed_matches(name, obj)
    if declared.update is not None:
        obj = fresh(name, obj.pk)
        if name == "team":  # a team's settings are changed by its own members
            Membership.objects.create(user=cast.nurse, team=obj, role=Role.REGISTERED_NURSE)
        before = latest(name, obj.pk).seq
        CHANGE[name](obj)
        obj = declared.update(obj, obj.version, cast.nurse)
        assert latest(name, obj.pk).seq > before
        assert_feed_matches(name, obj)
    if declared.delete is not None:
        obj = fresh(name, obj.pk)
        before = latest(name, obj.pk).seq
        declared.delete(obj, obj.version, cast.nurse)
        assert latest(name, obj.pk).seq > before
        assert_feed_matches(name, obj)
    for change in Change.objects.all():
        assert not set(change.data) & registry.get(change.entity).server_only, change.entity


@pytest.mark.django_db
def test_a_notice_of_a_published_week_is_in_the_feed_as_serialised(cast: Cast) -> None:
    monday = next_monday(cast)
    through("rota_week", RotaWeek(team=cast.team, week_start=monday), cast)
    through("shift", a_shift(cast, cast.carer_membership, monday), cast)
    notice = RotaNotice.objects.get(member=cast.carer_membership)
    assert_feed_matches("rota_notice", notice)


@pytest.mark.django_db
def test_a_family_access_in_the_feed_never_carries_its_link_hash(cast: Cast) -> None:
    access = through("family_access", NEW["family_access"](cast), cast)
    assert access.invitation_token_hash
    with transaction.atomic():
        changes.record(
            team=cast.team,
            entity="family_access",
            obj=access,
            actor=cast.nurse,
            data={"id": str(access.id), "invitation_token_hash": access.invitation_token_hash},
        )
    assert "invitation_token_hash" not in latest("family_access", access.id).data


@pytest.mark.django_db
def test_recording_an_unregistered_entity_raises(cast: Cast) -> None:
    with transaction.atomic(), pytest.raises(registry.UnknownEntity, match="not a registered"):
        changes.record(
            team=cast.team,
            entity="holiday",  # type: ignore[arg-type]
            obj=cast.team,
            actor=cast.nurse,
        )
    assert not Change.objects.filter(entity="holiday").exists()


@pytest.mark.django_db
def test_recording_a_record_under_another_kinds_name_raises(cast: Cast) -> None:
    with transaction.atomic(), pytest.raises(registry.UnknownEntity, match="are Shift"):
        changes.record(team=cast.team, entity="shift", obj=cast.team, actor=cast.nurse)


def test_every_entity_name_in_the_literal_or_declared_is_registered() -> None:
    for name in registry.names():
        assert registry.get(name).name == name


def test_a_kind_name_is_declared_once_and_never_as_a_core_name() -> None:
    with pytest.raises(registry.UnknownEntity, match="cannot name"):
        registry.kind_name("note")
    with pytest.raises(registry.UnknownEntity, match="cannot name"):
        registry.kind_name("Not A Name")


def test_registering_an_undeclared_name_is_refused() -> None:
    entity = registry.Entity(name=registry.KindName("holiday"), model=Team, team_of=lambda obj: obj)
    with pytest.raises(registry.UnknownEntity, match="kind_name"):
        registry.register(entity)


def test_a_kind_kept_on_the_client_record_has_every_hook() -> None:
    part = registry.ClientPart(title="Things", add="Add a thing", template="x.html")
    entity = registry.Entity(name="client", model=Client, team_of=lambda obj: obj.team, part=part)
    with pytest.raises(registry.UnknownEntity, match="all three hooks"):
        registry.register(entity)
    assert registry.get("client").part is None


def test_two_kinds_cannot_claim_one_sync_mutation() -> None:
    note = registry.get("note")
    thief = registry.Entity(
        name="client", model=Client, team_of=lambda obj: obj.team, mutations=("note.create",)
    )
    with pytest.raises(registry.UnknownEntity, match="already 'note'"):
        registry.register(thief)
    assert registry.mutation_writer("note.create") is note
