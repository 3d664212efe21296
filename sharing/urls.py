from django.urls import path

from sharing.views import calendar, figures, own_copy

app_name = "sharing"

urlpatterns = [
    path("accounts/security/calendar/", calendar.calendar_address, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
    path(
        "teams/<uuid:team_id>/figures/commissioners.json",
        figures.commissioner_json,
        name="commissioner-json",
    ),
    path(
        "teams/<uuid:team_id>/figures/commissioners.csv",
        figures.commissioner_csv,
        name="commissioner-csv",
    ),
    path("clients/<uuid:client_id>/own-copy/", own_copy.own_copy, name="own-copy"),
    path(
        "clients/<uuid:client_id>/own-copy/produce/",
        own_copy.own_copy_produce,
        name="own-copy-produce",
    ),
]
