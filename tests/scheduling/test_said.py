"""The rules' and the planner's sentences said in the reader's language (issue 30): each keeps
its template and values, through a plan run's JSON too, and the week board loads the words of its
grid script from its own JavaScript catalogue."""

import datetime as dt
import json
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from scheduling.rules import plan as rules_plan
from scheduling.rules.planning import unassigned_visits
from scheduling.rules.words import (
    as_data,
    from_data,
    gettext_noop,
    label,
    ngettext,
    said,
    when,
)
from scheduling.words import names_joined, run_words, say
from tests.conftest import Cast

ZONE = ZoneInfo("Europe/London")


def open_visit() -> rules_plan.Plan:
    start = dt.datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)
    visit = rules_plan.Visit(
        uuid.uuid4(), uuid.uuid4(), "Mrs Jones", start, start + dt.timedelta(minutes=30)
    )
    return rules_plan.Plan(
        zone=ZONE,
        week_start=dt.datetime(2026, 12, 7, tzinfo=ZONE),
        week_end=dt.datetime(2026, 12, 14, tzinfo=ZONE),
        members={},
        visits=(visit,),
    )


def test_a_problem_reads_in_english_and_keeps_its_template_and_values() -> None:
    message = unassigned_visits(open_visit())[0].message
    assert message == "Mrs Jones (Mon 7 Dec 09:00–09:30) has no carer."
    assert message.template == "%(visit)s has no carer."  # type: ignore[attr-defined]
    assert say(message) == message


def test_a_sentence_comes_back_from_json_whole() -> None:
    message = unassigned_visits(open_visit())[0].message
    back = from_data(json.loads(json.dumps(as_data(message))))
    assert back == message
    assert say(back) == message


def test_the_days_in_a_sentence_are_said_with_the_readers_day_and_month_names() -> None:
    message = unassigned_visits(open_visit())[0].message
    with translation.override("cy"):
        said_in_welsh = say(message)
    assert "Llu 7 Rhag 09:00–09:30" in said_in_welsh
    assert "Mon" not in said_in_welsh


def test_a_counted_sentence_takes_the_form_for_its_number() -> None:
    forms = ngettext("%(name)s saw it once", "%(name)s saw it %(n)s times", 3)
    sentence = said(forms, name="Aoife")
    assert sentence == "Aoife saw it 3 times"
    assert say(from_data(as_data(sentence))) == "Aoife saw it 3 times"


def test_a_stored_plain_reason_is_said_as_it_was_written() -> None:
    assert say(from_data("Aoife: first visit of the day")) == "Aoife: first visit of the day"


def test_a_day_alone_keeps_its_django_format() -> None:
    day = when(dt.date(2026, 12, 7), "%a %d %b", "D d M")
    sentence = said(gettext_noop("nobody on shift %(slot)s"), slot=day)
    assert sentence == "nobody on shift Mon 07 Dec"
    with translation.override("cy"):
        assert say(sentence).endswith("Llu 07 Rhag")


def test_a_plan_runs_progress_is_recognised_and_anything_else_kept() -> None:
    assert run_words("placed 3 of 10 open visits") == "placed 3 of 10 open visits"
    assert run_words("Reading the week") == "Reading the week"
    assert run_words("something new") == "something new"


@pytest.mark.django_db
def test_the_week_board_loads_its_scripts_words_from_its_own_catalogue_with_the_nonce(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    client.force_login(cast.nurse)
    url = reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": monday.isoformat()})
    page = client.get(url).content.decode()
    catalogue = reverse("scheduling:jsi18n")
    tag = re.search(rf'<script src="{re.escape(catalogue)}" nonce="([^"]+)"></script>', page)
    assert tag is not None
    assert tag.group(1)
    assert page.index(catalogue) < page.index("scheduling/grid.js")
    answer = client.get(catalogue)
    assert answer.status_code == 200
    assert "javascript" in answer["Content-Type"]


def test_a_label_inside_a_sentence_stays_in_lower_case_and_is_translated_as_the_label() -> None:
    kind = label("Annual leave")
    assert kind == "annual leave"
    assert say(from_data(as_data(kind))) == "annual leave"


def test_names_are_joined_by_and_and_in_welsh_by_ac_before_a_vowel() -> None:
    assert names_joined(["Siân", "Aoife"]) == "Siân and Aoife"
    assert names_joined(["Siân"]) == "Siân"
    assert names_joined([]) == ""
    with translation.override("cy"):
        assert names_joined(["Siân", "Aoife"]) == "Siân ac Aoife"
        assert names_joined(["Aoife", "Siân", "Elin"]) == "Aoife a Siân ac Elin"
