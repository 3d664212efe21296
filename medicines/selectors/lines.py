"""The client's medicines list, the allergies it is checked against, the stock in the home and
the team's policy."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from careteams.access import AnyUser, get_visible
from careteams.models import Team
from clients.access import clients_visible_to
from clients.models import Allergy, AllergyStatus, Client
from medicines import access
from medicines.models import DoseRecord, MedicineLine, MedicinesPolicy, StockEvent, ingredient_list
from medicines.selectors.doses import current_records
from medicines.selectors.prn import amount_of
from medicines.vocabulary import STOCK_SIGN, TAKEN, LineStatus, StockKind

# Shorter words match only whole: "tea" is not in "stearate".
MATCH_MIN_LENGTH = 4


def lines_of_client(*, user: AnyUser, client: Client) -> QuerySet[MedicineLine]:
    """The client's lines, current first, then stopped; each with who wrote and checked it."""
    return (
        access.lines_visible_to(user)
        .filter(client=client)
        .select_related("transcribed_by", "checked_by")
        .order_by("status", "prn", "name")
    )


def line_for(*, user: AnyUser, client: Client, line_id: object) -> MedicineLine:
    return get_visible(access.lines_visible_to(user).filter(client=client), str(line_id))


def active_allergies(client: Client) -> QuerySet[Allergy]:
    return Allergy.objects.filter(client=client, status=AllergyStatus.ACTIVE)


def _matches(substance: str, names: list[str]) -> bool:
    for wanted in ingredient_list(substance):
        for name in names:
            if wanted == name:
                return True
            if min(len(wanted), len(name)) >= MATCH_MIN_LENGTH and (
                wanted in name or name in wanted
            ):
                return True
    return False


def allergy_matches(*, client: Client, name: str, ingredients: str) -> list[Allergy]:
    """The client's active allergies whose substance is the medicine's name or one of its
    ingredients, or part of one ("penicillin" in "phenoxymethylpenicillin")."""
    names = ingredient_list(name) + ingredient_list(ingredients)
    return [a for a in active_allergies(client) if _matches(str(a.substance), names)]


def policy_of(team: Team) -> MedicinesPolicy:
    """The team's policy, or the defaults (unsaved) until the team first changes it."""
    found = MedicinesPolicy.objects.filter(team=team).first()
    return found if found is not None else MedicinesPolicy(team=team)


@dataclass(frozen=True)
class StockLevel:
    expected: Decimal | None  # None: nothing recorded yet
    last_count: StockEvent | None


def stock_expected(line: MedicineLine) -> Decimal | None:
    """What the records say should be in the home: the last count or balance carried forward,
    plus what came in, less what went back, was disposed of or was taken since."""
    events = list(StockEvent.objects.filter(line=line).order_by("recorded_at"))
    if not events:
        return None
    balance, since = Decimal(0), None
    for event in events:
        if event.kind in (StockKind.COUNTED, StockKind.CARRIED_FORWARD):
            balance, since = Decimal(event.quantity), event.recorded_at
        else:
            balance += STOCK_SIGN[event.kind] * Decimal(event.quantity)
    taken = current_records().filter(line=line, outcome__in=TAKEN)
    if since is not None:
        taken = taken.filter(recorded_at__gt=since)
    return balance - sum((amount_of(r, line) for r in taken), Decimal(0))


def stock_of(line: MedicineLine) -> StockLevel:
    counts = StockEvent.objects.filter(line=line, kind=StockKind.COUNTED)
    return StockLevel(
        expected=stock_expected(line), last_count=counts.order_by("recorded_at").last()
    )


def stock_events_of(line: MedicineLine) -> QuerySet[StockEvent]:
    return (
        StockEvent.objects.filter(line=line).select_related("recorded_by").order_by("-recorded_at")
    )


def recent_prn_doses(line: MedicineLine, limit: int = 5) -> list[DoseRecord]:
    return list(
        current_records()
        .filter(line=line)
        .select_related("recorded_by")
        .prefetch_related("follow_ups")
        .order_by("-taken_at")[:limit]
    )


def is_active(line: MedicineLine) -> bool:
    return line.status == LineStatus.ACTIVE


def client_for(*, user: AnyUser, client_id: object) -> Client:
    """A client of the user's teams (anyone else's: a 404)."""
    return get_visible(clients_visible_to(user).select_related("team"), str(client_id))


@dataclass(frozen=True)
class LineView:
    """A line as the medicines page shows it: with its stock, and whether a count is off."""

    line: MedicineLine
    stock: StockLevel | None

    @property
    def stock_flagged(self) -> bool:
        return self.stock is not None and bool(
            self.stock.last_count and self.stock.last_count.mismatch
        )


def medicines_page(*, user: AnyUser, client: Client) -> list[LineView]:
    return [
        LineView(line=line, stock=stock_of(line) if line.track_stock else None)
        for line in lines_of_client(user=user, client=client)
    ]
