"""Where the carers' devices were when they checked in to a client's visits (only when a carer
chose to share it), offered on the client record so the team may confirm the client's home
location with their consent. Team members only: the client comes from records.client_get."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from careteams import access, limits
from careteams.geo import distance_km
from clients import hooks
from clients.models import Client


@dataclass(frozen=True)
class CheckInLocation:
    attendance: Any  # the rota's VisitAttendance (scheduling/visit_models.py)
    latitude: float
    longitude: float
    accuracy_m: float | None
    # From the client's confirmed location, when they have one.
    distance_m: float | None

    @property
    def carer(self) -> str:
        user = self.attendance.member.user
        name: str = user.first_name or user.get_full_name() or user.email
        return name


def _located(client: Client) -> QuerySet[Any]:
    return hooks.visits().located_check_ins(client)


def _as_location(client: Client, attendance: Any) -> CheckInLocation:
    lat, lon = attendance.device_latitude, attendance.device_longitude
    # The queries filter on a location, and a location is both or neither (a constraint).
    assert lat is not None
    assert lon is not None
    distance = None
    if client.latitude is not None and client.longitude is not None:
        distance = distance_km((client.latitude, client.longitude), (lat, lon)) * 1000
    return CheckInLocation(attendance, lat, lon, attendance.device_accuracy_m, distance)


def check_in_locations_to_offer(client: Client) -> list[CheckInLocation]:
    """The latest shared check-in locations, newest first, in one query: all of them when the
    client has no confirmed location, else those further than limits.LOCATION_DIFFERS_M."""
    latest = (
        _located(client)
        .select_related("member__user")
        .order_by("-checked_in_at")[: limits.CHECK_IN_LOCATIONS_SHOWN]
    )
    found = [_as_location(client, a) for a in latest]
    return [f for f in found if f.distance_m is None or f.distance_m > limits.LOCATION_DIFFERS_M]


def check_in_location_get(*, client: Client, attendance_id: uuid.UUID | str) -> CheckInLocation:
    """One shared check-in location of this client's visits, or NotFound."""
    attendance = access.get_visible(_located(client), attendance_id)
    return _as_location(client, attendance)
