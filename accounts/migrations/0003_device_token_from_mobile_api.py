# DeviceToken moves from mobile_api to accounts (it is an account credential) with its rows:
# the table keeps its name, so this changes Django's state only and no row is copied.
# mobile_api.0004 removes the model from mobile_api's state after this one.

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_sign_in_lockout"),
        # The table, with every column, exists before accounts takes it over.
        ("mobile_api", "0003_mutation_status_held"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DeviceToken",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                help_text="The device's name, as the user gave it.",
                                max_length=100,
                            ),
                        ),
                        ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("last_used_ip", models.GenericIPAddressField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "with_second_factor",
                            models.BooleanField(
                                default=False,
                                help_text="Issued after a two-factor code, not the password alone.",
                            ),
                        ),
                        (
                            "password_stamp",
                            models.CharField(blank=True, editable=False, max_length=128),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="device_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "mobile_api_devicetoken",
                        "ordering": ("-created_at",),
                        "indexes": [
                            models.Index(fields=["user", "created_at"], name="device_token_user")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
