"""Schedules keep their dates, time-critical flag and visit part; checks are rows of their own."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    """The schedules made before this migration take their line's dates, flag and part (the
    best known: until now the current line's were read for every day), and a check of its own
    for each one checked, naming whoever checked the line when it is that check."""
    schedule_model = apps.get_model("medicines", "LineSchedule")
    check_model = apps.get_model("medicines", "LineScheduleCheck")
    for schedule in schedule_model.objects.select_related("line").order_by("in_force_from"):
        line = schedule.line
        schedule.starts_on = line.starts_on
        schedule.stops_on = line.stops_on
        schedule.time_critical = line.time_critical
        schedule.save(update_fields=["starts_on", "stops_on", "time_critical"])
        if schedule.checked_at is not None:
            check_model.objects.create(
                schedule_id=schedule.pk,
                team_id=schedule.team_id,
                checked_at=schedule.checked_at,
                checked_by_id=(
                    line.checked_by_id if line.checked_at == schedule.checked_at else None
                ),
            )


class Migration(migrations.Migration):

    dependencies = [
        ('careteams', '0006_team_managed_by_role'),
        ('clients', '0011_note_visit_id'),
        ('medicines', '0004_line_schedules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LineScheduleCheck',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('checked_at', models.DateTimeField()),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.RemoveConstraint(
            model_name='medicineline',
            name='medicine_line_choices_are_choices',
        ),
        migrations.AddField(
            model_name='lineschedule',
            name='starts_on',
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name='lineschedule',
            name='stops_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='lineschedule',
            name='time_critical',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='lineschedule',
            name='visit_part',
            field=models.CharField(blank=True, choices=[('morning', 'Morning visit'), ('lunchtime', 'Lunchtime visit'), ('teatime', 'Teatime visit'), ('bedtime', 'Bedtime visit')], max_length=10),
        ),
        migrations.AddField(
            model_name='medicineline',
            name='visit_part',
            field=models.CharField(blank=True, choices=[('morning', 'Morning visit'), ('lunchtime', 'Lunchtime visit'), ('teatime', 'Teatime visit'), ('bedtime', 'Bedtime visit')], help_text="Given with the client's visit of this part of the day, not at clock times.", max_length=10, verbose_name='with the visit of'),
        ),
        migrations.AddField(
            model_name='lineschedulecheck',
            name='checked_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='lineschedulecheck',
            name='schedule',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='checks', to='medicines.lineschedule'),
        ),
        migrations.AddConstraint(
            model_name='lineschedulecheck',
            constraint=models.UniqueConstraint(fields=('schedule',), name='line_schedule_checked_once'),
        ),
        migrations.AddField(
            model_name='lineschedulecheck',
            name='team',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='careteams.team'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='lineschedule',
            name='checked_at',
        ),
        migrations.AlterField(
            model_name='lineschedule',
            name='starts_on',
            field=models.DateField(),
        ),
        migrations.AddConstraint(
            model_name='lineschedule',
            constraint=models.CheckConstraint(condition=models.Q(('visit_part__in', ['morning', 'lunchtime', 'teatime', 'bedtime', ''])), name='line_schedule_visit_part_is_a_choice'),
        ),
        migrations.AddConstraint(
            model_name='medicineline',
            constraint=models.CheckConstraint(condition=models.Q(('form__in', ['tablet', 'capsule', 'liquid', 'dispersible', 'cream', 'patch', 'inhaler', 'drops', 'spray', 'injection', 'suppository', 'powder', 'other']), ('route__in', ['oral', 'sublingual', 'topical', 'transdermal', 'inhaled', 'eye', 'ear', 'nasal', 'subcutaneous', 'intramuscular', 'rectal', 'vaginal', 'enteral', 'other']), ('dmd_kind__in', ['', 'vmp', 'amp']), ('food__in', ['', 'with', 'without']), ('support__in', ['prompt', 'assist', 'administer']), ('supply__in', ['blister', 'original']), ('cd_schedule__in', ['', '2', '3', '4', '5']), ('source__in', ['gp_letter', 'discharge_letter', 'pharmacy', 'typed']), ('status__in', ['active', 'stopped']), ('visit_part__in', ['morning', 'lunchtime', 'teatime', 'bedtime', ''])), name='medicine_line_choices_are_choices'),
        ),
    ]
