"""Field types shared by the schemas.

Dates and times come as ISO 8601 text only (a number such as 0 is not read as 1970), with a year
in the range every door takes (careteams/dates.py, 1900 to 2199); the OpenAPI document says the
same with a pattern, so that what it allows is exactly what the server takes.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, core_schema

from careteams import dates, limits

YEAR = dates.YEAR_PATTERN
DATE_PATTERN = rf"^{YEAR}-[0-9]{{2}}-[0-9]{{2}}$"
DATETIME_PATTERN = (
    rf"^{YEAR}-[0-9]{{2}}-[0-9]{{2}}[Tt][0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


YEARS = f"in the years {dates.FIRST_YEAR} to {dates.LAST_YEAR}"


def _text_matching(pattern: str, example: str) -> Any:
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, dt.date):  # from Python callers; JSON always brings text
            return value
        if not isinstance(value, str) or not compiled.match(value):
            raise ValueError(f"Give ISO 8601 text like {example}, {YEARS}.")
        return value

    return check


def _to_utc(value: dt.datetime) -> dt.datetime:
    """In UTC: PostgreSQL refuses offsets past ±15:59, and one zone for every time stored."""
    if not dates.in_range(value):
        raise ValueError(f"This time is out of range: give one {YEARS}.")
    try:
        return value.astimezone(dt.UTC)
    except OverflowError as exc:  # a datetime from a Python caller, at the edge of year 1 or 9999
        raise ValueError("This time is out of range.") from exc


def _sane_date(value: dt.date) -> dt.date:
    if not dates.in_range(value):
        raise ValueError(dates.out_of_range())
    return value


UtcDatetime = Annotated[
    AwareDatetime,
    BeforeValidator(_text_matching(DATETIME_PATTERN, "2026-11-29T09:30:00Z")),
    AfterValidator(_to_utc),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
SaneDate = Annotated[
    dt.date,
    BeforeValidator(_text_matching(DATE_PATTERN, "2026-11-29")),
    AfterValidator(_sane_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]


@dataclass(frozen=True)
class AtMost:
    """At most `limit` characters, refused in the same words as the service and the page
    (careteams/limits.py); the OpenAPI document still says maxLength."""

    limit: int

    def check(self, value: str) -> str:
        if len(value) > self.limit:
            raise PydanticCustomError("too_long", limits.too_long(self.limit))
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {**handler(schema), "maxLength": self.limit}


@dataclass(frozen=True)
class OneOf:
    """One of a model's choices, refused in the same words as the service and the page; the
    OpenAPI document lists them as an enum."""

    values: tuple[str, ...]

    def check(self, value: str) -> str:
        if value not in self.values:
            raise PydanticCustomError("not_a_choice", limits.not_a_choice(self.values))
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {**handler(schema), "enum": list(self.values)}


def _storable_text(value: str) -> str:
    """Text a database keeps as sent. PostgreSQL refuses NUL in text, and no database takes
    text that is not Unicode (a lone surrogate such as \\ud800 escaped in JSON): either would be
    a 500 deep in a service otherwise."""
    if "\x00" in value:
        raise ValueError("This text contains a NUL character (\\u0000): remove it.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("This text is not valid Unicode (a lone surrogate): remove it.") from None
    return value


@dataclass(frozen=True)
class Storable:
    """Checks `_storable_text`, and tells the OpenAPI document so (no NUL), so that what the
    document allows is what the server takes."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_storable_text, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {**handler(schema), "pattern": "^[^\\u0000]*$"}


# Every string a device sends (bodies, sync mutation data, query strings) is this type.
Text = Annotated[str, Storable()]
