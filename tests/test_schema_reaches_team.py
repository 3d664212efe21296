"""The schema keeps the way past one PostgreSQL open: every team-owned table reaches its team in
one step (a `team_id` column), so it can be distributed by team and co-located with the rest
(docs/operations.md, "Growing past one PostgreSQL and one Redis").

A table either has `team_id`, or is listed below as global (with why it belongs to no one
team). There are no exceptions: the records written under a parent of one team (a visit's
carers, a client's notes, a care problem's ratings...) carry the parent's team too
(careteams/team_owned.py), so a query by team needs no join to find them. A new model that is
neither fails with what to do about it.
"""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from careteams.models import Team
from careteams.team_owned import TeamOwnedChild

# Tables of no one team: reference tables under Citus (copied to every node), or local to the
# coordinator. The reason says which.
GLOBAL: dict[str, str] = {
    "careteams.Team": "the distribution key itself: distributed by its id, co-located",
    "careteams.User": "a person may belong to several teams, coach many, or be family: reference",
    "careteams.User_groups": "Django's permission groups of a user: reference, like users",
    "careteams.User_user_permissions": "Django's permissions of a user: reference",
    "careteams.SocketTicket": "one user's one-time socket ticket, any team: per user, reference",
    "careteams.FeedIncarnation": "one row for the whole database (the feed's incarnation)",
    "accounts.DeviceToken": "a user's device, signed in for every team of theirs: per user",
    "accounts.SessionEpoch": "a user's sign-out-everywhere stamp: per user",
    "accounts.SignInFailures": "sign-in throttling by account or address, before any team",
    "admin.LogEntry": "Django admin's log of staff actions, across teams",
    "auth.Permission": "Django's permission vocabulary: reference",
    "auth.Group": "Django's permission groups: reference",
    "auth.Group_permissions": "Django's permission groups: reference",
    "contenttypes.ContentType": "Django's model vocabulary: reference",
    "sessions.Session": "a browser's session, before and across teams",
    "account.EmailAddress": "a user's e-mail addresses (allauth): per user",
    "account.EmailConfirmation": "a user's e-mail confirmations (allauth): per user",
    "mfa.Authenticator": "a user's second factors (allauth): per user",
    "scheduling.StartPoint": "where a person starts their working day: per user, their own",
    # django-oauth-toolkit: a partner's client and tokens, reached through its Partner row
    # (interop.Partner.application), which has the team.
    **{
        f"oauth2_provider.{name}": "a partner's OAuth2 client or token (django-oauth-toolkit)"
        for name in (
            "Application",
            "AccessToken",
            "RefreshToken",
            "Grant",
            "IDToken",
            "DeviceGrant",
        )
    },
}

# A `team_id` column that is no foreign key to Team: still one step, but say why.
TEAM_ID_WITHOUT_FOREIGN_KEY: dict[str, str] = {
    "mobile_api.SyncMutation": (
        "stored answers are kept when a team goes; under Citus its uniqueness becomes "
        "(team_id, user_id, mutation_id), which holds since a push is for one team"
    ),
}

TODO = (
    "give it a `team` foreign key (column team_id) set by its service (a record under a "
    "parent of one team: subclass careteams.team_owned.TeamOwnedChild), with a migration that "
    "fills it from its parent; or, if it belongs to no one team, list it in GLOBAL of "
    "tests/test_schema_reaches_team.py with the reason (docs/operations.md, 'Growing past one "
    "PostgreSQL and one Redis')"
)


def _team_column(model: type[models.Model]) -> models.Field[Any, Any] | None:
    for field in model._meta.concrete_fields:
        if field.column == "team_id":
            return field
    return None


def schema_problems(
    all_models: Iterable[type[models.Model]],
    team: type[models.Model] = Team,
    global_tables: dict[str, str] = GLOBAL,
) -> list[str]:
    problems: list[str] = []
    for model in all_models:
        label = model._meta.label
        column = _team_column(model)
        if label in global_tables:
            if column is not None:
                problems.append(f"{label} has team_id: it is team-owned, take it out of GLOBAL.")
            continue
        if column is not None:
            refers = column.related_model if column.is_relation else None
            if refers is not team and label not in TEAM_ID_WITHOUT_FOREIGN_KEY:
                problems.append(
                    f"{label}.team_id is no foreign key to {team._meta.label}: make it one, "
                    "or list it in TEAM_ID_WITHOUT_FOREIGN_KEY with the reason."
                )
            continue
        problems.append(f"{label} ({model._meta.db_table}) has no team_id: {TODO}.")
    return problems


def test_every_table_reaches_its_team_in_one_step_or_is_listed_with_its_reason() -> None:
    every = list(apps.get_models(include_auto_created=True))
    assert len(every) > 40
    assert schema_problems(every) == []
    labels = {model._meta.label for model in every}
    stale = (set(GLOBAL) | set(TEAM_ID_WITHOUT_FOREIGN_KEY)) - labels
    assert not stale, f"Listed but no longer models: {sorted(stale)}"


# Records that take their team from a parent, by name: the walk below must find each of them; a
# child added since is walked without being named (a new kind stays in its own files).
CHILDREN = {
    "scheduling.VisitAssignment",
    "scheduling.VisitAttendance",
    "scheduling.VisitTaskOutcome",
    "scheduling.MissedVisit",
    "clients.CareProblem",
    "clients.Intervention",
    "clients.OutcomeRating",
    "clients.Note",
    "clients.NoteProblem",
    "clients.FamilyAccess",
    "clients.EmergencyContact",
    "messaging.HandoverRead",
}


def test_every_child_record_names_a_parent_of_one_team_to_take_its_team_from() -> None:
    children = [m for m in apps.get_models() if issubclass(m, TeamOwnedChild)]
    assert {child._meta.label for child in children} >= CHILDREN
    for child in children:
        parent = child._meta.get_field(child.team_parent)
        assert parent.many_to_one, child._meta.label
        assert parent.concrete, child._meta.label
        assert not parent.null, f"{child._meta.label}: a record without a parent has no team"
        assert parent.related_model is not None
        column = _team_column(parent.related_model)
        assert column is not None, child._meta.label
        assert column.related_model is Team, child._meta.label


@isolate_apps("careteams")
def test_a_new_table_that_reaches_its_team_only_through_a_join_fails_saying_what_to_do() -> None:
    class Squad(models.Model):  # noqa: DJ008 (a stand-in, never shown)
        class Meta:
            app_label = "careteams"

    class Round(models.Model):  # noqa: DJ008 (a stand-in, never shown)
        team = models.ForeignKey(Squad, on_delete=models.CASCADE)

        class Meta:
            app_label = "careteams"

    class RoundStop(models.Model):  # noqa: DJ008 (a stand-in, never shown)
        round = models.ForeignKey(Round, on_delete=models.CASCADE)

        class Meta:
            app_label = "careteams"

    listed = {"careteams.Squad": "the team"}
    problems = schema_problems([Squad, Round, RoundStop], Squad, listed)
    assert len(problems) == 1
    assert problems[0].startswith("careteams.RoundStop (careteams_roundstop) has no team_id")
    assert "give it a `team` foreign key" in problems[0]
    assert "list it in GLOBAL" in problems[0]
