from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"
    verbose_name = "Sharing with partners (FHIR)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from careteams import hooks
        from interop import selectors

        # A partner's reads are written as its reader account's: the record's "who has read
        # this" names the organisation and says what it is.
        hooks.register_reader_roles(selectors.reader_roles)
