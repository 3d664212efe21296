from django.apps import AppConfig


class CareteamsConfig(AppConfig):
    name = "careteams"
    verbose_name = "People and teams"
