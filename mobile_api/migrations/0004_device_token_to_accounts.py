# DeviceToken now belongs to accounts (accounts.0003): forget it here in state only, so the
# table and its rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mobile_api", "0003_mutation_status_held"),
        ("accounts", "0003_device_token_from_mobile_api"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DeviceToken")],
            database_operations=[],
        ),
    ]
