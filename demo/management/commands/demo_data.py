"""`manage.py demo_data`: load the demo world (two teams, forty clients, this week's rota);
with `--teams N`, the scale world of N teams of the demo's shape instead."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from demo.scale import CLIENTS, MEMBERS, build_scale_world
from demo.world import build_demo_world, demo_rota_ends


class Command(BaseCommand):
    help = (
        "Load a demo world: two care teams with their clients, care plans, this week's rota "
        "and notes. Does nothing when the demo data is already there. With --teams N, add the "
        "scale teams 'Scale team 0001' to N that are missing instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--teams", type=int, help="Build the scale world of this many teams (idempotent)."
        )
        parser.add_argument("--members-per-team", type=int, default=MEMBERS)
        parser.add_argument("--clients-per-team", type=int, default=CLIENTS)
        parser.add_argument(
            "--jobs", type=int, default=2, help="Processes building the scale world (default 2)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["teams"] is not None:
            self._scale(options)
            return
        summary = build_demo_world()
        if not summary.created:
            self.stdout.write("Demo data already loaded; nothing changed.")
            self._warn_when_aged()
            return
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for what, count in summary.counts.items():
            self.stdout.write(f"  {count:5d} {what}")
        self.stdout.write("")
        self.stdout.write(f"Sign in with any of these; the password is {summary.password!r}:")
        width = max(len(email) for email, _ in summary.sign_ins)
        for email, who in summary.sign_ins:
            self.stdout.write(f"  {email:<{width}}  {who}")

    def _warn_when_aged(self) -> None:
        ends = demo_rota_ends()
        if ends is not None and ends < timezone.localdate():
            self.stdout.write(
                self.style.WARNING(
                    f"The demo's rota ended on {ends:%d %B %Y}: My day and the week board are "
                    "empty. `make demo-refresh` makes the demo database anew around today."
                )
            )

    def _scale(self, options: dict[str, Any]) -> None:
        def progress(done: int, total: int) -> None:
            if done % 100 < 10 or done == total:
                self.stdout.write(f"  {done}/{total} teams")

        try:
            summary = build_scale_world(
                teams=options["teams"],
                members=options["members_per_team"],
                clients=options["clients_per_team"],
                jobs=options["jobs"],
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale world: {summary.created} teams created ({summary.existing} already "
                f"there), {summary.changes} changes in their feeds, in {summary.seconds:.1f} s."
            )
        )
        self.stdout.write("Sign in as m01.t0001@scale.careteams.test (the demo's password).")
