"""The map of the day: asked for, not sent with the board; each member's stops in order and the
open visits listed as plain text (all planning needs), the same routes as data for the map; the
tiles' host, from the setting, is the only one the page's CSP adds."""

import datetime as dt
import html
import json
import re
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from careteams.models import Team
from config.settings import tile_origin
from scheduling.models import Shift, Visit, VisitAssignment
from tests.conftest import Cast
from tests.scheduling.conftest import big_team

pytestmark = pytest.mark.django_db


def board(team: Team, monday: dt.date, rest: str) -> str:
    url = reverse("scheduling:week", kwargs={"team_id": team.id, "week": monday.isoformat()})
    return url + rest


@pytest.fixture
def routes(
    cast: Cast, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> tuple[Visit, Visit, Visit]:
    """Monday: the carer visits Mary at 10:00 then Dafydd at 11:00; Dafydd at 12:00 is open;
    Mary has no location held."""
    cast.client.latitude, cast.client.longitude = 51.48, -3.18
    cast.client.postcode = "CF10 1AA"
    cast.client.save()
    make_shift(cast.carer_membership, 0)
    second = make_visit(cast.client, 0, "11:00", "11:30")
    first = make_visit(cast.other_client_same_team, 0, "10:00", "10:30")
    open_one = make_visit(cast.client, 0, "12:00", "12:30")
    for visit in (first, second):
        VisitAssignment.objects.create(team=cast.team, visit=visit, member=cast.carer_membership)
    return first, second, open_one


def test_the_board_sends_only_a_link_to_the_map(
    client: HttpClient, cast: Cast, monday: dt.date, routes: tuple[Visit, ...]
) -> None:
    client.force_login(cast.nurse)
    page = client.get(board(cast.team, monday, "?view=grid")).content.decode()
    assert 'id="day-map"' in page
    assert "part=map&amp;day=2030-11-25&amp;view=grid" in page
    assert 'id="day-map-canvas"' not in page
    assert "data-routes" not in page


def test_each_members_stops_are_listed_in_order_with_the_open_visits_and_drawn_where_located(
    client: HttpClient, cast: Cast, monday: dt.date, routes: tuple[Visit, ...]
) -> None:
    client.force_login(cast.nurse)
    page = client.get(
        board(cast.team, monday, "?part=map&day=2030-11-25&view=grid"), headers={"HX-Request": "1"}
    ).content.decode()
    assert page.lstrip().startswith('<section id="day-map"')
    carer = page[page.index("Aoife Ní Bhriain") :]
    lines = re.findall(r"<li>(.*?)</li>", carer)
    assert lines[0].startswith("10:00–10:30 Mary O&#x27;Neill")
    assert "no location held" in lines[0]
    assert lines[1] == "11:00–11:30 Dafydd Llŷr, CF10 1AA"
    assert lines[2] == "12:00–12:30 Dafydd Llŷr, CF10 1AA"  # the open visits' list
    found = re.search(r'data-routes="([^"]*)"', page)
    assert found is not None
    data = json.loads(html.unescape(found.group(1)))
    assert data == {
        "routes": [
            {"name": "Aoife Ní Bhriain", "stops": [[51.48, -3.18, "11:00–11:30 Dafydd Llŷr"]]}
        ],
        "open": [[51.48, -3.18, "12:00–12:30 Dafydd Llŷr"]],
    }
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page


def test_without_javascript_the_board_comes_back_with_the_stops_listed(
    client: HttpClient, cast: Cast, monday: dt.date, routes: tuple[Visit, ...]
) -> None:
    client.force_login(cast.nurse)
    page = client.get(board(cast.team, monday, "?day=2030-11-25&view=grid&map=1")).content.decode()
    assert "11:00–11:30 Dafydd Llŷr, CF10 1AA" in page
    assert "The map needs JavaScript" in page


@override_settings(MAP_TILE_URL="")
def test_with_no_tile_url_the_stops_are_listed_and_no_map_is_drawn(
    client: HttpClient, cast: Cast, monday: dt.date, routes: tuple[Visit, ...]
) -> None:
    client.force_login(cast.nurse)
    page = client.get(board(cast.team, monday, "?part=map&day=2030-11-25&view=grid")).content
    assert b"11:00\xe2\x80\x9311:30 Dafydd" in page
    assert b"day-map-canvas" not in page


def test_the_pages_csp_allows_images_from_the_tile_host_only() -> None:
    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    assert tile_origin("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == (
        "https://*.tiles.example.org"
    )
    assert tile_origin("") == ""
    assert tile_origin("javascript:alert(1)") == ""


def test_the_csp_header_names_the_tile_host_in_img_src(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    client.force_login(cast.nurse)
    header = client.get(board(cast.team, monday, "")).headers["Content-Security-Policy"]
    img = next(part for part in header.split(";") if part.strip().startswith("img-src"))
    assert img.split()[1:] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert "tile.openstreetmap.org" not in header.replace(img, "")


def test_the_map_of_a_big_teams_day_takes_a_fixed_number_of_queries(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    big_team(cast.team, members=12, visits=400)
    client.force_login(cast.nurse)
    url = board(cast.team, monday, "?part=map&day=2030-11-27&view=grid")
    with django_assert_max_num_queries(21):  # type: ignore[attr-defined]
        assert client.get(url).status_code == 200
