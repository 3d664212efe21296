from django.urls import path
from django.views.i18n import JavaScriptCatalog

from tablet import views

app_name = "tablet"

urlpatterns = [
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("tablet/offline/", views.offline, name="offline"),
    # The words of the tablet's page scripts (gettext, ngettext), precached with the shell.
    path("tablet/jsi18n/", JavaScriptCatalog.as_view(packages=["tablet"]), name="jsi18n"),
    path("tablet/teams/<uuid:team_id>/bundle.json", views.bundle, name="bundle"),
    path("teams/<uuid:team_id>/late-notes/", views.late_notes, name="late-notes"),
    path(
        "teams/<uuid:team_id>/late-notes/held/<uuid:held_id>/review/",
        views.held_review,
        name="held-review",
    ),
]
