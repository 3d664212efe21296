"""What every client write shares: checks on the people and the text involved."""

import uuid

from django.utils.translation import gettext_lazy

from careteams import access, limits
from careteams.errors import DomainError
from careteams.models import Membership, Team, User

NOT_A_MEMBER = gettext_lazy("Choose a current member of this team.")


def require_member(*, team: Team, member: Membership | None, field: str) -> None:
    """A forged id of another team's member gets the same answer as a stale choice."""
    if member is not None and (member.team_id != team.id or member.ended_at is not None):
        raise DomainError(str(NOT_A_MEMBER), field=field)


def require_writer(*, actor: User, team_id: uuid.UUID) -> None:
    """The actor must be a member of the client's team, whoever called the service: another
    team's record does not exist for them (NotFound, as on the pages)."""
    access.require_member_of(actor, team_id)


def require_length(text: str, limit: int, *, field: str) -> None:
    if len(text) > limit:
        raise DomainError(limits.too_long(limit), field=field)
