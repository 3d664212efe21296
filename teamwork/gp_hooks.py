"""What teamwork adds to the apps below it: the action to tell the GP, raised by a medicine's
third refusal in a row (medicines.hooks) and shown on Team today until done (scheduling.hooks),
registered from the app's ready()."""

from careteams import timeutil
from medicines import hooks as medicine_hooks
from scheduling import hooks as day_hooks
from teamwork.selectors.meetings import gp_actions_open
from teamwork.services.gp_actions import dose_written


def day_sections(ask: day_hooks.DayAsk) -> list[day_hooks.DaySection]:
    """Team today only: My day lists an action once its owner has taken it."""
    if ask.member is not None:
        return []
    context = {
        "actions": gp_actions_open(team=ask.team),
        "team": ask.team,
        "today": timeutil.local_today(ask.team.zone),
    }
    return [day_hooks.DaySection("teamwork/day_gp_actions.html", context, ("action_item",))]


def install() -> None:
    medicine_hooks.register_dose_written(dose_written)
    day_hooks.register_day_sections(day_sections)
