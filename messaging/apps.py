from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Handover notes and team messages"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        # The header's sections of a team's pages (careteams/context_processors.py).
        from careteams import hooks
        from messaging import entities  # noqa: F401
        from messaging.nav import team_sections

        hooks.register_nav(team_sections)
