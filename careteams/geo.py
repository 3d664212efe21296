"""Places on the map: a typed place checked, and the straight-line (great-circle) distance
between two places."""

import math

from django.utils.translation import gettext as _

from careteams.errors import DomainError

Location = tuple[float, float]  # (latitude, longitude) in degrees

EARTH_RADIUS_KM = 6371.0088


def checked_location(
    latitude: float | None, longitude: float | None, *, required: bool = False
) -> Location | None:
    """A typed place, on the earth, rounded to about a metre (more is noise, not care); None
    when neither number is given and the place may be left out. Refused (DomainError, naming
    the field at fault) with one number alone, one off the earth, or none when `required`."""
    if latitude is None and longitude is None and not required:
        return None
    if latitude is None or longitude is None:
        field_name = "latitude" if latitude is None else "longitude"
        message = (
            _("Enter both the latitude and the longitude.")
            if required
            else _("Enter both the latitude and the longitude, or neither.")
        )
        raise DomainError(message, field=field_name)
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise DomainError(_("A latitude is from -90 to 90, like 52.4862."), field="latitude")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise DomainError(_("A longitude is from -180 to 180, like -1.8904."), field="longitude")
    return round(latitude, 5), round(longitude, 5)


def distance_km(a: Location, b: Location) -> float:
    """The great-circle distance between two places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
