from django.apps import AppConfig


class TeamworkConfig(AppConfig):
    name = "teamwork"
    verbose_name = "The team runs itself"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        from teamwork import (
            entities,  # noqa: F401
            gp_hooks,
        )

        # Tell the GP: raised by a third refusal in a row, shown on Team today.
        gp_hooks.install()
