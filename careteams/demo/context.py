"""What every part of the demo builder shares: the seeded randomness, one "now", the feed."""

import datetime as dt
import random
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.db import models

from careteams import changes
from careteams.models import Team, User

# Published on purpose: it is the demo's sign-in password, printed by the command.
DEMO_PASSWORD = "careteams-demo"  # noqa: S105
DEMO_DOMAIN = "demo.careteams.test"
SEED = 2024_06_01

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


@dataclass
class Context:
    rng: random.Random
    now: dt.datetime
    password_hash: str

    def feed(
        self,
        *,
        team: Team,
        entity: str,
        obj: models.Model,
        actor: User | None,
        client_id: uuid.UUID | None = None,
    ) -> None:
        changes.record(team=team, entity=entity, obj=obj, actor=actor, client_id=client_id)
