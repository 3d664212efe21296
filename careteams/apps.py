from django.apps import AppConfig
from django.urls import register_converter
from django.urls.converters import get_converters


class CareteamsConfig(AppConfig):
    name = "careteams"
    verbose_name = "People and teams"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        from careteams import (
            dates,
            entities,  # noqa: F401
        )

        # Before any URLconf is read: dated URLs take `<day:...>` (careteams/dates.py).
        # Once: a test may set the apps up again, and Django refuses a second registration.
        if "day" not in get_converters():
            register_converter(dates.DayConverter, "day")
