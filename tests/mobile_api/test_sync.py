"""Offline sync: pulling the feed as each viewer may see it, pushing mutations at most once."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from careteams.incarnation import incarnation_get
from careteams.models import User
from clients.models import CareProblem, FamilyAccess, Note
from mobile_api.models import SyncMutation
from scheduling.models import Shift, Visit, VisitAssignment, VisitStatus
from scheduling.services import visits as visit_services
from tests.conftest import Cast
from tests.mobile_api.conftest import Api, is_problem
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(cast: Cast, api_as: Callable[[User], Api]) -> Api:
    return api_as(cast.nurse)


def seq_of(cursor: str) -> int:
    """The seq a cursor stands after (docs/sync.md, "Cursors")."""
    return int(cursor.split(".")[0])


def pull_all(
    api: Api, team: uuid.UUID, after: int | str = 0, limit: int = 7
) -> tuple[list[dict[str, Any]], str]:
    """Pull to the head as a device does: the cursor goes with its incarnation, which a device
    keeps from its last pull (here taken from the server for the first page)."""
    changes: list[dict[str, Any]] = []
    current = incarnation_get()
    while True:
        page = api.get(f"/sync/{team}/changes", after=after, limit=limit, incarnation=current)
        assert page.status_code == 200, page.content
        body = page.json()
        changes += body["changes"]
        cursor: str = body["next_cursor"]
        after, current = cursor, body["incarnation"]
        if not body["has_more"]:
            return changes, cursor


def mutation(
    kind: str, data: dict[str, Any], base: int | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "kind": kind,
        "recorded_at": extra.pop("recorded_at", timezone.now()).isoformat(),
        "base_version": base,
        "data": data,
    }


def now_on(start: dt.datetime | None = None) -> dict[str, dt.datetime]:
    """Planned times of a visit under way (check-ins are refused long before a visit)."""
    start = start or timezone.now() - dt.timedelta(minutes=10)
    return {"planned_start": start, "planned_end": start + dt.timedelta(minutes=30)}


def push(api: Api, team: uuid.UUID, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.post(f"/sync/{team}/mutations", {"mutations": list(mutations)})
    assert response.status_code == 200, response.content
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_a_member_pulls_every_change_in_order_a_page_at_a_time(
    cast: Cast, nurse: Api, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    for n in range(5):
        push(
            nurse,
            cast.team.id,
            mutation(
                "note.create",
                {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": f"Note {n}"},
            ),
        )
    push(
        nurse,
        cast.team.id,
        mutation(
            "visit.assign",
            {"visit_id": str(visit.id), "member_id": str(cast.carer_membership.id)},
            base=1,
        ),
    )
    changes, cursor = pull_all(nurse, cast.team.id, limit=2)
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs) == list(range(1, len(seqs) + 1))
    assert seq_of(cursor) == seqs[-1]
    assert [c["entity"] for c in changes].count("note") == 5
    again, same = pull_all(nurse, cast.team.id, after=cursor)
    assert (again, same) == ([], cursor)


def test_a_cursor_past_the_head_is_a_409_and_another_teams_feed_is_404(
    cast: Cast, nurse: Api, api_as: Callable[[User], Api]
) -> None:
    body = is_problem(
        nurse.get(f"/sync/{cast.team.id}/changes", after=99, incarnation=incarnation_get()), 409
    )
    assert body["errors"][0]["field"] == "after"
    assert body["title"] == "Resync needed"
    is_problem(nurse.get(f"/sync/{cast.other_team.id}/changes"), 404)
    is_problem(api_as(cast.outsider).get(f"/sync/{cast.team.id}/changes"), 404)
    is_problem(api_as(cast.family_without_access).get(f"/sync/{cast.team.id}/changes"), 404)


def test_a_coach_pulls_the_rota_without_client_identity(
    cast: Cast, nurse: Api, api_as: Callable[[User], Api], make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit(tasks=["Insulin"])
    push(
        nurse,
        cast.team.id,
        mutation(
            "visit.assign",
            {"visit_id": str(visit.id), "member_id": str(cast.carer_membership.id)},
            base=1,
        ),
        mutation(
            "note.create",
            {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": "Private."},
        ),
    )
    changes, _ = pull_all(api_as(cast.coach), cast.team.id)
    assert {c["entity"] for c in changes} == {"visit", "visit_assignment"}
    text = str(changes)
    assert str(cast.client.id) not in text
    assert "Insulin" not in text
    assert all(c["client"] is None for c in changes)


def test_family_pull_only_their_clients_shared_records_in_plain_words(
    cast: Cast, nurse: Api, api_as: Callable[[User], Api], problem: CareProblem
) -> None:
    for shareable, client in (
        (True, cast.client),
        (False, cast.client),
        (True, cast.other_client_same_team),
    ):
        push(
            nurse,
            cast.team.id,
            mutation(
                "note.create",
                {
                    "id": str(uuid.uuid4()),
                    "client_id": str(client.id),
                    "body": f"{shareable} {client}",
                    "shareable": shareable,
                },
            ),
        )
    today = timezone.localdate()
    nurse.post(
        f"/clients/{cast.client.id}/problems/{problem.id}/interventions",
        {"category": "teaching", "target": "17", "care_description": "Explain"},
    )
    nurse.post(
        f"/clients/{cast.client.id}/problems/{problem.id}/ratings",
        {"knowledge": 4, "behaviour": 4, "status": 4, "rated_on": str(today)},
    )
    changes, _ = pull_all(api_as(cast.family), cast.team.id)
    notes = [c for c in changes if c["entity"] == "note"]
    assert [n["data"]["body"] for n in notes] == ["True Dafydd Llŷr"]
    assert "author_id" not in notes[0]["data"]
    assert {c["entity"] for c in changes} == {"note", "intervention"}
    assert changes[-1]["data"]["kind"] == "We explain, advise and encourage"
    assert str(cast.other_client_same_team.id) not in str(changes)


def test_records_the_family_can_no_longer_see_arrive_as_deletions(
    cast: Cast, nurse: Api, api_as: Callable[[User], Api], upcoming_visit: Visit
) -> None:
    VisitAssignment.objects.all().delete()
    visit_services.visit_cancel(visit=upcoming_visit, version=1, actor=cast.nurse)
    family = api_as(cast.family)
    changes, cursor = pull_all(family, cast.team.id)
    assert [(c["entity"], c["op"], c["data"]) for c in changes] == [("visit", "delete", {})]
    # A second client of the same team keeps the feed open after access to the first ends.
    FamilyAccess.objects.create(
        client=cast.other_client_same_team,
        person=cast.family,
        relationship="child",
        consent_basis="client_consent",
        granted_by=cast.nurse,
    )
    push(
        nurse,
        cast.team.id,
        mutation(
            "note.create",
            {
                "id": str(uuid.uuid4()),
                "client_id": str(cast.client.id),
                "body": "Shared.",
                "shareable": True,
            },
        ),
    )
    FamilyAccess.objects.filter(client=cast.client).update(revoked_at=timezone.now())
    later, _ = pull_all(family, cast.team.id, after=cursor)
    assert [(c["entity"], c["op"], c["data"]) for c in later] == [("note", "delete", {})]


def test_pushed_mutations_are_each_answered_and_one_bad_one_loses_none_of_the_others(
    cast: Cast, api_as: Callable[[User], Api], make_visit: Callable[..., Visit]
) -> None:
    carer = api_as(cast.carer)
    visit = make_visit(**now_on())
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    note_id = str(uuid.uuid4())
    results = push(
        carer,
        cast.team.id,
        mutation("note.create", {"id": note_id, "client_id": str(cast.client.id), "body": "A"}),
        mutation("note.create", {"id": str(uuid.uuid4()), "client_id": str(cast.client.id)}),
        mutation("visit.check_in", {"visit_id": str(visit.id)}, base=9),
        mutation("visit.check_in", {"visit_id": str(visit.id)}, base=1),
        mutation("teleport", {}),
        mutation(
            "note.create",
            {"id": str(uuid.uuid4()), "client_id": str(cast.other_team_client.id), "body": "X"},
        ),
        mutation(
            "note.amend",
            {
                "id": str(uuid.uuid4()),
                "client_id": str(cast.client.id),
                "amends_id": note_id,
                "body": "A, corrected",
            },
        ),
    )
    assert [r["status"] for r in results] == [
        "applied",
        "rejected",
        "conflict",
        "applied",
        "rejected",
        "rejected",
        "applied",
    ]
    assert results[1]["problem"]["errors"][0]["field"] == "data.body"
    assert results[2]["current"]["version"] == 1
    assert results[4]["problem"]["errors"][0]["field"] == "kind"
    assert results[5]["problem"]["status"] == 404
    assert Note.objects.count() == 2
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS


def test_shifts_and_carers_change_through_mutations_with_versions(
    cast: Cast, nurse: Api, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    created = push(
        nurse,
        cast.team.id,
        mutation(
            "shift.create",
            {
                "member_id": str(cast.carer_membership.id),
                "start": on(0, "07:00").isoformat(),
                "end": on(0, "15:00").isoformat(),
            },
        ),
    )[0]
    assert created["status"] == "applied"
    shift_id = created["id"]
    results = push(
        nurse,
        cast.team.id,
        mutation(
            "shift.update",
            {
                "shift_id": shift_id,
                "member_id": str(cast.carer_membership.id),
                "start": on(0, "08:00").isoformat(),
                "end": on(0, "15:00").isoformat(),
            },
            base=1,
        ),
        mutation(
            "shift.update",
            {
                "shift_id": shift_id,
                "member_id": str(cast.carer_membership.id),
                "start": on(0, "09:00").isoformat(),
                "end": on(0, "15:00").isoformat(),
            },
            base=1,
        ),
        mutation(
            "shift.update",
            {
                "shift_id": shift_id,
                "member_id": str(cast.carer_membership.id),
                "start": on(0, "09:00").isoformat(),
                "end": on(0, "15:00").isoformat(),
            },
        ),
        mutation(
            "visit.assign",
            {"visit_id": str(visit.id), "member_id": str(cast.carer_membership.id)},
            base=1,
        ),
        mutation(
            "visit.unassign",
            {"visit_id": str(visit.id), "member_id": str(cast.carer_membership.id)},
            base=2,
        ),
        mutation("shift.delete", {"shift_id": shift_id}, base=2),
    )
    assert [r["status"] for r in results] == [
        "applied",
        "conflict",
        "rejected",
        "applied",
        "applied",
        "applied",
    ]
    assert results[2]["problem"]["errors"][0]["field"] == "base_version"
    assert results[4]["version"] == 3
    assert not Shift.objects.exists()


def test_family_and_coach_cannot_push(cast: Cast, api_as: Callable[[User], Api]) -> None:
    note = mutation(
        "note.create", {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": "x"}
    )
    for user in (cast.family, cast.coach, cast.other_nurse):
        is_problem(api_as(user).post(f"/sync/{cast.team.id}/mutations", {"mutations": [note]}), 404)
    assert not Note.objects.exists()
    assert not SyncMutation.objects.exists()


def test_an_offline_day_of_50_notes_and_check_ins_pushed_twice_arrives_exactly_once(
    cast: Cast, api_as: Callable[[User], Api], make_visit: Callable[..., Visit]
) -> None:
    carer = api_as(cast.carer)
    nurse = api_as(cast.nurse)
    _, start_cursor = pull_all(carer, cast.team.id)
    began = timezone.now() - dt.timedelta(hours=6)
    visits = [make_visit(**now_on(began + dt.timedelta(hours=n))) for n in range(5)]
    for visit in visits:
        VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    offline: list[dict[str, Any]] = []
    note_ids: list[str] = []
    for n, visit in enumerate(visits):
        arrived = began + dt.timedelta(hours=n)
        offline.append(
            mutation("visit.check_in", {"visit_id": str(visit.id)}, base=1, recorded_at=arrived)
        )
        for k in range(10):
            note_ids.append(str(uuid.uuid4()))
            offline.append(
                mutation(
                    "note.create",
                    {
                        "id": note_ids[-1],
                        "client_id": str(visit.client_id),
                        "visit_id": str(visit.id),
                        "body": f"Visit {n}, note {k}",
                    },
                    recorded_at=arrived + dt.timedelta(minutes=k),
                )
            )
        offline.append(
            mutation(
                "visit.check_out",
                {"visit_id": str(visit.id)},
                base=2,
                recorded_at=arrived + dt.timedelta(minutes=25),
            )
        )
    # Meanwhile a colleague writes online.
    nurse.post(f"/clients/{cast.client.id}/notes", {"id": str(uuid.uuid4()), "body": "Online."})

    first = push(carer, cast.team.id, *offline)
    second = push(carer, cast.team.id, *offline)  # the first response was lost
    assert [r["status"] for r in first] == ["applied"] * len(offline)
    assert [r["status"] for r in second] == ["applied"] * len(offline)
    assert all(r["repeated"] for r in second)
    assert [r["id"] for r in first] == [r["id"] for r in second]

    assert Note.objects.filter(author=cast.carer).count() == 50
    assert sorted(
        str(i) for i in Note.objects.filter(author=cast.carer).values_list("id", flat=True)
    ) == sorted(note_ids)
    for n, visit in enumerate(visits):
        visit.refresh_from_db()
        assert visit.status == VisitStatus.DONE
        assert visit.checked_in_at == began + dt.timedelta(hours=n)
    assert Note.objects.get(pk=note_ids[0]).recorded_at == began

    carer_changes, carer_cursor = pull_all(carer, cast.team.id, after=start_cursor, limit=13)
    nurse_changes, nurse_cursor = pull_all(nurse, cast.team.id, limit=50)
    assert carer_cursor == nurse_cursor
    assert seq_of(nurse_cursor) == cast.team.__class__.objects.get(pk=cast.team.pk).last_change_seq
    pulled_notes = [c["id"] for c in carer_changes if c["entity"] == "note"]
    assert len(pulled_notes) == len(set(pulled_notes)) == 51
    assert set(note_ids) <= set(pulled_notes)
    assert [c for c in nurse_changes if c["seq"] > seq_of(start_cursor)] == carer_changes


def test_a_device_time_with_an_odd_offset_is_kept_in_utc_and_an_absurd_one_is_rejected(
    cast: Cast, nurse: Api
) -> None:
    odd = mutation(
        "note.create",
        {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": "Odd clock."},
    )
    zone = dt.timezone(dt.timedelta(hours=14, minutes=46))
    yesterday = (timezone.now() - dt.timedelta(days=1)).astimezone(zone).replace(microsecond=0)
    odd["recorded_at"] = yesterday.isoformat()
    response = nurse.post(f"/sync/{cast.team.id}/mutations", {"mutations": [odd]})
    assert response.json()["results"][0]["status"] == "applied"
    assert Note.objects.get().recorded_at == yesterday.astimezone(dt.UTC)
    odd["recorded_at"] = "0001-01-01T00:00:00+05:00"
    (absurd,) = push(nurse, cast.team.id, odd)
    assert absurd["status"] == "rejected"
    assert absurd["problem"]["errors"][0]["field"] == "mutations[0].recorded_at"


def test_an_unexpected_failure_asks_to_retry_that_mutation_only_and_is_not_stored(
    cast: Cast, nurse: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mobile_api import mutations as applier

    def broken(ctx: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(applier.KINDS, "shift.delete", broken)
    results = push(
        nurse,
        cast.team.id,
        mutation("shift.delete", {"shift_id": str(uuid.uuid4())}, base=1),
        mutation(
            "note.create",
            {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": "Still here."},
        ),
    )
    assert [r["status"] for r in results] == ["retry", "applied"]
    assert results[0]["problem"]["status"] == 503
    assert SyncMutation.objects.count() == 1
