from django.urls import path

from teamwork.views import figures, help, meetings, team

app_name = "teamwork"
T = "teams/<uuid:team_id>/"

urlpatterns = [
    path(f"{T}settings/", team.team_settings, name="team-settings"),
    path(f"{T}members/", team.members, name="members"),
    path(f"{T}members/<uuid:membership_id>/edit/", team.member_edit, name="member-edit"),
    path(f"{T}roles/", team.roles, name="roles"),
    path(f"{T}roles/<uuid:term_id>/end/", team.role_term_end, name="role-term-end"),
    path(f"{T}history/", team.history, name="history"),
    path(f"{T}meetings/", meetings.meetings, name="meetings"),
    path(f"{T}meetings/<uuid:meeting_id>/", meetings.meeting, name="meeting"),
    path(f"{T}agenda/<uuid:item_id>/decide/", meetings.item_decide, name="item-decide"),
    path(f"{T}decisions/", meetings.decisions, name="decisions"),
    path(f"{T}decisions/<uuid:decision_id>/", meetings.decision, name="decision"),
    path(
        f"{T}decisions/<uuid:decision_id>/change/",
        meetings.decision_change,
        name="decision-change",
    ),
    path(f"{T}actions/", meetings.actions, name="actions"),
    path(f"{T}actions/<uuid:action_id>/take/", meetings.action_take, name="action-take"),
    path(f"{T}actions/<uuid:action_id>/done/", meetings.action_done, name="action-done"),
    path(f"{T}trends/", figures.trends, name="trends"),
    path(f"{T}trends.csv", figures.trends_csv, name="trends-csv"),
    path(f"{T}help/", help.team_help, name="help"),
    path("coaching/help/<uuid:request_id>/", help.coach_answer, name="coach-answer"),
]
