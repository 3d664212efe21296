from django.contrib import admin
from django.urls import include, path

from careteams import views

# A database fault outside a view is a 503, not a 500 (careteams/faults.py).
handler500 = "careteams.faults.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<uuid:team_id>/", views.team_home, name="team-home"),
    path(
        "teams/<uuid:team_id>/members/<uuid:membership_id>/leave/",
        views.membership_end,
        name="membership-end",
    ),
    path("coaching/", views.coach_home, name="coach-home"),
    path("family/", views.family_home, name="family-home"),
    path("healthz", views.healthz, name="healthz"),
    # Accounts: our pages first (sign-in, invitations, security), then allauth's (password
    # reset and change, two-factor under /accounts/2fa/).
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", include("mobile_api.urls")),
    path("", include("tablet.urls")),
    path("", include("scheduling.urls")),
    path("", include("clients.urls")),
    path("", include("teamwork.urls")),
    path("", include("messaging.urls")),
    path("", include("medicines.urls")),
    path("", include("medicines.visit_urls")),
    path("", include("medicines.urls_mar")),
    path("admin/", admin.site.urls),
]
