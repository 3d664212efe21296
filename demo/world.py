"""Building the whole demo world in one transaction, once."""

import datetime as dt
import random
from dataclasses import dataclass, replace

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from careteams import access, changes
from careteams.models import Change, Membership, Team, User
from clients.models import CareProblem, Client, Note
from demo.clients import build_caseload, grant_family_access
from demo.context import (
    DEMO_PASSWORD,
    SEED,
    SPAN_DAYS,
    Clock,
    Context,
    demo_email,
    simulated,
)
from demo.doorstep import build_doorstep
from demo.medicines import build_medicines
from demo.messages import build_messages
from demo.notes import build_notes
from demo.people import ADMIN_EMAIL, TEAM_SPECS, build_people
from demo.rounds import build_rounds
from demo.teamwork import build_teamwork
from demo.week import build_week
from scheduling.models import Shift, Visit, VisitAssignment, VisitPattern

SIGN_INS = (
    ("admin", "site administrator (Django admin)"),
    ("nurse", "registered nurse and planner, Riverside Neighbourhood Team"),
    ("carer", "care worker, Riverside Neighbourhood Team"),
    ("nyrs", "registered nurse and planner, Tîm Cymdogaeth Glannau Teifi"),
    ("coach", "coach of both teams"),
    ("family", "daughter of Halina Kowalczyk (Riverside)"),
    ("client", "Eileen Ní Mhurchú, a Riverside client"),
)


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    counts: dict[str, int]
    sign_ins: tuple[tuple[str, str], ...]
    password: str = DEMO_PASSWORD


def demo_already_loaded() -> bool:
    return User.objects.filter(email=ADMIN_EMAIL).exists()


def demo_rota_ends() -> dt.date | None:
    """The last day of the demo's rota (it spans SPAN_DAYS either side of the day it was
    built): after it, My day and the week board are empty."""
    teams = Team.objects.filter(name__in=[spec.name for spec in TEAM_SPECS])
    last = Visit.objects.filter(team__in=teams).order_by("-planned_start").first()
    return None if last is None else timezone.localdate(last.planned_start, last.team.zone)


def _counts() -> dict[str, int]:
    teams = Team.objects.filter(name__in=[spec.name for spec in TEAM_SPECS])
    visits = Visit.objects.filter(team__in=teams)
    return {
        "teams": teams.count(),
        "members": Membership.objects.filter(team__in=teams).count(),
        "clients": Client.objects.filter(team__in=teams).count(),
        "care problems": CareProblem.objects.filter(client__team__in=teams).count(),
        "visit patterns": VisitPattern.objects.filter(team__in=teams).count(),
        "shifts": Shift.objects.filter(team__in=teams).count(),
        "visits": visits.count(),
        "visits without carers": visits.exclude(
            pk__in=VisitAssignment.objects.values("visit_id")
        ).count(),
        "notes": Note.objects.filter(client__team__in=teams).count(),
        "changes in the feed": Change.objects.filter(team__in=teams).count(),
    }


def build_demo_world(
    *, now: dt.datetime | None = None, seed: int = SEED, span_days: int = SPAN_DAYS
) -> DemoSummary:
    """Create the demo world, or do nothing when it is already there. Its rota reaches
    `span_days` back and ahead of `now` (whole weeks); tests may ask for less, to be quick."""
    sign_ins = tuple((demo_email(local), who) for local, who in SIGN_INS)
    # One transaction: a half-built world would pass the "already loaded" check and stay broken.
    # One scope, as in a request: each actor's teams are read once for the services' thousands
    # of membership checks, and read again after any membership or grant is saved.
    with changes.events_coalesced(), transaction.atomic(), access.request_scope():
        if demo_already_loaded():
            return DemoSummary(created=False, counts={}, sign_ins=sign_ins)
        moment = now or timezone.now()
        ctx = Context(
            rng=random.Random(seed),
            now=moment,
            password_hash=make_password(DEMO_PASSWORD),
            clock=Clock(moment),
            span_days=span_days,
        )
        # Every write goes through the services, each at its moment on the simulated clock.
        with simulated(ctx.clock):
            people = build_people(ctx)
            for world in people.teams:
                # A stream of its own per team: one team's week (which depends on today) cannot
                # shift the other team's clients and plans.
                ctx = replace(ctx, rng=random.Random(f"{seed}:{world.spec.key}"))
                caseload = build_caseload(ctx, people, world)
                family_client = None
                if world.spec.key == "riverside":
                    family_client = caseload.clients[0]
                    grant_family_access(ctx, people, world, family_client)
                build_doorstep(ctx, world, caseload)
                week = build_week(ctx, world, caseload)
                build_notes(ctx, world, caseload, week, family_client)
                build_rounds(ctx, world, caseload)
                build_teamwork(ctx, world)
                build_messages(ctx, people, world, caseload, week, family_client)
                build_medicines(ctx, world, caseload, week)
        return DemoSummary(created=True, counts=_counts(), sign_ins=sign_ins)
