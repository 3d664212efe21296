"""The client services against the database: every write records a Change, bad input changes
nothing, notes are append-only and idempotent, versions guard against lost updates."""

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.utils import timezone

from careteams.errors import Conflict, DomainError
from careteams.limits import CLOCK_SKEW_ALLOWED
from careteams.models import Change
from clients.models import CareProblem, Client, Intervention, Note, OutcomeRating
from clients.services import care_plan, notes
from clients.services import clients as client_services
from clients.services.clients import ClientDetails
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def changes_of(entity: str) -> list[Change]:
    return list(Change.objects.filter(entity=entity).order_by("seq"))


def test_adding_a_client_normalises_nhs_number_and_postcode_and_records_a_change(
    cast: Cast,
) -> None:
    client = client_services.client_create(
        team=cast.team,
        details=ClientDetails(
            given_name="Gwilym",
            family_name="Pŵll",
            nhs_number="401 023 2137",
            postcode="sw1a1aa",
        ),
        actor=cast.nurse,
    )
    assert client.nhs_number == "4010232137"
    assert client.nhs_number_display == "401 023 2137"
    assert client.postcode == "SW1A 1AA"
    [change] = changes_of("client")
    assert change.entity_id == client.id
    assert change.client_id == client.id
    assert change.actor == cast.nurse
    assert change.data["family_name"] == "Pŵll"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "943 476 5918", "not a valid NHS number"),
        ("postcode", "NOT A CODE", "UK postcode"),
        ("nhs_number", "9434765919", "already recorded"),
    ],
)
def test_a_client_with_bad_details_is_refused_and_nothing_is_saved(
    cast: Cast, field: str, value: str, message: str
) -> None:
    before = Client.objects.count()
    details = ClientDetails(given_name="Ann", family_name="Other")
    setattr(details, field, value)
    with pytest.raises(DomainError, match=message) as error:
        client_services.client_create(team=cast.team, details=details, actor=cast.nurse)
    assert error.value.field == field
    assert Client.objects.count() == before
    assert not changes_of("client")


def test_a_stale_client_edit_is_refused_and_overwrites_nothing(cast: Cast) -> None:
    details = ClientDetails(given_name="Dafydd", family_name="Llŷr", phone="01234 567890")
    client_services.client_update(client=cast.client, version=1, details=details, actor=cast.nurse)
    stale = ClientDetails(given_name="Dafydd", family_name="Llŷr", phone="09999 999999")
    with pytest.raises(Conflict, match="changed by someone else"):
        client_services.client_update(
            client=cast.client, version=1, details=stale, actor=cast.carer
        )
    cast.client.refresh_from_db()
    assert cast.client.phone == "01234 567890"
    assert cast.client.version == 2
    assert len(changes_of("client")) == 1


def test_named_nurses_must_be_members_of_the_clients_team(cast: Cast) -> None:
    with pytest.raises(DomainError, match="current member of this team"):
        client_services.client_set_nurses(
            client=cast.client,
            version=1,
            primary=cast.other_nurse_membership,
            second=None,
            actor=cast.nurse,
        )
    client = client_services.client_set_nurses(
        client=cast.client,
        version=1,
        primary=cast.nurse_membership,
        second=cast.carer_membership,
        actor=cast.nurse,
    )
    assert client.second_nurse == cast.carer_membership
    assert len(changes_of("client")) == 1


def test_adding_a_problem_with_its_signs_records_a_change(cast: Cast) -> None:
    problem = care_plan.problem_add(
        client=cast.client,
        problem_code="22",
        scope="individual",
        severity="actual",
        signs_symptoms=["01", "03"],
        identified_on=timezone.localdate(),
        actor=cast.nurse,
    )
    assert problem.problem.name == "Pain"
    [change] = changes_of("care_problem")
    assert change.client_id == cast.client.id
    assert change.data["signs_symptoms"] == ["01", "03"]


