from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Rota and visits"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        from scheduling import entities  # noqa: F401
