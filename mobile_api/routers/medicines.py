"""The medicines record (issue 25): a client's medicine lines and the MAR as JSON. The doses of
a visit ride on my day and the visit card (routers/visits.py); outcomes are written through the
sync push (`dose.record`, `dose.correct`, `dose.follow_up`: docs/sync.md). Members of the
client's team only; anyone else a 404."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from careteams import timeutil
from careteams.models import Door
from medicines import mar
from mobile_api import medicines_render
from mobile_api.problems import ERRORS_FOR_READS, error_responses
from mobile_api.schemas.medicines import ClientMedicinesOut, MarOut
from mobile_api.schemas.types import SaneDate
from mobile_api.security import user_of

router = Router(tags=["Medicines"])
READ = error_responses(ERRORS_FOR_READS)


class MonthQuery(Schema):
    month: SaneDate | None = None


@router.get(
    "/clients/{client_id}/medicines",
    response={200: ClientMedicinesOut, **READ},
    summary="A client's medicine lines (active and stopped), as the MAR lists them",
)
def client_medicines(request: HttpRequest, client_id: uuid.UUID) -> dict[str, Any]:
    client = mar.mar_client(
        user=user_of(request), client_id=client_id, what="medicines", door=Door.API
    )
    lines = mar.lines_of(client=client)
    return {"client_id": client.id, "lines": [medicines_render.line_out(ln) for ln in lines]}


@router.get(
    "/clients/{client_id}/mar",
    response={200: MarOut, **READ},
    summary="The MAR of a month (any day of it; this month by default): doses, gaps, PRN",
)
def client_mar(
    request: HttpRequest, client_id: uuid.UUID, query: Query[MonthQuery]
) -> dict[str, Any]:
    client = mar.mar_client(user=user_of(request), client_id=client_id, what="MAR", door=Door.API)
    day: dt.date = query.month or timeutil.local_today(client.team.zone)
    first, last = mar.month_bounds(day)
    chart = mar.mar_build(client=client, first=first, last=last)
    return medicines_render.mar_out(chart, mar.key())
