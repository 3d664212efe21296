"""The tablet app's kinds of record in the registry (careteams.registry)."""

from careteams import registry
from tablet.models import HeldItem

registry.register(
    registry.Entity(
        name="held_item",
        plan_input=False,
        model=HeldItem,
        team_of=lambda obj: obj.team,
        # Open pages hear that an item arrived or was reviewed; what it says (a check-in's
        # location, say) stays on the server, read on the team's page.
        server_only=frozenset({"payload"}),
    )
)
