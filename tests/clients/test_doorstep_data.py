"""Doorstep data (GP practice, communication needs, preferred name, emergency contacts) and the
team's phone and grace time: set through their services, versioned, in the feed for the team,
and never seen by family: not in their feed, sync pull or family view, and neither are access
notes, task outcomes or their notes."""

import datetime as dt
import uuid
from collections.abc import Callable

import pytest

from careteams import services as team_services
from careteams.errors import Conflict, DomainError, NotFound
from careteams.models import Change, User
from clients.models import EmergencyContact
from clients.selectors import family as family_selectors
from clients.services import doorstep
from scheduling.models import Visit, VisitAssignment
from scheduling.services import visit_records
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, api_as  # noqa: F401
from tests.mobile_api.test_sync import pull_all


def test_doorstep_details_are_set_versioned_and_in_the_feed(cast: Cast) -> None:
    client = doorstep.client_doorstep_update(
        client=cast.client,
        version=cast.client.version,
        gp_practice_name=" Canton Surgery ",
        gp_practice_phone="029 2000 0000",
        communication_needs="Hard of hearing: face him and speak clearly.",
        preferred_name="Dai",
        actor=cast.nurse,
    )
    assert (client.gp_practice_name, client.preferred_name) == ("Canton Surgery", "Dai")
    change = Change.objects.filter(entity="client", entity_id=client.id).latest("seq")
    assert change.data["communication_needs"].startswith("Hard of hearing")
    assert change.version == client.version
    with pytest.raises(Conflict):
        doorstep.client_doorstep_update(
            client=client,
            version=1,
            gp_practice_name="",
            gp_practice_phone="",
            communication_needs="",
            preferred_name="",
            actor=cast.nurse,
        )
    with pytest.raises(DomainError) as refused:
        doorstep.client_doorstep_update(
            client=client,
            version=client.version,
            gp_practice_name="x" * 201,
            gp_practice_phone="",
            communication_needs="",
            preferred_name="",
            actor=cast.nurse,
        )
    assert refused.value.field == "gp_practice_name"


def test_emergency_contacts_are_added_changed_and_removed_in_order(cast: Cast) -> None:
    first = doorstep.emergency_contact_add(
        client=cast.client,
        name="Rhian",
        relationship="Daughter",
        phone="07700 900123",
        actor=cast.nurse,
    )
    second = doorstep.emergency_contact_add(
        client=cast.client,
        name="Huw",
        relationship="Neighbour",
        phone="07700 900456",
        may_be_told="welfare",
        actor=cast.nurse,
    )
    assert (first.order, second.order) == (1, 2)
    assert not second.may_hear_clinical_detail
    changed = doorstep.emergency_contact_update(
        contact=first,
        version=1,
        name="Rhian Llŷr",
        relationship="Daughter",
        phone="07700 900123",
        may_be_told="clinical",
        order=1,
        actor=cast.nurse,
    )
    assert changed.version == 2
    assert changed.may_hear_clinical_detail
    doorstep.emergency_contact_remove(contact=second, version=1, actor=cast.nurse)
    assert list(EmergencyContact.objects.values_list("name", flat=True)) == ["Rhian Llŷr"]
    ops = list(
        Change.objects.filter(entity="emergency_contact")
        .order_by("seq")
        .values_list("op", flat=True)
    )
    assert ops == ["upsert", "upsert", "upsert", "delete"]
    with pytest.raises(DomainError) as refused:
        doorstep.emergency_contact_add(
            client=cast.client, name="No phone", relationship="", phone="", actor=cast.nurse
        )
    assert refused.value.field == "phone"


def test_a_retried_contact_with_the_same_id_is_added_once(cast: Cast) -> None:
    ident = uuid.uuid4()
    for _ in range(2):
        doorstep.emergency_contact_add(
            client=cast.client,
            name="Rhian",
            relationship="",
            phone="1",
            actor=cast.nurse,
            contact_id=ident,
        )
    assert EmergencyContact.objects.count() == 1


def test_doorstep_services_refuse_another_teams_member(cast: Cast) -> None:
    with pytest.raises(NotFound):
        doorstep.emergency_contact_add(
            client=cast.client, name="X", relationship="", phone="1", actor=cast.other_nurse
        )
    with pytest.raises(NotFound):
        doorstep.client_doorstep_update(
            client=cast.client,
            version=cast.client.version,
            gp_practice_name="",
            gp_practice_phone="",
            communication_needs="",
            preferred_name="",
            actor=cast.other_nurse,
        )
    with pytest.raises(NotFound):
        team_services.team_contact_update(
            team=cast.team,
            version=1,
            phone="",
            phone_hours="",
            late_grace_minutes=30,
            actor=cast.other_nurse,
        )


def test_the_teams_phone_hours_and_grace_are_checked_and_versioned(cast: Cast) -> None:
    team = team_services.team_contact_update(
        team=cast.team,
        version=cast.team.version,
        phone="+44 29 2000 0001",
        phone_hours="8am to 8pm, every day",
        late_grace_minutes=20,
        actor=cast.nurse,
    )
    assert (team.phone, team.late_grace_minutes, team.version) == ("+44 29 2000 0001", 20, 2)
    assert Change.objects.filter(entity="team").latest("seq").data["phone_hours"].startswith("8am")
    for field, values in (
        ("late_grace_minutes", {"late_grace_minutes": 241}),
        ("phone", {"phone": "call me maybe"}),
    ):
        kwargs = {"phone": "", "phone_hours": "", "late_grace_minutes": 30, **values}
        with pytest.raises(DomainError) as refused:
            team_services.team_contact_update(team=team, version=2, actor=cast.nurse, **kwargs)  # type: ignore[arg-type]
        assert refused.value.field == field


@pytest.mark.django_db
def test_family_never_sees_access_notes_emergency_contacts_or_task_outcomes(
    cast: Cast,
    api_as: Callable[[User], Api],  # noqa: F811
) -> None:
    doorstep.client_doorstep_update(
        client=cast.client,
        version=cast.client.version,
        gp_practice_name="Canton Surgery",
        gp_practice_phone="029 2000 0000",
        communication_needs="Hard of hearing",
        preferred_name="Dai",
        actor=cast.nurse,
    )
    doorstep.emergency_contact_add(
        client=cast.client,
        name="Rhian",
        relationship="Daughter",
        phone="07700 900123",
        actor=cast.nurse,
    )
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        tasks=["Bins out"],
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    visit_records.visit_task_outcome_record(
        visit=visit,
        task_key="visit:Bins out",
        outcome="not_done",
        reason="could_not",
        note="Internal: the son shouted at me",
        actor=cast.carer,
    )
    changes, _ = pull_all(api_as(cast.family), cast.team.id)
    seen = str(changes)
    for secret in (
        "Key safe 1234",
        "Rhian",
        "Canton Surgery",
        "Hard of hearing",
        "shouted",
        "Bins out",
    ):
        assert secret not in seen
    assert {c["entity"] for c in changes} <= {
        "client",
        "visit",
        "note",
        "care_problem",
        "intervention",
    }
    view = family_selectors.family_view(user=cast.family, client_id=cast.client.id)
    assert "Key safe" not in str(view.__dict__)
    assert "Rhian" not in str(view.__dict__)
    # The team's own pull carries all of it.
    team_changes, _ = pull_all(api_as(cast.nurse), cast.team.id)
    assert "Rhian" in str(team_changes)
    assert "shouted" in str(team_changes)
