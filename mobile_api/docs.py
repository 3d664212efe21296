"""The API's docs page (Swagger UI) under the site's strict Content-Security-Policy.

Ninja renders Swagger UI from a CDN unless "ninja" is an installed app, and the CDN is outside
our CSP (script-src 'self'). Rather than loosen the policy or install ninja as an app, this
page uses the copy of Swagger UI that ships inside the django-ninja package, served from our
own origin by `asset` below. Its settings travel in a JSON <script> block, which the browser
never executes, and ninja's own init script (a file, not inline) reads them.
"""

import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

ASSETS = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ALLOWED = frozenset({"swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css", "favicon.png"})


class LocalSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {
            "layout": "BaseLayout",
            "deepLinking": True,
            "url": self.get_openapi_url(api, kwargs),
            "persistAuthorization": False,
        }
        return render(
            request,
            "mobile_api/swagger.html",
            {"title": api.title, "swagger_settings": settings},
        )


def asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ALLOWED:
        raise Http404()
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSETS / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