@pytest.mark.parametrize(
    ("code", "severity", "signs", "message"),
    [
        ("99", "actual", ["01"], "not one of the 42 Omaha problems"),
        ("22", "actual", ["77"], "from the list"),
        ("22", "actual", [], "at least one sign"),
        ("22", "potential", ["01"], "actual problems only"),
        ("24", "actual", ["01"], "already an active problem"),
    ],
)
def test_a_bad_problem_is_refused_and_nothing_is_saved(
    cast: Cast, problem: CareProblem, code: str, severity: str, signs: list[str], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        care_plan.problem_add(
            client=cast.client,
            problem_code=code,
            scope="individual",
            severity=severity,
            signs_symptoms=signs,
            identified_on=timezone.localdate(),
            actor=cast.nurse,
        )
    assert CareProblem.objects.count() == 1
    assert not changes_of("care_problem")


def test_interventions_and_ratings_record_changes(cast: Cast, problem: CareProblem) -> None:
    care_plan.intervention_add(
        problem=problem,
        category="teaching",
        target="63",
        care_description="Show Dafydd how to check his heels with a mirror",
        frequency="weekly",
        actor=cast.nurse,
    )
    care_plan.rating_add(
        problem=problem,
        knowledge=4,
        behaviour=4,
        status=4,
        rated_on=timezone.localdate(),
        actor=cast.nurse,
    )
    assert problem.interventions.count() == 2
    assert problem.ratings.count() == 3
    assert len(changes_of("intervention")) == 1
    assert len(changes_of("outcome_rating")) == 1


@pytest.mark.parametrize("scores", [(0, 3, 3), (3, 6, 3), (3, 3, -1)])
def test_a_rating_outside_1_to_5_is_refused(
    cast: Cast, problem: CareProblem, scores: tuple[int, int, int]
) -> None:
    k, b, s = scores
    with pytest.raises(DomainError, match="from 1 to 5"):
        care_plan.rating_add(
            problem=problem,
            knowledge=k,
            behaviour=b,
            status=s,
            rated_on=timezone.localdate(),
            actor=cast.nurse,
        )
    assert OutcomeRating.objects.count() == 2
    assert not changes_of("outcome_rating")


def test_an_unknown_intervention_target_is_refused(cast: Cast, problem: CareProblem) -> None:
    with pytest.raises(DomainError, match="not an Omaha target"):
        care_plan.intervention_add(
            problem=problem,
            category="teaching",
            target="99",
            care_description="Something",
            frequency="",
            actor=cast.nurse,
        )
    assert Intervention.objects.count() == 1


def test_resolving_a_problem_needs_the_current_version(cast: Cast, problem: CareProblem) -> None:
    with pytest.raises(Conflict):
        care_plan.problem_resolve(
            problem=problem, version=7, resolved_on=timezone.localdate(), actor=cast.nurse
        )
    resolved = care_plan.problem_resolve(
        problem=problem, version=1, resolved_on=timezone.localdate(), actor=cast.nurse
    )
    assert resolved.status == "resolved"
    assert resolved.version == 2
    assert len(changes_of("care_problem")) == 1


def test_a_note_is_written_with_its_problems_and_records_a_change(
    cast: Cast, problem: CareProblem
) -> None:
    note = notes.note_write(
        client=cast.client,
        author=cast.carer,
        body="Heel looks less red.",
        note_id=uuid.uuid4(),
        shareable=True,
        problems=[problem],
    )
    assert list(note.problems.all()) == [problem]
    [change] = changes_of("note")
    assert change.data["body"] == "Heel looks less red."
    assert change.data["problem_ids"] == [str(problem.id)]


def test_a_retried_note_is_not_written_twice(cast: Cast) -> None:
    note_id = uuid.uuid4()
    first = notes.note_write(
        client=cast.client, author=cast.carer, body="Ate well.", note_id=note_id
    )
    again = notes.note_write(
        client=cast.client, author=cast.carer, body="Ate well.", note_id=note_id
    )
    assert first.pk == again.pk
    assert Note.objects.count() == 1
    assert len(changes_of("note")) == 1


def test_a_note_id_of_another_clients_note_is_refused(cast: Cast) -> None:
    note_id = uuid.uuid4()
    notes.note_write(client=cast.client, author=cast.carer, body="Ate well.", note_id=note_id)
    with pytest.raises(DomainError, match="could not be saved"):
        notes.note_write(
            client=cast.other_client_same_team, author=cast.carer, body="x", note_id=note_id
        )
    assert Note.objects.count() == 1


def test_an_amendment_is_a_new_note_and_the_old_one_stays(
    cast: Cast, make_note: Callable[..., Note]
) -> None:
    old = make_note(body="Gave 10 units of insulin.")
    new = notes.note_write(
        client=cast.client,
        author=cast.nurse,
        body="Correction: gave 8 units of insulin.",
        note_id=uuid.uuid4(),
        amends=old,
    )
    old.refresh_from_db()
    assert old.body == "Gave 10 units of insulin."
    assert new.amends == old
    assert Note.objects.count() == 2


def test_amending_another_clients_note_is_refused(
    cast: Cast, make_note: Callable[..., Note]
) -> None:
    theirs = make_note(client=cast.other_client_same_team)
    with pytest.raises(DomainError, match="note of this client"):
        notes.note_write(
            client=cast.client, author=cast.nurse, body="x", note_id=uuid.uuid4(), amends=theirs
        )
    assert Note.objects.count() == 1
    assert not changes_of("note")


def test_a_note_dated_in_the_future_is_refused(cast: Cast) -> None:
    later = timezone.now() + CLOCK_SKEW_ALLOWED + dt.timedelta(minutes=1)
    with pytest.raises(DomainError, match="in the future"):
        notes.note_write(
            client=cast.client, author=cast.nurse, body="x", note_id=uuid.uuid4(), written_at=later
        )
    assert not Note.objects.exists()


def test_a_note_linked_to_another_clients_problem_is_refused(cast: Cast) -> None:
    theirs = CareProblem.objects.create(
        client=cast.other_client_same_team, problem_code="22", identified_on=timezone.localdate()
    )
    with pytest.raises(DomainError, match="this client's care plan"):
        notes.note_write(
            client=cast.client,
            author=cast.nurse,
            body="x",
            note_id=uuid.uuid4(),
            problems=[theirs],
        )
    assert not Note.objects.exists()
