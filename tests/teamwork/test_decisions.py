"""Deciding together: agenda to proposal to a decision by consent; decisions are append-only
(the database refuses to change them); actions reach their owner's My day until done; the
decision log is searchable by words and dates."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.test import Client as HttpClient
from django.urls import reverse

from careteams import timeutil
from careteams.errors import DomainError, NotFound
from teamwork.models import AppendOnly, Decision, ItemStatus
from teamwork.services import meetings
from tests.conftest import Cast
from tests.teamwork.conftest import Workings

pytestmark = pytest.mark.django_db


def test_the_database_refuses_to_change_a_decision(workings: Workings) -> None:
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE teamwork_decision SET text = 'rewritten' WHERE id = %s",
            [workings.decision.id.hex if connection.vendor == "sqlite" else workings.decision.id],
        )
    assert Decision.objects.get(pk=workings.decision.pk).text == workings.decision.text


def test_the_database_refuses_to_delete_a_decision(workings: Workings) -> None:
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Decision.objects.filter(pk=workings.decision.pk).delete()
    assert Decision.objects.filter(pk=workings.decision.pk).exists()


def test_the_orm_refuses_to_save_or_delete_a_decision_again(workings: Workings) -> None:
    decision = Decision.objects.get(pk=workings.decision.pk)
    decision.text = "rewritten"
    with pytest.raises(AppendOnly):
        decision.save()
    with pytest.raises(AppendOnly):
        decision.delete()


def test_a_change_of_decision_is_a_new_record_and_the_old_one_stays(
    cast: Cast, workings: Workings
) -> None:
    old = workings.decision
    new = meetings.decision_supersede(
        decision=old,
        text="Key safe codes on the record and in the locked app only.",
        outcome="changed",
        present=[cast.nurse_membership.pk],
        objections="Night staff need them offline.",
        actor=cast.carer,
    )
    assert new.pk != old.pk
    assert new.supersedes_id == old.pk
    stored = Decision.objects.get(pk=old.pk)
    assert stored.text == old.text
    assert stored.outcome == "agreed"
    assert Decision.objects.filter(team=cast.team).count() == 2
    with pytest.raises(DomainError, match="already changed"):
        meetings.decision_supersede(
            decision=old,
            text="Again",
            outcome="agreed",
            present=[cast.nurse_membership.pk],
            objections="",
            actor=cast.nurse,
        )


def test_consent_is_not_agreement_while_an_objection_stands(cast: Cast, workings: Workings) -> None:
    with pytest.raises(DomainError) as caught:
        meetings.decision_record(
            item=workings.item,
            text="Rotate weekends",
            outcome="agreed",
            present=[cast.nurse_membership.pk],
            objections="I cannot work Sundays.",
            actor=cast.nurse,
        )
    assert caught.value.field == "objections"
    parked = meetings.decision_record(
        item=workings.item,
        text="Rotate weekends",
        outcome="parked",
        present=[cast.nurse_membership.pk],
        objections="I cannot work Sundays.",
        actor=cast.nurse,
    )
    workings.item.refresh_from_db()
    assert workings.item.status == ItemStatus.PARKED
    assert parked.objections == "I cannot work Sundays."


def test_only_members_present_may_be_recorded_and_someone_must_be(
    cast: Cast, workings: Workings
) -> None:
    for present in ([], [cast.other_nurse_membership.pk]):
        with pytest.raises(DomainError) as caught:
            meetings.decision_record(
                item=workings.item,
                text="x",
                outcome="agreed",
                present=present,
                objections="",
                actor=cast.nurse,
            )
        assert caught.value.field == "present"
    assert not Decision.objects.filter(item=workings.item).exists()


def test_another_team_cannot_decide_or_add_to_the_agenda(cast: Cast, workings: Workings) -> None:
    with pytest.raises(NotFound):
        meetings.agenda_item_add(
            meeting=workings.meeting, title="Ours now", proposal="", actor=cast.other_nurse
        )
    with pytest.raises(NotFound):
        meetings.decision_record(
            item=workings.item,
            text="x",
            outcome="agreed",
            present=[cast.nurse_membership.pk],
            objections="",
            actor=cast.other_nurse,
        )


def test_a_proposal_goes_from_the_agenda_to_a_decision_with_an_action_on_the_owners_my_day(
    client: HttpClient, cast: Cast, workings: Workings
) -> None:
    team = {"team_id": cast.team.id}
    client.force_login(cast.nurse)
    meeting_url = reverse("teamwork:meeting", kwargs={**team, "meeting_id": workings.meeting.id})
    client.post(meeting_url, {"title": "Mileage claims", "proposal": "Claim weekly"})
    item = workings.meeting.items.get(title="Mileage claims")
    decide = reverse("teamwork:item-decide", kwargs={**team, "item_id": item.id})
    response = client.post(
        decide,
        {
            "text": "Claim mileage weekly, by Friday.",
            "outcome": "agreed",
            "present": [cast.nurse_membership.id, cast.carer_membership.id],
            "objections": "",
        },
    )
    decision = Decision.objects.get(item=item)
    assert response.status_code == 302
    due = timeutil.local_today(cast.team.zone) + dt.timedelta(days=2)
    decision_url = reverse("teamwork:decision", kwargs={**team, "decision_id": decision.id})
    client.post(
        decision_url,
        {
            "text": "Send the claim form round",
            "owner": cast.carer_membership.id,
            "due_on": due.isoformat(),
        },
    )
    client.force_login(cast.carer)
    my_day = reverse("scheduling:my-day", kwargs=team)
    page = client.get(my_day).content.decode()
    assert "Send the claim form round" in page
    action = decision.actions.get()
    done = reverse("teamwork:action-done", kwargs={**team, "action_id": action.id})
    assert client.post(done, {"version": action.version, "next": my_day}).status_code == 302
    after = client.get(my_day).content.decode()
    assert f'id="action-{action.id}"' in page
    assert f'id="action-{action.id}"' not in after


def test_the_decision_log_finds_decisions_by_words_and_dates(
    client: HttpClient, cast: Cast, workings: Workings
) -> None:
    client.force_login(cast.carer)
    url = reverse("teamwork:decisions", kwargs={"team_id": cast.team.id})
    today = timeutil.local_today(cast.team.zone)
    assert "Key safe codes" in client.get(url, {"q": "client record"}).content.decode()
    assert "Key safe codes" not in client.get(url, {"q": "mileage"}).content.decode()
    assert "Key safe codes" in client.get(url, {"since": today.isoformat()}).content.decode()
    later = (today + dt.timedelta(days=1)).isoformat()
    assert "Key safe codes" not in client.get(url, {"since": later}).content.decode()
    earlier = (today - dt.timedelta(days=1)).isoformat()
    assert "Key safe codes" not in client.get(url, {"until": earlier}).content.decode()
    bad = client.get(url, {"since": "2026-02-30"})
    assert bad.status_code == 400
    assert "give a date like" in bad.content.decode().lower()


def test_the_decision_log_uses_a_fixed_number_of_queries(
    client: HttpClient, cast: Cast, workings: Workings, django_assert_max_num_queries: object
) -> None:
    for n in range(15):
        item = meetings.agenda_item_add(
            meeting=workings.meeting, title=f"Item {n}", proposal="", actor=cast.nurse
        )
        decision = meetings.decision_record(
            item=item,
            text=f"Decided {n}",
            outcome="agreed",
            present=[cast.nurse_membership.pk],
            objections="",
            actor=cast.nurse,
        )
        meetings.action_add(
            decision=decision,
            text="Do it",
            owner=cast.carer_membership,
            due_on=dt.date(2030, 1, 1),
            actor=cast.nurse,
        )
    client.force_login(cast.carer)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse("teamwork:decisions", kwargs={"team_id": cast.team.id}))
    assert response.content.decode().count("Decided ") == 15
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(
            reverse(
                "teamwork:meeting",
                kwargs={"team_id": cast.team.id, "meeting_id": workings.meeting.id},
            )
        )
    assert response.status_code == 200
