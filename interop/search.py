"""FHIR search parameters: _lastUpdated, identifier, _count and paging, parsed into plain
values. A bad value raises `BadSearch` naming the parameter (a 400 OperationOutcome)."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from careteams import dates

DEFAULT_COUNT = 20
MAX_COUNT = 100
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


class BadSearch(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Span:
    """A _lastUpdated condition: the value's interval [start, end) and the comparison."""

    prefix: str
    start: dt.datetime
    end: dt.datetime

    def admits(self, when: dt.datetime) -> bool:
        match self.prefix:
            case "gt":
                return when >= self.end
            case "ge":
                return when >= self.start
            case "lt":
                return when < self.start
            case "le":
                return when < self.end
            case "ne":
                return not self.start <= when < self.end
        return self.start <= when < self.end

    def lookup(self, field: str) -> tuple[dict[str, Any], bool]:
        """The ORM filter for this condition, and whether it is an exclusion ("ne")."""
        match self.prefix:
            case "gt":
                return {f"{field}__gte": self.end}, False
            case "ge":
                return {f"{field}__gte": self.start}, False
            case "lt":
                return {f"{field}__lt": self.start}, False
            case "le":
                return {f"{field}__lt": self.end}, False
            case "ne":
                return {f"{field}__gte": self.start, f"{field}__lt": self.end}, True
        return {f"{field}__gte": self.start, f"{field}__lt": self.end}, False


def last_updated(values: list[str]) -> list[Span]:
    spans = []
    for raw in values:
        prefix, value = (raw[:2], raw[2:]) if raw[:2] in PREFIXES else ("eq", raw)
        spans.append(_span(prefix, value))
    return spans


def _span(prefix: str, value: str) -> Span:
    try:
        if _TIME.match(value):
            start = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            end = start + dt.timedelta(seconds=1)
        else:
            day = dt.date.fromisoformat(value)
            start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
            end = start + dt.timedelta(days=1)
    except ValueError as exc:
        raise BadSearch(
            "_lastUpdated", "Give _lastUpdated as a date or a time with its zone."
        ) from exc
    if not dates.FIRST_YEAR <= start.year <= dates.LAST_YEAR:
        raise BadSearch("_lastUpdated", dates.OUT_OF_RANGE)
    return Span(prefix, start, end)


def identifier(values: list[str], system: str) -> str | None:
    """The NHS number asked for (`system|value` or the value alone), None if not asked; an
    identifier of another system matches nothing (an empty string)."""
    if not values:
        return None
    raw = values[0]
    if "|" in raw:
        given, value = raw.split("|", 1)
        if given and given != system:
            return ""
        raw = value
    return raw.replace(" ", "")


def count_and_page(params: Any) -> tuple[int, int]:
    try:
        count = int(params.get("_count", DEFAULT_COUNT))
        page = int(params.get("_page", 1))
    except ValueError as exc:
        raise BadSearch("_count", "_count and _page are whole numbers.") from exc
    if not 1 <= count <= MAX_COUNT:
        raise BadSearch("_count", f"_count is from 1 to {MAX_COUNT}.")
    if page < 1:
        raise BadSearch("_page", "_page starts at 1.")
    return count, page


def parse_instant(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
