"""What a test needs from the machine (a program, a service) and the machine may lack.

On a developer's machine a missing program skips the test with the way to install it; under CI
(`CI` set, as .ci/run does) it fails: CI installs everything, so a skip there would hide a test
that no longer runs anywhere.
"""

import os
from typing import NoReturn

import pytest


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must have it)")
    pytest.skip(reason)
