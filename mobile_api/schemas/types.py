"""Field types shared by the schemas."""

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

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


def _storable_text(value: str) -> str:
    """Text a database keeps as sent. PostgreSQL refuses NUL in text (a 500 deep in a service
    otherwise); pydantic already refuses text that is not Unicode (lone surrogates)."""
    if "\x00" in value:
        raise ValueError("This text contains a NUL character (\\u0000): remove it.")
    return value


# Every string a device sends (bodies, sync mutation data, query strings) is this type.
Text = Annotated[str, AfterValidator(_storable_text)]
