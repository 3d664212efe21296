"""Distances on the map: the straight-line (great-circle) distance between two places."""

import math

Location = tuple[float, float]  # (latitude, longitude) in degrees

EARTH_RADIUS_KM = 6371.0088


def distance_km(a: Location, b: Location) -> float:
    """The great-circle distance between two places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
