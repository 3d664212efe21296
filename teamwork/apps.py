from django.apps import AppConfig


class TeamworkConfig(AppConfig):
    name = "teamwork"
    verbose_name = "The team runs itself"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        from teamwork import entities  # noqa: F401
