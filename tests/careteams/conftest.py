import shutil
import subprocess

import pytest

from tests.environment import unavailable

# Fault tests' own redis-server (tests/redis_server.py).
from tests.redis_server import on_own_redis, redis_server  # noqa: F401


@pytest.fixture
def poppler() -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdffonts")):
        unavailable(
            "poppler-utils (pdftotext, pdffonts) is not installed: run scripts/install-fonts"
        )


def poppler_run(tool: str, *args: str) -> str:
    found = shutil.which(tool)
    assert found is not None
    # Our own PDF in pytest's temporary folder: no untrusted input reaches the command line.
    result = subprocess.run([found, *args], capture_output=True, check=True)  # noqa: S603
    return result.stdout.decode()
