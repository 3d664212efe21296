"""Teams and memberships in the entity registry (see careteams.registry)."""

from typing import Any

from careteams import registry, services
from careteams.models import Membership, Team, User

MEMBER_FIELDS = ("role", "skills", "contracted_hours", "team_roles")
TEAM_FIELDS = (
    "name",
    "timezone",
    "holiday_country",
    "holiday_subdivision",
    "continuity_limit",
    "managed_by_role",
)


def _team_details(team: Team) -> services.TeamDetails:
    return services.team_details_of(team)


def _team_create(team: Team, actor: User) -> Team:
    return services.team_create(details=_team_details(team), actor=actor)


def _team_update(team: Team, version: int, actor: User) -> Team:
    return services.team_update(
        team=team, version=version, details=_team_details(team), actor=actor
    )


def _membership_details(membership: Membership) -> services.MembershipDetails:
    return services.MembershipDetails(
        role=membership.role,
        contracted_hours=membership.contracted_hours,
        skills=list(membership.skills),
        team_roles=list(membership.team_roles),
    )


def _membership_create(membership: Membership, actor: User) -> Membership:
    return services.membership_create(
        team=membership.team,
        user=membership.user,
        details=_membership_details(membership),
        actor=actor,
    )


def _membership_update(membership: Membership, version: int, actor: User) -> Membership:
    return services.membership_update(
        membership=membership,
        version=version,
        details=_membership_details(membership),
        actor=actor,
    )


def _membership_end(membership: Membership, version: int, actor: User) -> None:
    """A membership is never deleted: a leaver's membership ends (and their sockets close)."""
    services.membership_end(membership=membership, version=version, actor=actor)


def _itself(obj: Any) -> Any:
    return obj


def _team(obj: Any) -> Any:
    return obj.team


registry.register(
    registry.Entity(
        name="team",
        model=Team,
        team_of=_itself,
        # The feed's own counters, moved by changes: not the team's data.
        server_only=frozenset({"last_change_seq", "plan_seq"}),
        coach=registry.ALL_FIELDS,
        create=_team_create,
        update=_team_update,
        inputs=TEAM_FIELDS,
        changeable=TEAM_FIELDS,
    )
)
registry.register(
    registry.Entity(
        name="membership",
        model=Membership,
        team_of=_team,
        coach=registry.ALL_FIELDS,
        create=_membership_create,
        update=_membership_update,
        delete=_membership_end,
        inputs=("user", "team", *MEMBER_FIELDS),
        changeable=MEMBER_FIELDS,
        ends_instead="End the chosen memberships (the leavers' sockets close)",
    )
)
