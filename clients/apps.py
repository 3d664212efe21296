from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Clients and care plans"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        from clients import entities  # noqa: F401
