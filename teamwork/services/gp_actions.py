"""Tell the GP (issue 25): three refusals in a row of a client's medicine raise an action for
the team, stored with the team's other actions so a member takes it and marks it done.

Medicines may not import teamwork (pyproject.toml's layers): it announces every dose record it
writes through `medicines.hooks`, and `dose_written`, registered from teamwork's `ready()`, keeps
the line's actions in step inside the record's transaction. The live event follows the commit
through the change feed, as for every write.

One action per run of refusals: a run is covered once any action (open, done or withdrawn) is
anchored on one of its doses, so a fourth refusal, a record sent again by a tablet or a page
posted twice raises nothing more. A record that breaks a run (a correction from "refused" to
"given", a late record of a dose in the middle) withdraws the run's open action with the reason,
on the actions list; if the run comes back (the correction corrected again), so does the action.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import changes, versioning
from careteams.models import User
from medicines.models import DoseRecord, MedicineLine
from medicines.visit_missed import REFUSALS_IN_A_ROW, line_outcomes, refusal_runs
from medicines.vocabulary import LineStatus
from teamwork.models import ACTION_MAX, ActionItem


def dose_written(record: DoseRecord, actor: User) -> None:
    """The hook: called by medicines inside the transaction that wrote `record`."""
    line = record.line
    if line.prn:  # refusing a when-required dose is the client's choice, not a run
        return
    records = line_outcomes(line=line, now=timezone.now())
    runs = refusal_runs(records)
    # An action whose dose is older than the records read is left as it is: nothing read
    # says its run was broken.
    broken = {r.due_at for r in records} - {r.due_at for run in runs for r in run}
    actions = list(ActionItem.objects.select_for_update().filter(medicine_line=line))
    for action in actions:
        if action.is_open and action.dose_due_at in broken:
            _withdraw(action, record, actor)
    for run in runs:
        run_dues = {r.due_at for r in run}
        covering = [a for a in actions if a.dose_due_at in run_dues]
        for action in covering:
            if action.withdrawn_at is not None and action.done_at is None:
                _reopen(action, actor)
        if not covering and (third := _third_refusal(line, run)):
            _raise(line, third, actor)


def _third_refusal(line: MedicineLine, run: list[DoseRecord]) -> DoseRecord | None:
    """The run's third refusal since the line last changed, if any: a change is the
    prescriber's answer (or a new prescription), so the refusals before it do not count."""
    since_change = [r for r in run if r.recorded_at > line.changed_at]
    if line.status != LineStatus.ACTIVE or len(since_change) < REFUSALS_IN_A_ROW:
        return None
    return since_change[REFUSALS_IN_A_ROW - 1]


def _raise(line: MedicineLine, third: DoseRecord, actor: User) -> None:
    team = line.client.team
    text = _("Tell the GP: %(client)s refused %(medicine)s three times in a row") % {
        "client": line.client.full_name,
        "medicine": f"{line.name} {line.strength}".strip(),
    }
    action = ActionItem.objects.create(
        team=team,
        text=text[:ACTION_MAX],
        due_on=timezone.now().astimezone(team.zone).date(),
        created_by=actor,
        medicine_line=line,
        dose_due_at=third.due_at,
    )
    changes.record(team=team, entity="action_item", obj=action, actor=actor)


def _withdraw(action: ActionItem, record: DoseRecord, actor: User) -> None:
    when = (record.due_at or record.taken_at).astimezone(action.team.zone)
    reason = _(
        "Withdrawn: %(who)s recorded the dose of %(when)s as “%(outcome)s”, so the refusals "
        "are no longer three in a row."
    ) % {
        "who": actor.get_full_name() or actor.get_username(),
        "when": when.strftime("%a %d %b %H:%M"),
        "outcome": record.get_outcome_display(),
    }
    action.withdrawn_at = timezone.now()
    action.withdrawn_reason = reason[:ACTION_MAX]
    versioning.versioned_save(
        action,
        entity="action_item",
        actor=actor,
        update_fields=["withdrawn_at", "withdrawn_reason"],
    )


def _reopen(action: ActionItem, actor: User) -> None:
    action.withdrawn_at = None
    action.withdrawn_reason = ""
    versioning.versioned_save(
        action,
        entity="action_item",
        actor=actor,
        update_fields=["withdrawn_at", "withdrawn_reason"],
    )
