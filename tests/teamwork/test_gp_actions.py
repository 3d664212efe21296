"""Tell the GP (issue 25): the third refusal in a row of a client's medicine, recorded on the
card, through the API or from a tablet's queue, stores one action for the team, in the record's
transaction; a record sent again raises none; a member takes it and marks it done; a correction
that undoes a refusal withdraws it and says why; only the team sees it, on its actions list and
on Team today until done."""

import uuid
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts import tokens
from careteams.models import Change
from medicines.models import DoseRecord, MedicineLine
from medicines.services import dose_correct
from scheduling.models import Visit
from teamwork.models import ActionItem
from tests.conftest import Cast
from tests.medicines.visit_fixtures import (
    check_in,
    clock,
    long_sessions,
    make_line,
    morning_visit,
    record,
)
from tests.mobile_api.conftest import Api
from tests.mobile_api.test_sync import mutation, push
from tests.scheduling.conftest import on

pytestmark = [pytest.mark.clock_sensitive, pytest.mark.usefixtures(long_sessions.__name__)]

TEXT = "Tell the GP: Dafydd Llŷr refused Amlodipine 5 mg three times in a row"


def visit_on(cast: Cast, day: int) -> Visit:
    visit = morning_visit(cast, day=day)
    with clock(on(day, "08:40")):
        return check_in(cast, visit)


def refuse_on_the_card(client: HttpClient, cast: Cast, line: MedicineLine, day: int) -> None:
    visit = visit_on(cast, day)
    url = reverse(
        "medicines_visit:dose-outcome", kwargs={"team_id": cast.team.id, "visit_id": visit.id}
    )
    with clock(on(day, "08:45")):
        client.force_login(cast.carer)
        answer = client.post(
            url,
            {
                "line": line.id,
                "due_at": int(on(day, "09:00").timestamp()),
                "outcome": "refused",
                "record_id": str(uuid.uuid4()),
            },
        )
    assert answer.status_code == 302, answer.content


def refusal(line: MedicineLine, visit: Visit, day: int) -> dict[str, Any]:
    body = {
        "id": str(uuid.uuid4()),
        "line_id": str(line.id),
        "visit_id": str(visit.id),
        "due_at": on(day, "09:00").isoformat(),
        "outcome": "refused",
    }
    return mutation("dose.record", body, recorded_at=on(day, "08:45"))


def tablet(cast: Cast) -> Api:
    return Api(tokens.token_issue(user=cast.carer, name="Test tablet").token)


def refuse(cast: Cast, line: MedicineLine, day: int, outcome: str = "refused") -> DoseRecord:
    visit = visit_on(cast, day)
    with clock(on(day, "08:45")):
        return record(cast, visit, line, on(day, "09:00"), outcome)


def actions_page(client: HttpClient, cast: Cast) -> str:
    answer = client.get(reverse("teamwork:actions", kwargs={"team_id": cast.team.id}))
    assert answer.status_code == 200
    return answer.content.decode()


def team_today(client: HttpClient, cast: Cast) -> str:
    answer = client.get(reverse("scheduling:team-today", kwargs={"team_id": cast.team.id}))
    assert answer.status_code == 200
    return answer.content.decode()


def action_url(cast: Cast, action: ActionItem, name: str) -> str:
    return reverse(f"teamwork:{name}", kwargs={"team_id": cast.team.id, "action_id": action.id})


