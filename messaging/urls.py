from django.urls import URLPattern, path

from messaging import views

app_name = "messaging"

T = "teams/<uuid:team_id>/"
C = "clients/<uuid:client_id>/"

urlpatterns: list[URLPattern] = [
    path(f"{T}messages/", views.channel_list, name="channels"),
    path(f"{T}messages/team/", views.team_channel, name="team-channel"),
    path(f"{T}messages/team/items/", views.team_items, name="team-items"),
    path(f"{T}messages/unread/", views.unread_badge, name="unread"),
    path(f"{T}handovers/new/", views.handover_new, name="handover-new"),
    path(f"{T}handovers/mine/", views.my_handovers_part, name="my-handovers"),
    path(f"{C}messages/", views.client_channel, name="client-channel"),
    path(f"{C}messages/items/", views.client_items, name="client-items"),
    path(f"{C}handovers/new/", views.client_handover_new, name="client-handover-new"),
    path("family/clients/<uuid:client_id>/messages/", views.family_items, name="family-items"),
    path("handovers/<uuid:handover_id>/read/", views.handover_read, name="handover-read"),
]
