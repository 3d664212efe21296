from django.urls import path

from tablet import views

app_name = "tablet"

urlpatterns = [
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("tablet/offline/", views.offline, name="offline"),
    path("tablet/teams/<uuid:team_id>/keep.json", views.keep, name="keep"),
]
