"""Who may read the medicines record: the client's team, through the clients they may see in
full (clients/access.py). Coaches see none of it; the family's plain MAR is scoped by its own
page."""

from django.db.models import QuerySet

from careteams.access import AnyUser, member_scope
from medicines.models import DoseRecord, MedicineLine, StockEvent


def lines_visible_to(user: AnyUser) -> QuerySet[MedicineLine]:
    return MedicineLine.objects.filter(team_id__in=member_scope(user))


def doses_visible_to(user: AnyUser) -> QuerySet[DoseRecord]:
    return DoseRecord.objects.filter(team_id__in=member_scope(user))


def stock_visible_to(user: AnyUser) -> QuerySet[StockEvent]:
    return StockEvent.objects.filter(team_id__in=member_scope(user))
