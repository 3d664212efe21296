"""Doses on the visit card (issue 25): due doses are tasks above the others, nothing before
check-in, one outcome each (htmx answers with the medicines part alone), check-out refused while
one has no outcome, PRN doses refused too soon with the time they are allowed and followed up,
allergies on the doorstep, a changed line marked since the carer's last visit."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.errors import DomainError
from clients.models import Allergy
from medicines.models import DoseRecord
from medicines.visit_doses import dose_key
from scheduling.models import Visit
from tests.conftest import Cast
from tests.medicines.visit_fixtures import (
    check_in,
    check_out,
    clock,
    long_sessions,
    make_line,
    make_prn,
    morning_visit,
    record,
)
from tests.scheduling.conftest import on

pytestmark = [pytest.mark.clock_sensitive, pytest.mark.usefixtures(long_sessions.__name__)]


def card(client: HttpClient, cast: Cast, visit: Visit) -> str:
    url = reverse("scheduling:visit-card", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


def doses_url(cast: Cast, visit: Visit, name: str) -> str:
    return reverse(
        f"medicines_visit:{name}", kwargs={"team_id": cast.team.id, "visit_id": visit.id}
    )


def post_outcome(client: HttpClient, cast: Cast, visit: Visit, **data: Any) -> Any:
    return client.post(doses_url(cast, visit, "dose-outcome"), data, **data.pop("headers", {}))


def test_a_dose_due_in_the_visit_is_a_task_above_the_visits_own(
    client: HttpClient, cast: Cast
) -> None:
    make_line(cast)
    make_line(cast, name="Evening statin", times=["20:00"])
    visit = morning_visit(cast)
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        html = card(client, cast, visit)
    assert html.index("Amlodipine") < html.index("Bins out")
    assert "Evening statin" not in html
    assert "Check in to record the medicines" in html


def test_nothing_is_recorded_before_the_carer_has_checked_in(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        assert 'name="outcome" value="given"' not in card(client, cast, visit)
        answer = client.post(
            doses_url(cast, visit, "dose-outcome"),
            {
                "line": line.id,
                "due_at": int(on(0, "09:00").timestamp()),
                "outcome": "given",
                "record_id": "7b7c8a1e-2a4f-4a33-9d43-6a2b3c4d5e6f",
            },
        )
    assert answer.status_code == 403
    assert "Check in to the visit before recording a dose." in answer.content.decode()
    assert not DoseRecord.objects.exists()


def test_a_dose_recorded_with_htmx_answers_with_the_medicines_part_alone(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        check_in(cast, visit)
        answer = client.post(
            doses_url(cast, visit, "dose-outcome"),
            {
                "line": line.id,
                "due_at": int(on(0, "09:00").timestamp()),
                "outcome": "given",
                "record_id": "7b7c8a1e-2a4f-4a33-9d43-6a2b3c4d5e6f",
            },
            headers={"HX-Request": "true"},
        )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert html.lstrip().startswith('<div id="visit-doses"')
    assert "Bins out" not in html
    assert "Given" in html
    assert DoseRecord.objects.get().recorded_by == cast.carer


def test_without_javascript_a_recorded_dose_goes_back_to_the_card_at_the_dose(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    visit = morning_visit(cast)
    due = on(0, "09:00")
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        check_in(cast, visit)
        answer = client.post(
            doses_url(cast, visit, "dose-outcome"),
            {
                "line": line.id,
                "due_at": int(due.timestamp()),
                "outcome": "not_given",
                "reason": "asleep",
                "note": "Fast asleep, will try at lunch",
                "record_id": "7b7c8a1e-2a4f-4a33-9d43-6a2b3c4d5e6f",
            },
        )
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"#{dose_key(line.id, due)}")
    assert DoseRecord.objects.get().reason == "asleep"


def test_not_given_without_a_reason_is_refused_beside_the_dose(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        check_in(cast, visit)
        answer = client.post(
            doses_url(cast, visit, "dose-outcome"),
            {
                "line": line.id,
                "due_at": int(on(0, "09:00").timestamp()),
                "outcome": "not_given",
                "record_id": "7b7c8a1e-2a4f-4a33-9d43-6a2b3c4d5e6f",
            },
            headers={"HX-Request": "true"},
        )
    assert answer.status_code == 400
    assert "Choose why it was not given." in answer.content.decode()
    assert not DoseRecord.objects.exists()


def test_check_out_is_refused_while_a_due_dose_has_no_outcome(cast: Cast) -> None:
    line = make_line(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:40")):
        check_in(cast, visit)
    with clock(on(0, "09:05")), pytest.raises(DomainError, match="09:00 Amlodipine 5 mg"):
        check_out(cast, visit)
    visit.refresh_from_db()
    assert visit.status == "in_progress"
    with clock(on(0, "09:06")):
        record(cast, visit, line, on(0, "09:00"), "not_given", reason="unwell")
        assert check_out(cast, visit).status == "done"


def test_the_check_out_page_lists_the_doses_without_an_outcome(
    client: HttpClient, cast: Cast
) -> None:
    make_line(cast)
    visit = morning_visit(cast)
    url = reverse(
        "scheduling:visit-check-out", kwargs={"team_id": cast.team.id, "visit_id": visit.id}
    )
    with clock(on(0, "09:05")):
        client.force_login(cast.carer)
        check_in(cast, visit)
        visit.refresh_from_db()
        assert "1 dose with no outcome" in client.get(url).content.decode()
        refused = client.post(url, {"version": visit.version})
    assert refused.status_code == 400
    assert "Record what happened to every dose" in refused.content.decode()


def test_a_second_prn_dose_inside_the_interval_is_refused_with_the_time_it_is_allowed(
    client: HttpClient, cast: Cast
) -> None:
    line = make_prn(cast)
    visit = morning_visit(cast)
    url = doses_url(cast, visit, "prn-give")
    data = {"line": line.id, "amount": "2", "prn_reason": "Hip pain on standing"}
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        check_in(cast, visit)
        first = client.post(url, {**data, "record_id": "11111111-2a4f-4a33-9d43-6a2b3c4d5e6f"})
        assert first.status_code == 302
    with clock(on(0, "08:55")):
        html = card(client, cast, visit)
        assert "Not before Mon 25 Nov 12:40" in html
        again = client.post(
            url,
            {**data, "record_id": "22222222-2a4f-4a33-9d43-6a2b3c4d5e6f"},
            headers={"HX-Request": "true"},
        )
    assert again.status_code == 422
    assert "allowed from" in again.content.decode()
    assert DoseRecord.objects.count() == 1


def test_a_prn_dose_is_asked_later_whether_it_worked(client: HttpClient, cast: Cast) -> None:
    line = make_prn(cast)
    visit = morning_visit(cast)
    later = morning_visit(cast, day=0)
    later.planned_start, later.planned_end = on(0, "12:30"), on(0, "13:00")
    later.window_start, later.window_end = on(0, "12:15"), on(0, "12:45")
    later.save()
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        check_in(cast, visit)
        dose = record(cast, visit, line, None, "given", amount=Decimal(1), prn_reason="Hip pain")
    with clock(on(0, "12:31")):
        check_in(cast, later)
        assert "Did the Paracetamol work?" in card(client, cast, later)
        answer = client.post(
            doses_url(cast, later, "prn-worked"),
            {"dose": dose.id, "effective": "yes", "note": "Walking easier"},
        )
        assert answer.status_code == 302
        assert "Did the Paracetamol work?" not in card(client, cast, later)
    assert dose.follow_ups.get().effective is True


def test_the_clients_allergies_show_on_the_doorstep(client: HttpClient, cast: Cast) -> None:
    Allergy.objects.create(
        client=cast.client,
        substance="Penicillin",
        reaction="Hives",
        severity="severe",
        recorded_by=cast.nurse,
    )
    visit = morning_visit(cast)
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        html = card(client, cast, visit)
    assert html.index("Penicillin") < html.index('id="tasks"')
    assert "Hives" in html


def test_a_line_changed_since_the_carers_last_visit_is_marked_until_they_have_been(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    sunday = morning_visit(cast, day=-1)
    with clock(on(-1, "08:40")):
        client.force_login(cast.carer)
        check_in(cast, sunday)
        record(cast, sunday, line, on(-1, "09:00"), "given")
    with clock(on(-1, "08:55")):
        check_out(cast, sunday)
    line.changed_at = on(-1, "15:00")
    line.change_note = "Dose now at 09:00 only"
    line.save()
    monday = morning_visit(cast)
    tuesday = morning_visit(cast, day=1)
    with clock(on(0, "08:40")):
        html = card(client, cast, monday)
        assert "Changed since your last visit" in html
        assert "What changed: Dose now at 09:00 only" in html
        check_in(cast, monday)
        record(cast, monday, line, on(0, "09:00"), "given")
    with clock(on(0, "08:55")):
        check_out(cast, monday)
    with clock(on(1, "08:40")):
        assert "Changed since your last visit" not in card(client, cast, tuesday)


def test_another_teams_member_gets_404_from_the_visits_medicines(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:40")):
        client.force_login(cast.other_nurse)
        assert client.get(doses_url(cast, visit, "doses")).status_code == 404
        for name in ("dose-outcome", "prn-give", "prn-worked"):
            answer = client.post(doses_url(cast, visit, name), {"line": line.id})
            assert answer.status_code == 404, name


def test_the_card_keeps_its_query_count_with_more_doses(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Any
) -> None:
    make_line(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        check_in(cast, visit)
        with django_assert_max_num_queries(60) as few:
            card(client, cast, visit)
        for number in range(5):
            make_line(cast, name=f"Medicine {number}", times=["08:45", "09:00"])
        with django_assert_max_num_queries(len(few.captured_queries)):
            html = card(client, cast, visit)
    assert "Medicine 4" in html


def test_a_dose_recorded_by_mistake_is_corrected_and_both_records_stay(
    client: HttpClient, cast: Cast
) -> None:
    line = make_line(cast)
    visit = morning_visit(cast)
    with clock(on(0, "08:40")):
        client.force_login(cast.carer)
        check_in(cast, visit)
        first = record(cast, visit, line, on(0, "09:00"), "given")
        answer = client.post(
            doses_url(cast, visit, "dose-correct"),
            {
                "record": first.id,
                "record_id": "33333333-2a4f-4a33-9d43-6a2b3c4d5e6f",
                "outcome": "refused",
                "correction_reason": "Pressed the wrong button: she spat it out",
            },
            headers={"HX-Request": "true"},
        )
    assert answer.status_code == 200
    assert "Refused" in answer.content.decode()
    assert "(a correction)" in answer.content.decode()
    assert DoseRecord.objects.filter(line=line).count() == 2
    assert DoseRecord.objects.get(supersedes=first).outcome == "refused"
