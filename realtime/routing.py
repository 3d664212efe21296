"""WebSocket routes."""

from django.urls import URLPattern, path

from realtime.consumers import TeamConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/teams/<uuid:team_id>/", TeamConsumer.as_asgi()),
]
