from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from careteams import views
from careteams.forms import SignInForm

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
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("mobile_api.urls")),
    path("", include("scheduling.urls")),
    path("", include("clients.urls")),
    path("admin/", admin.site.urls),
]
