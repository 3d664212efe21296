"""What the rota's services and pages ask of the apps above them, without importing them.

Apps above scheduling (medicines, issue 25) need a say in a visit: a carer may not check out
while a dose due in the visit has no outcome, the visit card shows the doses as tasks and the
client's allergies, My day and Team today show missed doses. Scheduling may not import them
(pyproject.toml's layers), so they register here from their app's `ready()` and scheduling asks:

- `check_out_guards`: each may refuse a check-out by raising a DomainError (inside the
  check-out's transaction, with the visit locked, so the answer and the write agree);
- `card_sections`: parts of the visit card, each placed `doorstep` (beside the risks, shown
  before check-in too), `tasks` (above the visit's other tasks) or `check_out` (the check-out
  page's list of what is left);
- `day_sections`: parts of My day and Team today, inside the fragment that refreshes itself,
  with the kinds of record that refresh it live and the moment it must refresh by itself
  (something that happens by time passing, such as a dose becoming missed, has no write to
  announce it);
- `week_figures`: lines of the team's figures for a span.

Registering the same function twice adds it once; they are asked in the order registered.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from careteams.access import AnyUser
from careteams.models import Membership, Team, User
from scheduling.models import Visit

if TYPE_CHECKING:
    from scheduling.selectors.doorstep import DoorstepCard


@dataclass(frozen=True)
class CheckOutAttempt:
    visit: Visit  # locked, in the check-out's transaction
    member: Membership
    actor: User
    at: dt.datetime  # when the carer leaves (the device's time for a synced check-out)


# Raises a careteams.errors.DomainError to refuse; returns to let the check-out go on.
CheckOutGuard = Callable[[CheckOutAttempt], None]

CardPlace = Literal["doorstep", "tasks", "check_out"]


@dataclass(frozen=True)
class CardSection:
    place: CardPlace
    template: str  # included with `section` (this object) in its context
    context: dict[str, Any] = field(default_factory=dict)


CardSections = Callable[[AnyUser, "DoorstepCard"], list[CardSection]]


@dataclass(frozen=True)
class DayAsk:
    """What a day page shows: the team's day, or one member's (`member`: My day)."""

    user: AnyUser
    team: Team
    start: dt.datetime
    end: dt.datetime
    now: dt.datetime
    visits: Sequence[Visit]  # the visits the page lists (with their client and assignments)
    member: Membership | None = None


@dataclass(frozen=True)
class DaySection:
    template: str  # included with `section` (this object) in its context
    context: dict[str, Any] = field(default_factory=dict)
    # The kinds of record whose changes refresh the page's fragment (its data-live-entities).
    entities: tuple[str, ...] = ()
    # When the fragment must refresh by itself, if before its usual minute.
    refresh_at: dt.datetime | None = None


DaySections = Callable[[DayAsk], list[DaySection]]


@dataclass(frozen=True)
class WeekFigure:
    label: str
    value: int
    detail: str = ""


# (team, start, end, now) -> lines of the team's figures for the span; no client identity (the
# team's coaches read the figures too).
WeekFigures = Callable[[Team, dt.datetime, dt.datetime, dt.datetime], list[WeekFigure]]

_guards: list[CheckOutGuard] = []
_card: list[CardSections] = []
_day: list[DaySections] = []
_figures: list[WeekFigures] = []


def _add(registry: list[Any], item: object) -> None:
    if item not in registry:
        registry.append(item)


def register_check_out_guard(guard: CheckOutGuard) -> None:
    _add(_guards, guard)


def register_card_sections(sections: CardSections) -> None:
    _add(_card, sections)


def register_day_sections(sections: DaySections) -> None:
    _add(_day, sections)


def register_week_figures(figures: WeekFigures) -> None:
    _add(_figures, figures)


def check_out_allowed(attempt: CheckOutAttempt) -> None:
    for guard in _guards:
        guard(attempt)


def card_sections(user: AnyUser, card: "DoorstepCard") -> list[CardSection]:
    return [section for sections in _card for section in sections(user, card)]


def day_sections(ask: DayAsk) -> list[DaySection]:
    return [section for sections in _day for section in sections(ask)]


def week_figures(
    team: Team, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> list[WeekFigure]:
    return [line for figures in _figures for line in figures(team, start, end, now)]


@dataclass(frozen=True)
class DayParts:
    """What the registered apps add to a day page, ready for its template."""

    sections: list[DaySection]

    @property
    def entities(self) -> str:
        """Extra kinds for the fragment's data-live-entities ("" when none)."""
        names = dict.fromkeys(name for s in self.sections for name in s.entities)
        return " ".join(names)

    def refresh_in(self, now: dt.datetime) -> int | None:
        """Seconds until the earliest moment a section must refresh (a second after it, so the
        server sees it has passed), or None."""
        moments = [s.refresh_at for s in self.sections if s.refresh_at is not None]
        if not moments:
            return None
        return max(1, int((min(moments) - now).total_seconds()) + 1)


def day_parts(ask: DayAsk) -> DayParts:
    return DayParts(day_sections(ask))
