"""Reads for the rota pages, always starting from careteams.access's scoped querysets."""

from careteams.models import Team
from careteams.selectors import team_for_member, team_members
from scheduling.selectors.doorstep import DoorstepCard, MapLinks, doorstep_card, map_links
from scheduling.selectors.people import (
    MemberFigures,
    MyDay,
    Offers,
    TeamFigures,
    my_day,
    swap_offers,
    team_figures,
)
from scheduling.selectors.records import (
    absence_get,
    clients_of_team,
    member_of_team,
    pattern_get,
    patterns_of_team,
    plan_run_get,
    rota_week_get,
    shift_get,
    visit_get,
    visit_to_change,
)
from scheduling.selectors.week import (
    membership_in,
    team_for_reader,
    week_board,
    week_from_text,
)
from scheduling.selectors.week_board_shapes import WeekBoard
from scheduling.selectors.week_load import WeekRows, member_name, plan_of, week_rows
from scheduling.selectors.week_row import visit_row
from scheduling.selectors.working_time import DayTravel, TravelLeg, day_travel, member_day_travel

__all__ = [
    "DayTravel",
    "DoorstepCard",
    "MapLinks",
    "MemberFigures",
    "MyDay",
    "Offers",
    "Team",
    "TeamFigures",
    "TravelLeg",
    "WeekBoard",
    "WeekRows",
    "absence_get",
    "clients_of_team",
    "day_travel",
    "doorstep_card",
    "map_links",
    "member_day_travel",
    "member_name",
    "member_of_team",
    "membership_in",
    "my_day",
    "pattern_get",
    "patterns_of_team",
    "plan_of",
    "plan_run_get",
    "rota_week_get",
    "shift_get",
    "swap_offers",
    "team_figures",
    "team_for_member",
    "team_for_reader",
    "team_members",
    "visit_get",
    "visit_row",
    "visit_to_change",
    "week_board",
    "week_from_text",
    "week_rows",
]