def test_three_refusals_on_the_card_store_one_action_for_the_team(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    for day in (0, 1):
        refuse_on_the_card(client, cast, line, day)
    assert not ActionItem.objects.exists()
    refuse_on_the_card(client, cast, line, 2)
    [action] = ActionItem.objects.all()
    assert action.text == TEXT
    assert (action.medicine_line, action.dose_due_at) == (line, on(2, "09:00"))
    assert (action.owner, action.decision, action.created_by) == (None, None, cast.carer)
    assert Change.objects.filter(entity="action_item", entity_id=action.id).count() == 1
    with clock(on(2, "10:00")):
        assert TEXT in actions_page(client, cast)


def test_three_refusals_through_the_api_store_one_action(cast: Cast) -> None:
    line = make_line(cast)
    for day in (0, 1, 2):
        visit = visit_on(cast, day)
        with clock(on(day, "08:45")):
            [result] = push(tablet(cast), cast.team.id, refusal(line, visit, day))
        assert result["status"] == "applied"
    assert list(ActionItem.objects.values_list("text", flat=True)) == [TEXT]


def test_three_refusals_queued_offline_and_synced_in_one_push_store_one_action(
    cast: Cast,
) -> None:
    line = make_line(cast)
    queued = [refusal(line, visit_on(cast, day), day) for day in (0, 1, 2)]
    with clock(on(2, "18:00")):
        results = push(tablet(cast), cast.team.id, *queued)
    assert [r["status"] for r in results] == ["applied"] * 3
    [action] = ActionItem.objects.all()
    assert (action.text, action.dose_due_at) == (TEXT, on(2, "09:00"))


def test_a_refusal_sent_again_from_the_tablets_queue_raises_no_second_action(
    cast: Cast,
) -> None:
    line = make_line(cast)
    third = None
    for day in (0, 1, 2):
        visit = visit_on(cast, day)
        third = refusal(line, visit, day)
        with clock(on(day, "08:45")):
            push(tablet(cast), cast.team.id, third)
    assert third is not None
    with clock(on(2, "12:00")):
        api = tablet(cast)
        [again] = push(api, cast.team.id, third)  # the same mutation: its stored answer
        [resent] = push(api, cast.team.id, {**third, "mutation_id": str(uuid.uuid4())})
    assert again["repeated"] is True
    assert resent["status"] == "applied"  # the same record id: the stored record
    assert DoseRecord.objects.filter(line=line).count() == 3
    assert ActionItem.objects.count() == 1
    assert Change.objects.filter(entity="action_item").count() == 1


def test_a_fourth_refusal_in_the_same_run_raises_no_second_action(cast: Cast) -> None:
    line = make_line(cast)
    for day in (0, 1, 2, 3):
        refuse(cast, line, day)
    assert ActionItem.objects.count() == 1


def test_a_member_takes_the_action_and_marks_it_done_with_who_and_when(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    for day in (0, 1, 2):
        refuse(cast, line, day)
    action = ActionItem.objects.get()
    with clock(on(2, "10:00")):
        client.force_login(cast.nurse)
        taken = client.post(action_url(cast, action, "action-take"), {"version": action.version})
        assert taken.status_code == 302
        action.refresh_from_db()
        assert action.owner == cast.nurse_membership
        my_day = client.get(reverse("scheduling:my-day", kwargs={"team_id": cast.team.id}))
        assert TEXT in my_day.content.decode()
    with clock(on(2, "11:30")):
        done = client.post(action_url(cast, action, "action-done"), {"version": action.version})
        assert done.status_code == 302
        action.refresh_from_db()
        assert (action.done_by, action.done_at) == (cast.nurse, on(2, "11:30"))
        page = actions_page(client, cast)
    assert "No open actions." in page
    assert "done by Siân Ellis, 2" in page


def test_an_action_someone_has_taken_is_not_taken_again(client: HttpClient, cast: Cast) -> None:
    line = make_line(cast)
    for day in (0, 1, 2):
        refuse(cast, line, day)
    action = ActionItem.objects.get()
    client.force_login(cast.nurse)
    client.post(action_url(cast, action, "action-take"), {"version": action.version})
    client.force_login(cast.carer)
    again = client.post(action_url(cast, action, "action-take"), {"version": action.version + 1})
    assert again.status_code == 400
    action.refresh_from_db()
    assert action.owner == cast.nurse_membership


def test_the_action_is_taken_and_done_through_the_api(cast: Cast) -> None:
    line = make_line(cast)
    for day in (0, 1, 2):
        refuse(cast, line, day)
    action = ActionItem.objects.get()
    api = tablet(cast)
    path = f"/teams/{cast.team.id}/actions/{action.id}"
    taken = api.post(f"{path}/take", {"version": action.version})
    assert taken.status_code == 200, taken.content
    assert taken.json()["owner_id"] == str(cast.carer_membership.id)
    mine = api.get(f"/teams/{cast.team.id}/my-actions").json()
    assert [(a["text"], a["medicine_line_id"]) for a in mine] == [(TEXT, str(line.id))]
    done = api.post(f"{path}/done", {"version": taken.json()["version"]})
    assert done.json()["done_by_id"] == str(cast.carer.id)


def test_another_team_gets_404_for_the_action(client: HttpClient, cast: Cast) -> None:
    line = make_line(cast)
    for day in (0, 1, 2):
        refuse(cast, line, day)
    action = ActionItem.objects.get()
    other = HttpClient()
    other.force_login(cast.other_nurse)
    for name in ("action-take", "action-done"):
        assert other.post(action_url(cast, action, name), {"version": 1}).status_code == 404
    api = Api(tokens.token_issue(user=cast.other_nurse, name="Their tablet").token)
    path = f"/teams/{cast.other_team.id}/actions/{action.id}/take"
    assert api.post(path, {"version": 1}).status_code == 404
    action.refresh_from_db()
    assert action.owner is None


def test_coaches_and_family_see_nothing_of_the_action(client: HttpClient, cast: Cast) -> None:
    line = make_line(cast)
    for day in (0, 1, 2):
        refuse(cast, line, day)
    for user in (cast.coach, cast.family):
        client.force_login(user)
        answer = client.get(reverse("teamwork:actions", kwargs={"team_id": cast.team.id}))
        assert answer.status_code == 404
        feed = Api(tokens.token_issue(user=user, name="Phone").token).get(
            f"/sync/{cast.team.id}/changes", after=0
        )
        assert "Tell the GP" not in feed.content.decode()


def test_team_today_shows_the_action_until_it_is_done(client: HttpClient, cast: Cast) -> None:
    line = make_line(cast)
    for day in (0, 1, 2):
        refuse(cast, line, day)
    action = ActionItem.objects.get()
    with clock(on(2, "10:00")):
        client.force_login(cast.nurse)
        html = team_today(client, cast)
        assert 'id="tell-the-gp"' in html
        assert TEXT in html
        assert "Take it" in html
        assert 'data-live-entities="' in html
        assert "action_item" in html
        client.post(action_url(cast, action, "action-done"), {"version": action.version})
        assert 'id="tell-the-gp"' not in team_today(client, cast)


def test_a_correction_that_undoes_a_refusal_withdraws_the_action_and_says_why(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    first = refuse(cast, line, 0)
    for day in (1, 2):
        refuse(cast, line, day)
    with clock(on(2, "12:00")):
        fixed = dose_correct(
            user=cast.nurse,
            record=first,
            outcome="given",
            correction_reason="Given after all: recorded on the wrong line",
        )
    action = ActionItem.objects.get()
    assert action.withdrawn_at == on(2, "12:00")
    assert "Siân Ellis recorded the dose of" in action.withdrawn_reason
    assert "no longer three in a row" in action.withdrawn_reason
    with clock(on(2, "12:05")):
        client.force_login(cast.nurse)
        page = actions_page(client, cast)
        assert "No open actions." in page
        assert "Withdrawn: Siân Ellis recorded the dose of" in page
        assert 'id="tell-the-gp"' not in team_today(client, cast)
        done = client.post(action_url(cast, action, "action-done"), {"version": action.version})
        assert done.status_code == 400
    with clock(on(2, "12:30")):
        dose_correct(
            user=cast.nurse, record=fixed, outcome="refused", correction_reason="It was refused"
        )
    action.refresh_from_db()
    assert action.is_open
    assert ActionItem.objects.count() == 1


def test_a_run_broken_by_a_dose_given_raises_nothing(cast: Cast) -> None:
    line = make_line(cast)
    refuse(cast, line, 0)
    refuse(cast, line, 1)
    refuse(cast, line, 2, outcome="given")
    refuse(cast, line, 3)
    assert not ActionItem.objects.exists()


def test_a_refused_dose_whose_action_fails_to_save_is_not_recorded_either(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The action is written in the record's transaction: one without the other never stays."""
    line = make_line(cast)
    refuse(cast, line, 0)
    refuse(cast, line, 1)

    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(ActionItem.objects, "create", broken)
    with pytest.raises(RuntimeError):
        refuse(cast, line, 2)
    assert DoseRecord.objects.filter(line=line).count() == 2


def test_a_change_of_the_line_after_the_refusals_is_the_prescribers_answer(cast: Cast) -> None:
    line = make_line(cast)
    refuse(cast, line, 0)
    refuse(cast, line, 1)
    MedicineLine.objects.filter(pk=line.pk).update(changed_at=on(1, "12:00"))
    refuse(cast, line, 2)  # three in a row, but the first since the change
    refuse(cast, line, 3)
    assert not ActionItem.objects.exists()
    refuse(cast, line, 4)
    assert ActionItem.objects.get().dose_due_at == on(4, "09:00")


def test_an_open_action_older_than_the_records_read_is_not_withdrawn_by_a_new_dose(
    cast: Cast,
) -> None:
    line = make_line(cast)
    for day in (0, 1, 2):
        refuse(cast, line, day)
    action = ActionItem.objects.get()
    # Still open five weeks later, when the refusals are past the 30 days the rule reads.
    visit = morning_visit(cast, day=35)
    with clock(on(35, "08:40")):
        check_in(cast, visit)
    with clock(on(35, "08:45")):
        record(cast, visit, line, on(35, "09:00"), "given")
    action.refresh_from_db()
    assert action.is_open
