from django.urls import path
from django.views.i18n import JavaScriptCatalog

from scheduling.views import (
    card,
    grid,
    people,
    planning,
    publish,
    shifts,
    start_point,
    team_day,
    visits,
    week,
)

app_name = "scheduling"

T = "teams/<uuid:team_id>/"

urlpatterns = [
    # The words of the week board's scripts (grid.js: gettext), in the reader's language. Its
    # own address on this site, loaded with the page's nonce: the CSP needs nothing more.
    path(
        "scheduling/jsi18n/",
        JavaScriptCatalog.as_view(packages=["scheduling"]),
        name="jsi18n",
    ),
    # The signed-in person's own: no team in the address, nobody else's to ask for.
    path("me/start-point/", start_point.start_point, name="start-point"),
    path("me/start-point/forget/", start_point.start_point_forget, name="start-point-forget"),
    path(f"{T}week/", week.week_current, name="week-current"),
    path(f"{T}week/<day:week>/", week.week, name="week"),
    path(f"{T}week/<day:week>/generate/", week.week_generate, name="week-generate"),
    path(f"{T}week/<day:week>/copy-shifts/", week.week_copy_shifts, name="week-copy-shifts"),
    path(f"{T}week/<day:week>/publish/", publish.week_publish, name="week-publish"),
    path(f"{T}week/<day:week>/assign/", week.week_assign, name="week-assign"),
    path(f"{T}week/<day:week>/rows/<uuid:visit_id>/", week.visit_row, name="visit-row"),
    path(f"{T}week/<day:week>/grid/move/", grid.grid_move, name="grid-move"),
    path(f"{T}week/<day:week>/grid/hints/<uuid:visit_id>/", grid.grid_hints, name="grid-hints"),
    path(f"{T}week/<day:week>/suggest/", planning.plan_start, name="plan-start"),
    path(f"{T}plan-runs/<uuid:run_id>/stop/", planning.plan_stop, name="plan-stop"),
    path(f"{T}plan-runs/<uuid:run_id>/accept/", planning.plan_accept, name="plan-accept"),
    path(f"{T}plan-runs/<uuid:run_id>/dismiss/", planning.plan_dismiss, name="plan-dismiss"),
    path(f"{T}week/<day:week>/rota.pdf", people.week_pdf, name="week-pdf"),
    path(
        f"{T}week/<day:week>/members/<uuid:member_id>.pdf",
        people.member_week_pdf,
        name="member-week-pdf",
    ),
    path(
        f"{T}week/<day:week>/members/<uuid:member_id>/run-sheet.pdf",
        people.member_run_sheet_pdf,
        name="member-run-sheet-pdf",
    ),
    path(f"{T}shifts/new/", shifts.shift_new, name="shift-new"),
    path(f"{T}shifts/<uuid:shift_id>/", shifts.shift_edit, name="shift-edit"),
    path(f"{T}shifts/<uuid:shift_id>/delete/", shifts.shift_delete, name="shift-delete"),
    path(f"{T}shifts/<uuid:shift_id>/offer/", shifts.shift_offer, name="shift-offer"),
    path(f"{T}absences/new/", shifts.absence_new, name="absence-new"),
    path(f"{T}absences/<uuid:absence_id>/", shifts.absence_edit, name="absence-edit"),
    path(f"{T}absences/<uuid:absence_id>/delete/", shifts.absence_delete, name="absence-delete"),
    path(f"{T}visits/new/", visits.visit_new, name="visit-new"),
    path(f"{T}visits/<uuid:visit_id>/", visits.visit, name="visit"),
    path(f"{T}visits/<uuid:visit_id>/assign/", visits.visit_assign, name="visit-assign"),
    path(f"{T}visits/<uuid:visit_id>/unassign/", visits.visit_unassign, name="visit-unassign"),
    path(f"{T}visits/<uuid:visit_id>/cancel/", visits.visit_cancel, name="visit-cancel"),
    path(f"{T}visits/<uuid:visit_id>/offer/", visits.visit_offer, name="visit-offer"),
    path(f"{T}visits/<uuid:visit_id>/card/", card.visit_card, name="visit-card"),
    path(f"{T}visits/<uuid:visit_id>/check-in/", card.visit_check_in, name="visit-check-in"),
    path(
        f"{T}visits/<uuid:visit_id>/check-in/withdraw/",
        card.visit_check_in_withdraw,
        name="visit-check-in-withdraw",
    ),
    path(f"{T}visits/<uuid:visit_id>/tasks/", card.visit_task, name="visit-task"),
    path(f"{T}visits/<uuid:visit_id>/check-out/", card.visit_check_out, name="visit-check-out"),
    path(f"{T}patterns/", visits.patterns, name="patterns"),
    path(f"{T}patterns/new/", visits.pattern_new, name="pattern-new"),
    path(f"{T}patterns/<uuid:pattern_id>/", visits.pattern_edit, name="pattern-edit"),
    path(f"{T}today/", people.my_day, name="my-day"),
    path(f"{T}team-today/", team_day.team_today, name="team-today"),
    path(f"{T}visits/<uuid:visit_id>/missed/", team_day.visit_missed, name="visit-missed"),
    path(f"{T}notices/seen/", people.notices_seen, name="notices-seen"),
    path(f"{T}notices/<uuid:notice_id>/seen/", people.notice_seen, name="notice-seen"),
    path(f"{T}swaps/", people.swaps, name="swaps"),
    path(f"{T}swaps/<uuid:offer_id>/take/", people.swap_take, name="swap-take"),
    path(f"{T}swaps/<uuid:offer_id>/withdraw/", people.swap_withdraw, name="swap-withdraw"),
    path(f"{T}figures/", people.figures, name="figures"),
]
