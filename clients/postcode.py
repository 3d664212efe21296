"""UK postcodes: checked against the national format and written the Royal Mail way."""

import re

from django.core.exceptions import ValidationError

# Outward code (area, district) then inward code (sector, unit); GIR 0AA is the one oddity.
PATTERN = re.compile(
    r"^(?:GIR0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise(value: str) -> str:
    """'sw1a1aa' and ' SW1A  1AA ' are both 'SW1A 1AA'; an invalid value comes back compacted."""
    compact = "".join(value.split()).upper()
    if PATTERN.match(compact):
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def is_valid(value: str) -> bool:
    return bool(PATTERN.match("".join(value.split()).upper()))


def validate(value: str) -> None:
    if not is_valid(value):
        raise ValidationError("Enter a UK postcode, like SW1A 1AA.", code="postcode")
