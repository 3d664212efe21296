from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Clients and care plans"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        # Declares the family view's scope to the core (careteams/access.py).
        from clients import (
            access,
            entities,  # noqa: F401
        )

        access.install()

        # The header's sections of a team's pages (careteams/context_processors.py).
        from careteams import hooks
        from clients.nav import team_sections

        hooks.register_nav(team_sections)
