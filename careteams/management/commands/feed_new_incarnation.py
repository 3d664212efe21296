"""Run after restoring the database from any backup: devices resync instead of skipping."""

from typing import Any

from django.core.management.base import BaseCommand

from careteams.incarnation import incarnation_get, incarnation_renew


class Command(BaseCommand):
    help = (
        "Give the change feed a new incarnation. Run it after every restore of the database "
        "(before the workers start again): devices and sockets holding a cursor of the old "
        "one are told to resync from 0 instead of silently skipping changes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        old = incarnation_get()
        new = incarnation_renew()
        self.stdout.write(f"Feed incarnation {old} -> {new}. Devices will resync.")
