"""careteams.versioning: one sequence for every versioned write (lock, check the version,
change, bump, save, record), refusing a stale version with nothing written."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from careteams import changes, registry
from careteams.errors import Conflict, DomainError, NotFound
from careteams.models import Change, Team
from careteams.services import TeamDetails, team_details_of, team_update
from careteams.versioning import versioned_delete, versioned_write
from clients.models import Client, EmergencyContact
from clients.services.doorstep import emergency_contact_add
from scheduling.models import Visit, VisitAssignment
from scheduling.services.visits import VisitDetails, visit_assign, visit_create
from tests.conftest import Cast

ROOT = Path(__file__).resolve().parents[2]


def feed(cast: Cast) -> list[tuple[str, object, int]]:
    return list(
        Change.objects.filter(team=cast.team)
        .order_by("seq")
        .values_list("entity", "entity_id", "version")
    )


def a_contact(cast: Cast, client: Client) -> EmergencyContact:
    """A side write of the kind a service makes inside the block: a row and its feed entry."""
    contact = EmergencyContact.objects.create(client=client, name="Rhys", phone="01632 960000")
    changes.record(
        team=cast.team,
        entity="emergency_contact",
        obj=contact,
        actor=cast.nurse,
        client_id=client.id,
    )
    return contact


@pytest.mark.django_db
def test_a_write_at_the_current_version_is_bumped_saved_and_in_the_feed_as_registered(
    cast: Cast,
) -> None:
    with versioned_write(
        Client.objects.all(), pk=cast.client.pk, version=1, entity="client", actor=cast.nurse
    ) as current:
        current.preferred_name = "Bron"
    stored = Client.objects.get(pk=cast.client.pk)
    assert (stored.preferred_name, stored.version) == ("Bron", 2)
    change = Change.objects.get(team=cast.team, entity="client", entity_id=stored.pk)
    assert (change.version, change.client_id, change.actor) == (2, stored.pk, cast.nurse)
    assert change.data == registry.get("client").serialise(stored)


def a_write_with_side_writes(cast: Cast, *, version: int, refuse: bool = False) -> None:
    with versioned_write(
        Client.objects.all(), pk=cast.client.pk, version=version, entity="client", actor=cast.nurse
    ) as current:
        current.preferred_name = "Bron"
        a_contact(cast, current)
        if refuse:
            raise DomainError("Not today.")


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_the_current_record_and_nothing_written(
    cast: Cast,
) -> None:
    before = feed(cast)
    with pytest.raises(Conflict, match="now version 1, you had version 7") as refused:
        a_write_with_side_writes(cast, version=7)
    assert refused.value.current["id"] == str(cast.client.pk)
    assert Client.objects.get(pk=cast.client.pk).version == 1
    assert not EmergencyContact.objects.exists()
    assert feed(cast) == before


@pytest.mark.django_db
def test_a_conflict_carries_the_record_as_the_feed_does_never_a_server_only_field(
    cast: Cast,
) -> None:
    Client.objects.filter(pk=cast.client.pk).update(key_safe_code="4071")
    with pytest.raises(Conflict) as refused:
        a_write_with_side_writes(cast, version=0)
    stored = Client.objects.get(pk=cast.client.pk)
    assert refused.value.current == registry.get("client").serialise(stored)
    assert "key_safe_code" not in refused.value.current


@pytest.mark.django_db
def test_a_refusal_inside_the_block_takes_back_every_write_made_in_it(cast: Cast) -> None:
    before = feed(cast)
    with pytest.raises(DomainError, match="Not today"):
        a_write_with_side_writes(cast, version=1, refuse=True)
    assert Client.objects.get(pk=cast.client.pk).version == 1
    assert not EmergencyContact.objects.exists()
    assert feed(cast) == before
    a_write_with_side_writes(cast, version=1)
    assert [entity for entity, _, _ in feed(cast)[len(before) :]] == [
        "emergency_contact",
        "client",
    ]


@pytest.mark.django_db
def test_a_stale_delete_is_refused_and_the_record_stays(cast: Cast) -> None:
    contact = emergency_contact_add(
        client=cast.client, name="Rhys", relationship="son", phone="01632 960000", actor=cast.nurse
    )
    before = feed(cast)
    with (
        pytest.raises(Conflict),
        versioned_delete(
            EmergencyContact.objects.all(),
            pk=contact.pk,
            version=2,
            entity="emergency_contact",
            actor=cast.nurse,
        ),
    ):
        pass
    assert EmergencyContact.objects.filter(pk=contact.pk).exists()
    assert feed(cast) == before
    with versioned_delete(
        EmergencyContact.objects.all(),
        pk=contact.pk,
        version=1,
        entity="emergency_contact",
        actor=cast.nurse,
    ):
        pass
    assert not EmergencyContact.objects.filter(pk=contact.pk).exists()
    assert feed(cast)[-1] == ("emergency_contact", contact.pk, 1)
    assert Change.objects.get(entity_id=contact.pk, op="delete").client_id == cast.client.pk


@pytest.mark.django_db
def test_a_service_refuses_a_stale_version_with_no_side_writes(cast: Cast) -> None:
    """Putting a carer on a visit writes the assignment, its feed entry and the visit's: with
    the visit changed meanwhile, none of them."""
    start = timezone.now() + dt.timedelta(days=2)
    visit = visit_create(
        team=cast.team,
        client=cast.client,
        details=VisitDetails(
            start=start,
            end=start + dt.timedelta(minutes=30),
            window_start=None,
            window_end=None,
            required_skills=[],
            carers_needed=1,
            tasks=[],
        ),
        actor=cast.nurse,
    )
    before = feed(cast)
    with pytest.raises(Conflict):
        visit_assign(visit=visit, version=0, member=cast.carer_membership, actor=cast.nurse)
    assert not VisitAssignment.objects.exists()
    assert Visit.objects.get(pk=visit.pk).version == 1
    assert feed(cast) == before
    visit_assign(visit=visit, version=1, member=cast.carer_membership, actor=cast.nurse)
    assert [entity for entity, _, _ in feed(cast)[len(before) :]] == ["visit_assignment", "visit"]


@pytest.mark.django_db
def test_who_may_write_is_answered_before_the_version(cast: Cast) -> None:
    """A stranger's stale write gets NotFound, never the Conflict that carries the record."""
    details: TeamDetails = team_details_of(cast.team)
    with pytest.raises(NotFound):
        team_update(team=cast.team, version=99, details=details, actor=cast.other_nurse)
    with pytest.raises(Conflict):
        team_update(team=cast.team, version=99, details=details, actor=cast.nurse)
    assert Team.objects.get(pk=cast.team.pk).version == 1


HAND_WRITTEN = re.compile(r"\bcheck_version\(|\.version\s*\+=")


def test_no_service_checks_or_raises_a_version_by_hand() -> None:
    """Every versioned write goes through careteams.versioning, so the lock, the check, the bump
    and the feed entry cannot drift apart again at one of the sites."""
    packages = [
        folder
        for folder in sorted(ROOT.iterdir())
        if (folder / "__init__.py").exists() and folder.name not in {"tests", "bench"}
    ]
    assert {"careteams", "scheduling", "clients"} <= {folder.name for folder in packages}
    found = []
    for path in (path for folder in packages for path in sorted(folder.rglob("*.py"))):
        relative = path.relative_to(ROOT)
        # The demo's bulk loaders build rows in memory, versions included, before inserting them.
        if relative == Path("careteams/versioning.py") or "demo" in relative.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if HAND_WRITTEN.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
