"""Field types shared by the schemas."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from careteams import limits

EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


def _to_utc(value: dt.datetime) -> dt.datetime:
    """In UTC, and in a range every database keeps (PostgreSQL refuses offsets past ±15:59,
    and a year-1 or year-9999 time overflows when moved between zones)."""
    try:
        moment = value.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValueError("This time is out of range.") from exc
    if not EARLIEST <= moment < LATEST:
        raise ValueError("This time is out of range (1900 to 2199).")
    return moment


def _sane_date(value: dt.date) -> dt.date:
    if not EARLIEST.date() <= value < LATEST.date():
        raise ValueError("This date is out of range (1900 to 2199).")
    return value


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
SaneDate = Annotated[dt.date, AfterValidator(_sane_date)]


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
    """Text a database keeps as sent. PostgreSQL refuses NUL in text (a 500 deep in a service
    otherwise); pydantic already refuses text that is not Unicode (lone surrogates)."""
    if "\x00" in value:
        raise ValueError("This text contains a NUL character (\\u0000): remove it.")
    return value


# Every string a device sends (bodies, sync mutation data, query strings) is this type.
Text = Annotated[str, AfterValidator(_storable_text)]
