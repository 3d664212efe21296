"""The cache: Redis shared by every worker, and this worker's own memory while Redis is away.

The cache holds rate-limit counters (the API's and allauth's sign-in limits) and allauth's
one-time-code marks. None of it may stop a write or a sign-in: when Redis refuses, times out
or errs, the operation is answered from a local-memory cache instead, a warning is logged, and
Redis is left alone for `fallback_seconds` (a circuit breaker, so a hung Redis costs one short
timeout, not one per request). Limits then count per worker: looser, never off.
"""

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# A refused or reset connection surfaces as OSError from the socket layer in some paths.
REDIS_FAILURES = (RedisError, OSError)


class _Breaker:
    """Whether Redis is being left alone, shared by every thread of the process (Django makes a
    cache object per thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.away_until = 0.0
        self.away = False


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker(location: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


class FallbackRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.fallback_seconds = float(options.pop("fallback_seconds", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        # Named by the location, so that every thread's cache object shares one local store.
        local_params = {k: v for k, v in params.items() if k != "OPTIONS"}
        self.local = LocMemCache(f"redis-fallback:{server}", local_params)
        self.breaker = _breaker(str(server))

    @property
    def on_fallback(self) -> bool:
        """Whether this worker is answering from its own memory, Redis being left alone
        (/healthz reports the cache as degraded then)."""
        return self.breaker.away

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self.breaker.away_until:
            return getattr(self.local, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except REDIS_FAILURES as error:
            self._trip(error)
            return getattr(self.local, name)(*args, **kwargs)
        if self.breaker.away:
            self._back()
        return result

    def _trip(self, error: Exception) -> None:
        with self.breaker.lock:
            self.breaker.away_until = time.monotonic() + self.fallback_seconds
            first, self.breaker.away = not self.breaker.away, True
        log = logger.warning if first else logger.info
        log(
            "Redis cache unreachable (%s: %s): this worker counts rate limits in its own "
            "memory, trying Redis again in %.0f s",
            type(error).__name__,
            error,
            self.fallback_seconds,
        )

    def _back(self) -> None:
        with self.breaker.lock:
            was_away, self.breaker.away = self.breaker.away, False
        if was_away:
            logger.warning("Redis cache reachable again: rate limits are shared across workers")

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", *args, **kwargs)

    def clear(self) -> Any:
        self.local.clear()
        return self._call("clear")
