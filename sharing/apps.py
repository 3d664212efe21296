from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Sharing records: calendar feeds, figures for commissioners, a client's copy"
