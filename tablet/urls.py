from django.urls import path

from tablet import views

app_name = "tablet"

urlpatterns = [
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("tablet/offline/", views.offline, name="offline"),
    # The offline page and the words of the tablet's page scripts (gettext, ngettext) in each
    # language, named in the address: precached with the shell, one per language.
    path("tablet/offline/<str:language>/", views.offline, name="offline-in"),
    path("tablet/jsi18n/<str:language>/", views.catalogue, name="jsi18n"),
    path("tablet/teams/<uuid:team_id>/bundle.json", views.bundle, name="bundle"),
    path("teams/<uuid:team_id>/late-notes/", views.late_notes, name="late-notes"),
    path(
        "teams/<uuid:team_id>/late-notes/held/<uuid:held_id>/review/",
        views.held_review,
        name="held-review",
    ),
]
