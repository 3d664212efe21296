"""Where a carer's working day starts and ends (issue 27): home, for most of them.

The planner counts the travel from it to the day's first visit and back from the last, as working
time. It is the person's own: set and seen only by them, used by the planner on the server, never
in the change feed, the API or anyone else's page. Registered by scheduling/models.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class StartPoint(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="start_point",
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90)
                & Q(latitude__lte=90)
                & Q(longitude__gte=-180)
                & Q(longitude__lte=180),
                name="start_point_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return f"Start point of {self.user}"
