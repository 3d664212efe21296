from django.apps import AppConfig
from django.core import checks


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = "PDF printing"

    def ready(self) -> None:
        from printing import pdf_fonts

        checks.register(pdf_fonts.check_fonts)
