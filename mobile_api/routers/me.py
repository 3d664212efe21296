"""The signed-in person: who they are, their teams, the teams they coach, their family view."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from mobile_api import selectors
from mobile_api.problems import ERRORS_FOR_READS, error_responses
from mobile_api.schemas.people import MeOut
from mobile_api.security import user_of

router = Router(tags=["Me"])


@router.get("/me", response={200: MeOut, **error_responses(ERRORS_FOR_READS)}, summary="Me")
def me(request: HttpRequest) -> dict[str, Any]:
    return selectors.me(user=user_of(request))
