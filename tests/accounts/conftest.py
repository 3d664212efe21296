from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Sign-in throttles count in the cache: each test starts, and leaves, with none used."""
    cache.clear()
    yield
    cache.clear()
