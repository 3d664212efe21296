"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Sockets from browsers are checked against ALLOWED_HOSTS (Origin header) and carry the
signed-in session user; apps authenticate with a one-time ticket instead (realtime/tickets.py).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

# Imported after Django is set up: the routing imports consumers, which import models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from careteams.faults import BodyLimit  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402
from realtime.ws_security import BrowserOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": BodyLimit(django_asgi_app),
        "websocket": BrowserOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
