"""The rota's hooks (scheduling/hooks.py): apps above the rota refuse a check-out, add parts to
the visit card, to My day and Team today, and lines to the figures, without scheduling
importing them."""

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from careteams.errors import DomainError
from scheduling import hooks
from scheduling.models import Visit, VisitAssignment
from scheduling.selectors.doorstep import DoorstepCard
from scheduling.services import visits
from tests.conftest import Cast

# The visits are "now": they must hold at any hour (tests/clocks.py).
pytestmark = pytest.mark.clock_sensitive


@pytest.fixture
def fresh_hooks(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> None:
    """Each test registers into empty registries (the installed apps' own stay untouched), and
    a probe template shows what a section was given."""
    for name in ("_guards", "_card", "_day", "_figures"):
        monkeypatch.setattr(hooks, name, [])
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "_hook_probe.html").write_text("<p>{{ section.context.word }}</p>")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates


@pytest.fixture
def visit_now(cast: Cast) -> Visit:
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    made = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
    )
    VisitAssignment.objects.create(visit=made, member=cast.carer_membership)
    return made


def check_in(cast: Cast, visit: Visit) -> Visit:
    visit.refresh_from_db()
    return visits.visit_check_in(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.carer
    )


def check_out(cast: Cast, visit: Visit) -> Visit:
    visit.refresh_from_db()
    return visits.visit_check_out(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.carer
    )


@pytest.mark.usefixtures("fresh_hooks")
def test_a_registered_guard_refuses_a_check_out_and_nothing_changes(
    cast: Cast, visit_now: Visit
) -> None:
    seen: list[hooks.CheckOutAttempt] = []

    def guard(attempt: hooks.CheckOutAttempt) -> None:
        seen.append(attempt)
        raise DomainError("Record the 08:00 dose first.", field="doses")

    hooks.register_check_out_guard(guard)
    hooks.register_check_out_guard(guard)  # twice is once
    check_in(cast, visit_now)
    with pytest.raises(DomainError, match="08:00 dose"):
        check_out(cast, visit_now)
    assert len(seen) == 1
    assert seen[0].member == cast.carer_membership
    assert seen[0].visit.id == visit_now.id
    visit_now.refresh_from_db()
    assert visit_now.status == "in_progress"
    assert visit_now.checked_out_at is None


@pytest.mark.usefixtures("fresh_hooks")
def test_a_guard_that_lets_it_go_leaves_the_check_out_as_it_was(
    cast: Cast, visit_now: Visit
) -> None:
    hooks.register_check_out_guard(lambda attempt: None)
    check_in(cast, visit_now)
    assert check_out(cast, visit_now).status == "done"


@pytest.mark.usefixtures("fresh_hooks")
def test_the_check_out_page_shows_the_guards_refusal_beside_the_visit(
    client: HttpClient, cast: Cast, visit_now: Visit
) -> None:
    def guard(attempt: hooks.CheckOutAttempt) -> None:
        raise DomainError("Record the 08:00 dose first.", field="doses")

    hooks.register_check_out_guard(guard)
    check_in(cast, visit_now)
    visit_now.refresh_from_db()
    client.force_login(cast.carer)
    url = reverse(
        "scheduling:visit-check-out", kwargs={"team_id": cast.team.id, "visit_id": visit_now.id}
    )
    answer = client.post(url, {"version": visit_now.version})
    assert answer.status_code == 400
    assert "Record the 08:00 dose first." in answer.content.decode()


@pytest.mark.usefixtures("fresh_hooks")
def test_card_sections_are_placed_where_they_ask(
    client: HttpClient, cast: Cast, visit_now: Visit
) -> None:
    def sections(user: object, card: DoorstepCard) -> list[hooks.CardSection]:
        return [
            hooks.CardSection("doorstep", "probe/_hook_probe.html", {"word": "AT-DOOR"}),
            hooks.CardSection("tasks", "probe/_hook_probe.html", {"word": "IN-TASKS"}),
            hooks.CardSection("check_out", "probe/_hook_probe.html", {"word": "LEAVING"}),
        ]

    hooks.register_card_sections(sections)
    client.force_login(cast.carer)
    kwargs = {"team_id": cast.team.id, "visit_id": visit_now.id}
    card = client.get(reverse("scheduling:visit-card", kwargs=kwargs)).content.decode()
    assert card.index("AT-DOOR") < card.index('id="tasks"') < card.index("IN-TASKS")
    assert "LEAVING" not in card
    leaving = client.get(reverse("scheduling:visit-check-out", kwargs=kwargs)).content.decode()
    assert "LEAVING" in leaving
    assert "AT-DOOR" not in leaving


@pytest.mark.usefixtures("fresh_hooks")
@pytest.mark.parametrize("page", ["my-day", "team-today"])
def test_day_sections_show_inside_the_live_fragment_with_their_kinds_and_their_moment(
    client: HttpClient, cast: Cast, visit_now: Visit, page: str
) -> None:
    asked: list[hooks.DayAsk] = []

    def sections(ask: hooks.DayAsk) -> list[hooks.DaySection]:
        asked.append(ask)
        return [
            hooks.DaySection(
                "probe/_hook_probe.html",
                {"word": "DAY-PART"},
                entities=("dose_record",),
                refresh_at=ask.now + dt.timedelta(seconds=90),
            )
        ]

    hooks.register_day_sections(sections)
    client.force_login(cast.carer)
    html = client.get(
        reverse(f"scheduling:{page}", kwargs={"team_id": cast.team.id})
    ).content.decode()
    assert "DAY-PART" in html
    assert "dose_record" in html
    assert "load delay:91s" in html or "load delay:90s" in html
    assert [v.id for v in asked[0].visits] == [visit_now.id]
    assert (asked[0].member is not None) == (page == "my-day")


@pytest.mark.usefixtures("fresh_hooks")
def test_week_figures_add_their_lines_to_the_team_figures(client: HttpClient, cast: Cast) -> None:
    hooks.register_week_figures(
        lambda team, start, end, now: [hooks.WeekFigure("Doses missed", 3, "2 time-critical")]
    )
    client.force_login(cast.nurse)
    html = client.get(
        reverse("scheduling:figures", kwargs={"team_id": cast.team.id})
    ).content.decode()
    assert "Doses missed: <strong>3</strong> (2 time-critical)" in html
