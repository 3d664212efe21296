"""The mobile JSON API: one NinjaAPI, device-token auth, problem+json errors, rate limits."""

from typing import Any

from ninja import NinjaAPI

from mobile_api import auth, problems, strict, sync
from mobile_api.docs import LocalSwagger
from mobile_api.routers import (
    care_plan,
    clients,
    family,
    me,
    medicines,
    messaging,
    ping,
    records,
    rota,
    teamwork,
    visits,
    week,
)
from mobile_api.security import DeviceTokenAuth, WriteRate


class CareteamsAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("securitySchemes", {})
        return problems.document(schema)


api = CareteamsAPI(
    title="careteams API",
    version="1",
    description=(
        "For the careteams mobile apps: sign in a device, read the week, my day, clients and "
        "the family view, write through the same rules as the pages, and sync offline. "
        "Errors are RFC 9457 application/problem+json. See docs/api.md."
    ),
    urls_namespace="api-v1",
    auth=DeviceTokenAuth(),
    throttle=[WriteRate()],
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_decorator(strict.strict, mode="view")
api.add_router("", ping.router)
api.add_router("", auth.router)
api.add_router("", me.router)
api.add_router("", week.router)
api.add_router("", rota.router)
api.add_router("", clients.router)
api.add_router("", records.router)
api.add_router("", care_plan.router)
api.add_router("", family.router)
api.add_router("", visits.router)
api.add_router("", messaging.router)
api.add_router("", sync.router)
api.add_router("", teamwork.router)
api.add_router("", medicines.router)
