from django.apps import AppConfig


class TabletConfig(AppConfig):
    name = "tablet"
    verbose_name = "The installable tablet app (offline)"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        from tablet import entities  # noqa: F401
