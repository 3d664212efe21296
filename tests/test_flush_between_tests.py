"""The flush after a test that commits (tests/conftest.py) survives a late write: a browser
test's live server can still log a read after the guarded tables were purged."""

import pytest
from django.core.management import call_command
from django.db.backends.base.base import BaseDatabaseWrapper

from careteams.models import AccessEvent, FeedIncarnation, User
from tests import conftest
from tests.conftest import Cast


@pytest.mark.django_db(transaction=True)
def test_a_late_write_between_the_purge_and_the_flush_is_purged_again(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard refuses the flush when a read is logged after the purge: the flush purges and
    tries again instead of failing (and leaving this test's rows to the next)."""
    purges: list[int] = []
    purge = conftest._purge_guarded

    def purge_then_a_late_read(database: BaseDatabaseWrapper) -> None:
        purge(database)
        purges.append(1)
        if len(purges) == 1:
            AccessEvent.objects.create(
                user=cast.nurse, client_id=cast.client.pk, team=cast.team, what="record"
            )

    monkeypatch.setattr(conftest, "_purge_guarded", purge_then_a_late_read)
    call_command("flush", interactive=False, verbosity=0)
    assert len(purges) == 2
    assert not AccessEvent.objects.exists()
    assert not User.objects.exists()
    assert FeedIncarnation.objects.filter(pk=1).exists()
