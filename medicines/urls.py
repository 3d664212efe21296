from django.urls import path

from medicines import views

app_name = "medicines"

LINE = "clients/<uuid:client_id>/medicines/<uuid:line_id>/"

urlpatterns = [
    path("clients/<uuid:client_id>/medicines/", views.medicines_list, name="list"),
    path("clients/<uuid:client_id>/medicines/add/", views.line_add, name="line-add"),
    path(LINE, views.line_detail, name="line"),
    path(LINE + "check/", views.line_check, name="line-check"),
    path(LINE + "change/", views.line_change, name="line-change"),
    path(LINE + "stop/", views.line_stop, name="line-stop"),
    path(LINE + "stock/", views.stock_add, name="stock-add"),
    path("teams/<uuid:team_id>/settings/medicines/", views.policy, name="policy"),
]
