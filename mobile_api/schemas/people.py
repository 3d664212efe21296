"""Sign-in, devices and the signed-in person."""

import datetime as dt
import uuid

from ninja import Field, Schema

from mobile_api.schemas.types import Text


class SignIn(Schema):
    email: Text = Field(max_length=254)
    password: Text = Field(max_length=200)
    device_name: Text = Field(min_length=1, max_length=100, description="E.g. 'Siân's tablet'.")
    code: Text = Field(
        "",
        max_length=20,
        description="The six-digit code of the authenticator app, or a recovery code, when the "
        "account has two-factor authentication.",
    )


class UserOut(Schema):
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str


class DeviceOut(Schema):
    id: uuid.UUID
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime = Field(
        description="When the token ends unless used again (idle) or at the latest (absolute)."
    )
    current: bool = Field(False, description="The token this request was made with.")


class SignedIn(Schema):
    token: str = Field(description="Shown once: send as 'Authorization: Bearer <token>'.")
    device: DeviceOut
    user: UserOut


class SocketTicket(Schema):
    ticket: str
    expires_in: int = Field(description="Seconds; the ticket opens one socket.")
    socket_path: str = Field(description="Append the team id and the ticket as shown.")


class TeamOut(Schema):
    id: uuid.UUID
    name: str
    timezone: str
    cursor: int = Field(description="The team's change feed head (last_change_seq).")


class MembershipOut(Schema):
    id: uuid.UUID
    team: TeamOut
    role: str
    skills: list[str]
    team_roles: list[str]
    contracted_hours: float


class FamilyClientOut(Schema):
    id: uuid.UUID
    name: str
    team_id: uuid.UUID
    team_name: str


class MeOut(Schema):
    user: UserOut
    memberships: list[MembershipOut]
    coached_teams: list[TeamOut]
    family_clients: list[FamilyClientOut]
