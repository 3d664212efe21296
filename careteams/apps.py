from django.apps import AppConfig
from django.core import checks


class CareteamsConfig(AppConfig):
    name = "careteams"
    verbose_name = "People and teams"

    def ready(self) -> None:
        from careteams import pdf_fonts

        checks.register(pdf_fonts.check_fonts)
