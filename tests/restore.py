"""Restoring a backup, as the feed sees it: for the restore-safe cursor tests."""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from careteams import changes
from careteams.models import Change, Team
from clients import db_guards
from scheduling.models import Shift
from tests.conftest import Cast


def write_shifts(cast: Cast, n: int) -> None:
    """Someone else's writes: n shifts, each one change in the team's feed."""
    for _ in range(n):
        with transaction.atomic():
            start = timezone.now() + dt.timedelta(days=Shift.objects.count() + 1)
            shift = Shift.objects.create(
                team=cast.team,
                member=cast.nurse_membership,
                start=start,
                end=start + dt.timedelta(hours=7),
            )
            changes.record(team=cast.team, entity="shift", obj=shift, actor=cast.nurse)


def restore_backup_taken_at(team: Team, seq: int) -> None:
    """What restoring a backup taken when the team's head was `seq` does to its feed: the
    later changes (and the shifts they recorded) are gone and the head is back at `seq`."""
    later = Change.objects.filter(team=team, seq__gt=seq)
    Shift.objects.filter(id__in=later.filter(entity="shift").values("entity_id")).delete()
    # The feed is append-only for the application; a restore replaces the table wholesale, so
    # the guard is lifted for this moment only, as a restore would not meet it.
    vendor = connection.vendor
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in db_guards.drop_statements(vendor):
            cursor.execute(sql)
        later.delete()
        for sql in db_guards.create_statements(vendor):
            cursor.execute(sql)
    Team.objects.filter(pk=team.pk).update(last_change_seq=seq)
