"""What every part of the demo builder shares: the seeded randomness and a simulated clock.

The demo replays its world's history through the services, as the people in it would have
made it: each write happens at its own moment on a simulated clock (what `timezone.now()`
returns while the world is built), so the services stamp received times, publication times and
feed times as they would have been, and check "not in the future" against the demo's "now".
"""

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone

# Published on purpose: it is the demo's sign-in password, printed by the command.
DEMO_PASSWORD = "careteams-demo"  # noqa: S105
DEMO_DOMAIN = "demo.careteams.test"
SEED = 2024_06_01
# How far the demo reaches back and ahead of the day it is loaded (whole weeks from Monday).
SPAN_DAYS = 14

# Letters NFKD cannot take apart (Ł has no combining form), folded by hand for addresses.
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "ß": "ss"})


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def member_email(first: str, last: str) -> str:
    """firstname.lastname, ASCII only: 'Siobhán Ó Súilleabháin' gives siobhan.osuilleabhain."""

    def part(text: str) -> str:
        return re.sub(r"[^a-z]", "", ascii_fold(text).lower())

    return demo_email(f"{part(first)}.{part(last)}")


class Clock:
    """What `django.utils.timezone.now` returns while the world is built (one process, one
    transaction, run by `manage.py demo_data`): a moment the builder moves, never the wall."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment

    @contextmanager
    def at(self, moment: dt.datetime) -> Iterator[None]:
        before, self.moment = self.moment, moment
        try:
            yield
        finally:
            self.moment = before


@contextmanager
def simulated(clock: Clock) -> Iterator[Clock]:
    real = timezone.now
    timezone.now = clock.now
    try:
        yield clock
    finally:
        timezone.now = real


@dataclass
class Context:
    rng: random.Random
    now: dt.datetime
    password_hash: str
    clock: Clock
    span_days: int = SPAN_DAYS
