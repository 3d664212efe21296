"""The visit card's medicines (medicines/views_visit.py), under the visit's address."""

from django.urls import path

from medicines import views_visit

app_name = "medicines_visit"

V = "teams/<uuid:team_id>/visits/<uuid:visit_id>/doses/"

urlpatterns = [
    path(V, views_visit.visit_doses, name="doses"),
    path(f"{V}record/", views_visit.dose_outcome, name="dose-outcome"),
    path(f"{V}correct/", views_visit.dose_fix, name="dose-correct"),
    path(f"{V}prn/", views_visit.prn_give, name="prn-give"),
    path(f"{V}worked/", views_visit.prn_worked, name="prn-worked"),
]
