from allauth.account.views import LogoutView
from django.urls import path

from accounts import views

urlpatterns = [
    # Sign-in and sign-out keep the names the rest of the project uses ("login", "logout").
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("language/", views.language_set, name="language-set"),
    path("accounts/security/", views.security, name="account-security"),
    path(
        "accounts/security/sign-out-other-devices/",
        views.sign_out_other_devices,
        name="sign-out-other-devices",
    ),
    path(
        "accounts/security/devices/<uuid:device_id>/sign-out/",
        views.device_sign_out,
        name="device-sign-out",
    ),
    path("accounts/join/<str:token>/", views.team_invitation, name="team-invitation"),
    path("accounts/sign-up/family/<str:token>/", views.family_sign_up, name="family-sign-up"),
    path("teams/<uuid:team_id>/invite/", views.team_invite, name="team-invite"),
]
