from django.urls import path

from sharing.views import calendar

app_name = "sharing"

urlpatterns = [
    path("accounts/security/calendar/", calendar.calendar_address, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
