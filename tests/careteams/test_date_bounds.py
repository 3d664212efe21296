"""One range of dates for every door (careteams/dates.py): dated URLs, query strings and page
forms refuse the years 1 and 9999 with a 4xx, never a 500, and store nothing."""

import base64
import datetime as dt
import importlib
import pkgutil
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts import tokens
from careteams import dates
from clients.models import CareProblem, Client
from scheduling.models import Absence, PlanRun, RotaWeek, Shift, Visit, VisitPattern
from teamwork.models import Meeting, RoleTerm
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

# Mondays at both ends of what a datetime can hold: the week before and after overflows.
OUT_OF_RANGE_MONDAYS = ["0001-01-01", "9999-12-27"]
OUT_OF_RANGE_DAYS = ["0001-01-01", "9999-12-31"]
# URL parameters that name a day or a week.
DATED_NAMES = {"week", "day", "date", "monday", "since", "until"}


def walk(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    """(`namespace:name`, route) for every named URL pattern of the project."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{ns}{entry.name}", route


def params(route: str) -> list[tuple[str, str]]:
    """(converter, name) of each `<converter:name>` in a route."""
    specs = [part.split(">")[0] for part in route.split("<")[1:]]
    return [(spec.partition(":")[0], spec.rpartition(":")[2]) for spec in specs]


def dated_patterns() -> list[tuple[str, str]]:
    return [
        (name, route)
        for name, route in walk(get_resolver())
        if any(param in DATED_NAMES for _, param in params(route))
    ]


DATED = dated_patterns()


def test_the_project_has_dated_urls_to_walk() -> None:
    names = {name for name, _ in DATED}
    assert {"scheduling:week", "scheduling:week-generate", "scheduling:plan-start"} <= names


def is_api(name: str) -> bool:
    """The API reads its path parameters with its schema types (SaneDate), not converters."""
    return name.startswith("api-")


def test_every_dated_url_parameter_is_read_by_the_date_converter() -> None:
    for name, route in DATED:
        if is_api(name):
            continue
        for converter, param in params(route):
            if param in DATED_NAMES:
                assert converter == "day", f"{name}: <{converter}:{param}> is not <day:{param}>"


def fill(name: str, cast: Cast, value: str) -> dict[str, Any]:
    """Keyword arguments for a dated URL: the date, and the cast's records for the others."""
    known = {
        "team_id": cast.team.id,
        "member_id": cast.nurse_membership.id,
        "membership_id": cast.nurse_membership.id,
        "client_id": cast.client.id,
    }
    route = dict(DATED)[name]
    kwargs: dict[str, Any] = {}
    for _, param in params(route):
        kwargs[param] = value if param in DATED_NAMES else known.get(param, uuid.uuid4())
    return kwargs


COUNTED: list[type[Model]] = [Shift, Visit, PlanRun, RotaWeek, Absence]


@pytest.mark.parametrize("value", OUT_OF_RANGE_MONDAYS)
@pytest.mark.parametrize("name", [name for name, _ in DATED])
def test_a_dated_url_outside_the_years_1900_to_2199_is_refused_and_changes_nothing(
    client: HttpClient, cast: Cast, name: str, value: str
) -> None:
    client.force_login(cast.nurse)
    url = reverse(name, kwargs=fill(name, cast, value))
    before = [m._default_manager.count() for m in COUNTED]
    headers = {}
    if is_api(name):  # the same member, through a device token
        token = tokens.token_issue(user=cast.nurse, name="Test tablet").token
        headers = {"Authorization": f"Bearer {token}"}
    response = client.get(url, headers=headers)
    if response.status_code == 405:
        response = client.post(url, {"day": value, "scope": "week", "seen": "", "version": 0})
    if is_api(name):  # a problem naming the parameter
        assert response.status_code == 422, url
    else:
        assert response.status_code == 404, url
    assert [m._default_manager.count() for m in COUNTED] == before


def test_the_first_and_last_weeks_in_range_open(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    for monday in ("1900-01-01", "2199-12-30"):
        url = reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": monday})
        assert client.get(url).status_code == 200, monday


# Query strings ------------------------------------------------------------------------------


def _team(name: str) -> Callable[[Cast], str]:
    return lambda cast: reverse(name, kwargs={"team_id": cast.team.id})


def _run_sheet(cast: Cast) -> str:
    kwargs = {"team_id": cast.team.id, "week": "2030-11-25", "member_id": cast.nurse_membership.id}
    return reverse("scheduling:member-run-sheet-pdf", kwargs=kwargs)


def _week(cast: Cast) -> str:
    return reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": "2030-11-25"})


QUERY_DATES: list[tuple[str, Callable[[Cast], str], str]] = [
    ("my day", _team("scheduling:my-day"), "day"),
    ("run sheet", _run_sheet, "day"),
    ("week board", _week, "day"),
    ("new shift", _team("scheduling:shift-new"), "day"),
    ("new visit", _team("scheduling:visit-new"), "day"),
    ("my handovers", _team("messaging:my-handovers"), "day"),
    ("decision log from", _team("teamwork:decisions"), "since"),
    ("decision log to", _team("teamwork:decisions"), "until"),
    ("figures", _team("scheduling:figures"), "week"),
]


@pytest.mark.parametrize("value", OUT_OF_RANGE_DAYS)
@pytest.mark.parametrize(("door", "url", "param"), QUERY_DATES, ids=[d[0] for d in QUERY_DATES])
def test_a_query_string_date_outside_the_range_is_refused_with_a_4xx(
    client: HttpClient, cast: Cast, door: str, url: Callable[[Cast], str], param: str, value: str
) -> None:
    client.force_login(cast.nurse)
    response = client.get(url(cast), {param: value})
    assert 400 <= response.status_code < 500, door
    if response.status_code == 400:
        assert dates.OUT_OF_RANGE in response.content.decode()


# Page forms ---------------------------------------------------------------------------------


# A role term starts near today (teamwork/services/roles.py): the in-range value is today.
IN_A_MONTH = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
INSIDE = {"role term": timezone.localdate().isoformat()}


def _client_url(name: str) -> Callable[[Cast], str]:
    return lambda cast: reverse(name, kwargs={"client_id": cast.client.id})


FORMS: list[
    tuple[str, Callable[[Cast], str], Callable[[Cast], dict[str, Any]], str, type[Model]]
] = [
    (
        "shift",
        _team("scheduling:shift-new"),
        lambda c: {
            "member": c.carer_membership.id,
            "start_time": "22:00",
            "end_time": "07:00",
            "ends_next_day": "on",
            "kind": "night",
            "break_minutes": 30,
        },
        "day",
        Shift,
    ),
    (
        "absence",
        _team("scheduling:absence-new"),
        lambda c: {
            "member": c.carer_membership.id,
            "kind": "annual_leave",
            "last_day": "2020-11-27",
        },
        "first_day",
        Absence,
    ),
    (
        "visit",
        _team("scheduling:visit-new"),
        lambda c: {
            "client": c.client.id,
            "start_time": "09:00",
            "end_time": "09:30",
            "carers_needed": 1,
        },
        "day",
        Visit,
    ),
    (
        "pattern",
        _team("scheduling:pattern-new"),
        lambda c: {
            "client": c.client.pk,
            "weekdays": [3],
            "interval_weeks": 1,
            "window_start": "10:00",
            "window_end": "10:30",
            "duration_minutes": 45,
            "carers_needed": 1,
            "active": "on",
        },
        "valid_from",
        VisitPattern,
    ),
    (
        "client",
        _team("clients:client-new"),
        lambda c: {
            "given_name": "Bronwen",
            "family_name": "Ap Ifan",
            "nhs_number": "401 023 2137",
            "postcode": "ll55 4ur",
            "status": "active",
        },
        "date_of_birth",
        Client,
    ),
    (
        "care problem",
        _client_url("clients:problem-new"),
        lambda c: {
            "problem_code": "22",
            "scope": "individual",
            "severity": "actual",
            "signs_symptoms": ["01"],
        },
        "identified_on",
        CareProblem,
    ),
    (
        "meeting",
        _team("teamwork:meetings"),
        lambda c: {"title": "Team meeting"},
        "held_on",
        Meeting,
    ),
    (
        "role term",
        _team("teamwork:roles"),
        lambda c: {"member": c.carer_membership.id, "role": "finance", "ends_on": IN_A_MONTH},
        "starts_on",
        RoleTerm,
    ),
]


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize(
    ("form", "url", "data", "field", "model"), FORMS, ids=[f[0] for f in FORMS]
)
def test_a_page_form_refuses_a_date_outside_the_range_beside_its_field_and_stores_nothing(
    client: HttpClient,
    cast: Cast,
    form: str,
    url: Callable[[Cast], str],
    data: Callable[[Cast], dict[str, Any]],
    field: str,
    model: type[Model],
    value: str,
) -> None:
    client.force_login(cast.nurse)
    before = model._default_manager.count()
    response = client.post(url(cast), {**data(cast), field: value})
    assert response.status_code == 400, form
    page = response.content.decode()
    assert dates.OUT_OF_RANGE in page
    assert f'href="#id_{field}"' in page
    assert model._default_manager.count() == before


def test_the_same_forms_store_a_date_inside_the_range(client: HttpClient, cast: Cast) -> None:
    """The forms above are otherwise valid: the refusal is the date's."""
    client.force_login(cast.nurse)
    for form, url, data, field, model in FORMS:
        before = model._default_manager.count()
        inside = INSIDE.get(form, "2020-11-23")
        response = client.post(url(cast), {**data(cast), field: inside})
        errors = re.findall(r"Error:</span>([^<]*)", response.content.decode())
        assert response.status_code == 302, (form, errors)
        assert model._default_manager.count() == before + 1, form


def _project_forms() -> list[type[forms.BaseForm]]:
    """Every form class of the project's own apps (their form modules imported first)."""
    root = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if not config.path.startswith(root) or ".venv" in config.path:
            continue
        for info in pkgutil.iter_modules([config.path]):
            if info.name.startswith("forms"):
                importlib.import_module(f"{config.name}.{info.name}")
    found, queue = [], list(forms.BaseForm.__subclasses__())
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in {c.name for c in apps.get_app_configs()}:
            found.append(cls)
    return found


def test_every_date_field_of_every_page_form_carries_the_range() -> None:
    checked = []
    for form in _project_forms():
        assert issubclass(form, forms.Form | forms.ModelForm), form  # the ones with base_fields
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                checked.append(f"{form.__name__}.{name}")
                with pytest.raises(forms.ValidationError, match="1900 to 2199"):
                    field.clean(dt.date(1, 1, 1).isoformat())
    assert "ShiftForm.day" in checked
    assert "ClientForm.date_of_birth" in checked


def test_the_year_pattern_of_the_api_takes_exactly_the_years_of_the_range() -> None:
    taken = [y for y in range(1000, 3000) if re.fullmatch(dates.YEAR_PATTERN, str(y))]
    assert (taken[0], taken[-1], len(taken)) == (1900, 2199, 300)


def _cursor(moment: str) -> str:
    raw = f"{moment}|{uuid.uuid4()}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_cursor_naming_a_time_outside_the_range_is_refused_not_a_500(
    client: HttpClient, cast: Cast, moment: str
) -> None:
    client.force_login(cast.nurse)
    items = reverse("messaging:team-items", kwargs={"team_id": cast.team.id})
    assert client.get(items, {"after": _cursor(moment)}).status_code == 400
    token = tokens.token_issue(user=cast.nurse, name="Test tablet").token
    notes = f"/api/v1/clients/{cast.client.id}/notes"
    response = client.get(
        notes, {"cursor": _cursor(moment)}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422  # the API's answer to a field it cannot take
