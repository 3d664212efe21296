from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accounts import policy


def security(request: HttpRequest) -> dict[str, Any]:
    """Whether to show staff the "two-factor is off in this demo" notice."""
    user = getattr(request, "user", None)
    if settings.MFA_REQUIRED_FOR_STAFF or user is None or not user.is_authenticated:
        return {"mfa_off_notice": False}
    return {"mfa_off_notice": policy.is_staff(user)}
