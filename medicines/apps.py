from django.apps import AppConfig


class MedicinesConfig(AppConfig):
    name = "medicines"
    verbose_name = "Medicines"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        from medicines import (
            entities,  # noqa: F401
            visit_hooks,
        )

        # Doses on the visit card, the check-out guard, missed doses (scheduling/hooks.py).
        visit_hooks.install()
