"""A client's preferred language in the plan (issue 30): the planner prefers a carer who speaks
it, the board warns when a carer does not, the figures count the visits met."""

import datetime as dt
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import Membership
from careteams.skills import Skill
from clients.models import Client
from scheduling import rules
from scheduling.models import Shift, Visit
from scheduling.rules.plan import LANGUAGE_SKILLS
from scheduling.services import planning
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def quick_planner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "PLAN_SECONDS", 2.0)


def speaks_welsh(member: Membership) -> None:
    member.skills = [*member.skills, Skill.WELSH]
    member.save(update_fields=["skills"])


def prefers(client: Client, language: str, *, needed: bool = False) -> None:
    client.language, client.language_needed = language, needed
    client.save(update_fields=["language", "language_needed"])


def suggest(cast: Cast, monday: dt.date, visit: Visit) -> dict[str, object]:
    run = planning.plan_run_start(
        team=cast.team, monday=monday, day=None, actor=cast.nurse, background=False
    )
    [proposal] = [p for p in run.proposals if p["visit_id"] == str(visit.id)]
    return dict(proposal)


def test_speaking_welsh_is_set_on_the_members_page_like_any_skill(
    client: HttpClient, cast: Cast
) -> None:
    member = cast.carer_membership
    url = reverse(
        "teamwork:member-edit", kwargs={"team_id": cast.team.id, "membership_id": member.id}
    )
    client.force_login(cast.nurse)
    assert "Speaks Welsh (Cymraeg)" in client.get(url).content.decode()
    form = {"skills": ["welsh"], "contracted_hours": "30", "version": member.version}
    assert client.post(url, form).status_code == 302
    member.refresh_from_db()
    assert member.skills == ["welsh"]


def test_the_rules_and_the_skills_name_the_same_welsh() -> None:
    assert {"cy": Skill.WELSH.value} == LANGUAGE_SKILLS


@pytest.mark.parametrize("needed", [False, True])
@pytest.mark.parametrize("speaker", ["nurse_membership", "carer_membership"])
def test_the_planner_prefers_a_welsh_speaking_carer_for_a_welsh_preferring_client_and_says_why(
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
    speaker: str,
    needed: bool,
) -> None:
    member = getattr(cast, speaker)
    speaks_welsh(member)
    mary = cast.other_client_same_team
    prefers(mary, "cy", needed=needed)
    make_shift(cast.nurse_membership, 0)
    make_shift(cast.carer_membership, 0)
    proposal = suggest(cast, monday, make_visit(client=mary, day=0))
    assert proposal["member_ids"] == [str(member.id)]
    wish = "needs" if needed else "prefers"
    said = f"{member.user.get_full_name()} speaks Welsh, as Mary O'Neill {wish}"
    assert said in proposal["reasons"]  # type: ignore[operator]


def test_the_planner_says_nothing_of_welsh_when_the_client_prefers_english(
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
) -> None:
    speaks_welsh(cast.carer_membership)
    speaks_welsh(cast.nurse_membership)
    prefers(cast.other_client_same_team, "en")
    make_shift(cast.nurse_membership, 0)
    make_shift(cast.carer_membership, 0)
    proposal = suggest(cast, monday, make_visit(client=cast.other_client_same_team, day=0))
    assert proposal["member_ids"]
    assert not [r for r in proposal["reasons"] if "Welsh" in r]  # type: ignore[attr-defined]


def week(visit_language: str, *, needed: bool, carer_skills: frozenset[str]) -> rules.Plan:
    carer = rules.Member(uuid.uuid4(), "Aled Jones", carer_skills)
    start = dt.datetime(2026, 3, 2, 9, tzinfo=LONDON)
    visit = rules.Visit(
        uuid.uuid4(),
        uuid.uuid4(),
        "Mrs Jones",
        start,
        start + dt.timedelta(minutes=30),
        carer_ids=(carer.id,),
        language=visit_language,
        language_needed=needed,
    )
    return rules.Plan(
        zone=LONDON,
        week_start=dt.datetime(2026, 3, 2, tzinfo=LONDON),
        week_end=dt.datetime(2026, 3, 9, tzinfo=LONDON),
        members={carer.id: carer},
        visits=[visit],
    )


def test_the_board_warns_when_a_welsh_preferring_client_gets_a_carer_who_does_not_speak_it() -> (
    None
):
    [warning] = rules.language_unmet(week("cy", needed=False, carer_skills=frozenset()))
    assert warning.level is rules.Level.PLANNING
    assert "Mrs Jones" in warning.message
    assert "prefers Welsh, and Aled Jones does not speak it" in warning.message


def test_the_board_warns_more_strongly_but_still_not_as_an_error_when_the_client_needs_it() -> None:
    found = rules.check(week("cy", needed=True, carer_skills=frozenset()))
    [warning] = [p for p in found if p.code == "language"]
    assert warning.level is rules.Level.PLANNING
    assert "needs care in Welsh" in warning.message
    assert "find a Welsh speaker" in warning.message


@pytest.mark.parametrize(
    ("language", "skills"), [("cy", frozenset({"welsh"})), ("en", frozenset()), ("", frozenset())]
)
def test_the_board_does_not_warn_when_the_carer_speaks_it_or_no_welsh_is_asked(
    language: str, skills: frozenset[str]
) -> None:
    assert rules.language_unmet(week(language, needed=True, carer_skills=skills)) == []


def test_the_week_board_page_shows_the_language_warning(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    prefers(cast.other_client_same_team, "cy")
    make_visit(client=cast.other_client_same_team).assignments.create(member=cast.carer_membership)
    client.force_login(cast.nurse)
    url = reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": monday})
    page = client.get(url + "?view=list").content.decode()
    assert "prefers Welsh, and Aoife Ní Bhriain does not speak it" in page


def test_the_figures_show_the_share_of_welsh_preferring_visits_with_a_welsh_speaker_coaches_too(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    speaks_welsh(cast.nurse_membership)
    prefers(cast.other_client_same_team, "cy", needed=True)
    for start, member in (("09:00", cast.nurse_membership), ("12:00", cast.carer_membership)):
        visit = make_visit(client=cast.other_client_same_team, start=start, end="12:30")
        visit.assignments.create(member=member)
    make_visit().assignments.create(member=cast.carer_membership)  # Dafydd: no language
    make_visit(client=cast.other_client_same_team, start="18:00", end="18:30")  # no carer yet
    url = reverse("scheduling:figures", kwargs={"team_id": cast.team.id}) + f"?week={monday}"
    for who in (cast.nurse, cast.coach):
        client.force_login(who)
        page = client.get(url).content.decode()
        assert '<strong class="figures-language">1 of 2</strong> (50%)' in page
    assert "O&#x27;Neill" not in page  # the coach: numbers only


def test_the_visit_card_shows_the_language_they_need_by_the_name(
    client: HttpClient, cast: Cast, make_visit: Callable[..., Visit]
) -> None:
    prefers(cast.client, "cy", needed=True)
    visit = make_visit()
    visit.assignments.create(member=cast.carer_membership)
    client.force_login(cast.carer)
    url = reverse("scheduling:visit-card", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    page = client.get(url).content.decode()
    assert "<strong>Needs care in Cymraeg (Welsh)</strong>" in page
