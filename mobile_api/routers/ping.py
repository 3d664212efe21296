"""The bare endpoint: no auth, no database, no work. The load bench (bench/load/) measures every
hot path against it, served by the same workers in the same run, so that its figures say what
the app's own work costs on top of the server, the proxy and the framework."""

from django.http import HttpRequest
from ninja import Router, Schema

from mobile_api.problems import error_responses

router = Router(tags=["Ping"])


class PingOut(Schema):
    ok: bool


@router.get(
    "/ping",
    auth=None,
    response={200: PingOut, **error_responses((503,))},
    summary="Is the API up? No sign-in, no database",
)
def ping(request: HttpRequest) -> dict[str, bool]:
    return {"ok": True}
