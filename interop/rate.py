"""Partners' rate limits, counted as the API counts its own (mobile_api/security.py): fixed
windows in the shared cache, a 429 with Retry-After over the limit."""

import math
import time

from django.conf import settings
from django.core.cache import cache


def over_limit(*, setting: str, default: tuple[int, int], key: str) -> int | None:
    """None within the limit; else the seconds until the window ends (for Retry-After)."""
    count, seconds = getattr(settings, setting, default)
    now = time.time()
    window = int(now // seconds)
    cache_key = f"fhir-rate:{setting}:{key}:{window}"
    cache.add(cache_key, 0, seconds + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds + 1)
        used = 1
    if used <= count:
        return None
    return max(1, math.ceil((window + 1) * seconds - now))
