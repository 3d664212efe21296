"""`manage.py demo_data`: load the demo world (two teams, forty clients, this week's rota)."""

from typing import Any

from django.core.management.base import BaseCommand

from careteams.demo import build_demo_world


class Command(BaseCommand):
    help = (
        "Load a demo world: two care teams with their clients, care plans, this week's rota "
        "and notes. Does nothing when the demo data is already there."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = build_demo_world()
        if not summary.created:
            self.stdout.write("Demo data already loaded; nothing changed.")
            return
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for what, count in summary.counts.items():
            self.stdout.write(f"  {count:5d} {what}")
        self.stdout.write("")
        self.stdout.write(f"Sign in with any of these; the password is {summary.password!r}:")
        width = max(len(email) for email, _ in summary.sign_ins)
        for email, who in summary.sign_ins:
            self.stdout.write(f"  {email:<{width}}  {who}")
