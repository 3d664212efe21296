from django.urls import URLPattern, path

from medicines import views_mar

app_name = "mar"

C = "clients/<uuid:client_id>/mar/"

urlpatterns: list[URLPattern] = [
    path(C, views_mar.mar_now, name="now"),
    path(f"{C}month/<day:day>/", views_mar.mar_month, name="month"),
    path(f"{C}week/<day:day>/", views_mar.mar_week, name="week"),
    path(f"{C}month/<day:day>/mar.pdf", views_mar.mar_month_pdf, name="month-pdf"),
    path(f"{C}month/<day:day>/blank-mar.pdf", views_mar.mar_blank_pdf, name="blank-pdf"),
    path(
        "family/clients/<uuid:client_id>/medicines/",
        views_mar.family_medicines,
        name="family-medicines",
    ),
]
