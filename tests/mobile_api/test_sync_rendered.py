"""The sync pull's page is written out without ninja checking it against `ChangesOut` (half its
CPU, issue 29): what it writes must be what ninja writes for the checked schema, byte for byte,
whoever pulls (member, coach, family) and whatever the changes carry (dates, ids, deletions)."""

import uuid
from collections.abc import Callable

import pytest
from ninja.renderers import JSONRenderer

from careteams.incarnation import Cursor
from careteams.models import User
from mobile_api import feed_view
from mobile_api.schemas.sync import ChangesOut
from mobile_api.sync import rendered
from scheduling.models import Visit
from tests.conftest import Cast
from tests.mobile_api.conftest import Api
from tests.mobile_api.test_sync import mutation, push

pytestmark = pytest.mark.django_db


def test_the_pull_writes_what_ninja_writes_for_the_checked_schema_for_every_viewer(
    cast: Cast,
    api_as: Callable[[User], Api],
    make_visit: Callable[..., Visit],
) -> None:
    nurse = api_as(cast.nurse)
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
            {"id": str(uuid.uuid4()), "client_id": str(cast.client.id), "body": "Shared.",
             "shareable": True},
        ),
        mutation(
            "visit.unassign",
            {"visit_id": str(visit.id), "member_id": str(cast.carer_membership.id)},
            base=2,
        ),
    )  # fmt: skip
    for viewer in (cast.nurse, cast.coach, cast.family):
        page = feed_view.changes_after(
            user=viewer, team_id=cast.team.id, after=Cursor(0), limit=500
        )
        assert page["changes"], viewer.email
        checked = ChangesOut.model_validate(page).model_dump()
        expected = JSONRenderer().render(None, checked, response_status=200)  # type: ignore[arg-type]
        response = rendered(None, page)  # type: ignore[arg-type]
        assert response.content == expected.encode(), viewer.email
        assert response["Content-Type"] == "application/json; charset=utf-8"
    pulled = nurse.get(f"/sync/{cast.team.id}/changes", after="0")
    assert pulled.status_code == 200
    ChangesOut.model_validate(pulled.json())
