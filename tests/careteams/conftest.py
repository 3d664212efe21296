# Fault tests' own redis-server (tests/redis_server.py).
from tests.redis_server import on_own_redis, redis_server  # noqa: F401
