"""The flush after a test that commits (tests/conftest.py): every table empty but the content
types and permissions, which stay as `post_migrate` would make them, and the feed incarnation."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careteams.models import FeedIncarnation
from tests.conftest import Cast

KEPT = {ContentType, Permission, FeedIncarnation}


@pytest.mark.django_db(transaction=True)
def test_the_flush_empties_every_table_a_test_filled_and_keeps_the_reference_rows(
    cast: Cast,
) -> None:
    types, permissions = ContentType.objects.count(), Permission.objects.count()
    with CaptureQueriesContext(connection) as queries:
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    filled = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model not in KEPT and model._default_manager.exists()
    }
    assert filled == {}
    assert FeedIncarnation.objects.filter(pk=1).exists()
    # Every model has its content type and permissions, as after a migration.
    assert (ContentType.objects.count(), Permission.objects.count()) == (types, permissions)
    assert types >= len(apps.get_models())
    if connection.vendor == "postgresql":
        assert not [q for q in queries.captured_queries if q["sql"].startswith("TRUNCATE")]
