"""NHS numbers: ten digits, the last a modulus-11 check digit."""

from django.core.exceptions import ValidationError


def normalise(value: str) -> str:
    """Digits only: '943 476 5919' and '943-476-5919' are both '9434765919'."""
    return "".join(ch for ch in value if not ch.isspace() and ch != "-")


def is_valid(digits: str) -> bool:
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate(value: str) -> None:
    digits = normalise(value)
    if not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
        raise ValidationError("Enter an NHS number of 10 digits, like 943 476 5919.", code="format")
    if not is_valid(digits):
        raise ValidationError(
            "This is not a valid NHS number: check the digits again.", code="check_digit"
        )


def display(digits: str) -> str:
    """Shown as 3-3-4: 943 476 5919."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits
