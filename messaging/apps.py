from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Handover notes and team messages"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        from messaging import entities  # noqa: F401
