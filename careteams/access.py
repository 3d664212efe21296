"""Who may see what (docs/architecture.md, "Who may see what").

Every selector starts from these querysets; no view filters by hand. A record outside them does
not exist for the user: callers raise `errors.NotFound` (a 404), never a 403 that confirms it.

Within a request (`ScopeMiddleware`), the user's teams, coached teams and family clients are
read once, in one query, and the querysets filter on those ids: the ORM then builds no subquery
for each query (the issue measured 16 ms of Python for 5 ms of SQL on the API's my day). Outside
a request (sockets, commands, services called directly) they stay lazy subqueries, so a
long-lived socket user never keeps a stale scope. Saving a membership, coach link, family access
or client drops what the request had read, so a request that changes who may see what reads
the new answer afterwards.

This module holds the core's rules: membership, team scope, coach links, the family view's
scope, and the checks every write makes (`require_member_of` and the roles). It imports no
feature app: each feature scopes its own records in its own `access.py` (clients/access.py,
scheduling/access.py) on top of these, and the app that holds clients says, from its
`ready()`, which clients a user's family view holds (`register_family_scope`).
"""

import contextlib
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet, Value
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from careteams import registry
from careteams.compiled import CompiledRead
from careteams.errors import NotAllowed, NotFound
from careteams.models import AccessEvent, CoachLink, Membership, Role, Team, TeamRole, User

# Whom a read is for: a signed-in person or nobody (request.user before sign-in, a socket's
# scope). Every scope below answers "nothing" for the anonymous one.
AnyUser = User | AnonymousUser | None
Ids = tuple[uuid.UUID, ...]
# The rows a scope filters on: ids read once for the request, or a lazy subquery.
IdsOrSubquery = Ids | QuerySet[Any, Any]


def _signed_in(user: AnyUser) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active


# Once per request ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeIds:
    member_teams: Ids
    coached_teams: Ids
    family_clients: Ids


# What this request has read, by user id; None outside a request. A dict set once per request
# and filled in place, so that code running in a copied context (asgiref's thread hops) fills
# the same one.
_request_scope: ContextVar[dict[Any, Any] | None] = ContextVar("access_scope", default=None)


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    token = _request_scope.set({})
    try:
        yield
    finally:
        _request_scope.reset(token)


class ScopeMiddleware:
    """Each request reads the user's scope at most once; nothing outlives the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)


def forget_scopes(**_: Any) -> None:
    """A signal receiver: what this request read of anyone's scope is read again."""
    store = _request_scope.get()
    if store is not None:
        store.clear()


def forget_scopes_on_save(model: type[models.Model]) -> None:
    """Saving or deleting a row of `model` changes who may see what."""
    name = f"{model._meta.app_label}.{model.__name__}"
    post_save.connect(forget_scopes, sender=model, dispatch_uid=f"access-scope-{name}")
    post_delete.connect(forget_scopes, sender=model, dispatch_uid=f"access-scope-del-{name}")


for _model in (Membership, CoachLink):
    forget_scopes_on_save(_model)


# The family view ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyScope:
    """Which clients a user's family view holds, as the app that holds clients says
    (clients/access.py registers it from its `ready()`)."""

    # For one user, the rows naming their clients: each a queryset and the field naming the
    # client, read with the memberships in the request's one scope query.
    sources: Callable[[User], Sequence[tuple[QuerySet[Any, Any], str]]]
    # The same clients' ids as one lazy subquery (outside a request).
    ids: Callable[[User], QuerySet[Any, Any]]


_family: list[FamilyScope] = []


def register_family_scope(scope: FamilyScope) -> None:
    _family[:] = [scope]
    _SCOPE_READ.forget()


_MEMBER, _COACHED, _FAMILY = 1, 2, 3


def _scope_rows(user_id: uuid.UUID) -> QuerySet[Any, Any]:
    """One query, each branch on an index (membership and coach link by user, family access by
    person, the client's own account by its unique user): (kind, id) rows."""
    user = User(pk=user_id)
    family_rows = [
        rows.order_by().values_list(Value(_FAMILY), field)
        for scope in _family
        for rows, field in scope.sources(user)
    ]
    return (
        Membership.objects.active()
        .filter(user=user)
        .order_by()
        .values_list(Value(_MEMBER), "team_id")
        .union(
            CoachLink.objects.filter(coach=user, ended_at__isnull=True)
            .order_by()
            .values_list(Value(_COACHED), "team_id"),
            *family_rows,
            all=True,
        )
        .order_by()  # the union would otherwise take Membership's default ordering
    )


# Every request reads it: compiled once (careteams/compiled.py), it costs a third as much.
_SCOPE_READ = CompiledRead(_scope_rows, User._meta.pk)


def _read_scope_ids(user: User) -> ScopeIds:
    found: dict[int, set[uuid.UUID]] = {_MEMBER: set(), _COACHED: set(), _FAMILY: set()}
    for kind, row_id in _SCOPE_READ.rows(user.pk):
        found[kind].add(row_id if isinstance(row_id, uuid.UUID) else uuid.UUID(str(row_id)))
    return ScopeIds(*(tuple(sorted(found[kind])) for kind in (_MEMBER, _COACHED, _FAMILY)))


def scope_ids(user: AnyUser) -> ScopeIds | None:
    """The user's ids as read once in this request; None outside a request."""
    store = _request_scope.get()
    if store is None or not _signed_in(user):
        return None
    key = ("ids", user.pk)
    found: ScopeIds | None = store.get(key)
    if found is None:
        found = store[key] = _read_scope_ids(user)
    return found


def member_scope(user: AnyUser) -> IdsOrSubquery:
    """The ids of the user's teams, for `team_id__in=`: read once in a request, else lazy."""
    if not _signed_in(user):
        return ()
    ids = scope_ids(user)
    return ids.member_teams if ids is not None else member_team_ids(user)


def coached_scope(user: AnyUser) -> IdsOrSubquery:
    """The ids of the teams the user coaches, for `team_id__in=`."""
    if not _signed_in(user):
        return ()
    ids = scope_ids(user)
    return ids.coached_teams if ids is not None else coached_team_ids(user)


def family_scope(user: AnyUser) -> IdsOrSubquery:
    """The ids of the clients in the user's family view, for `client_id__in=`."""
    if not _signed_in(user):
        return ()
    ids = scope_ids(user)
    return ids.family_clients if ids is not None else family_client_ids(user)


def visible_team_filter(user: AnyUser, field: str = "team_id") -> Q:
    """Rows of the teams the user belongs to or coaches (the rota, figures, members)."""
    ids = scope_ids(user)
    if ids is not None:
        return Q(**{f"{field}__in": ids.member_teams + ids.coached_teams})
    return Q(**{f"{field}__in": member_scope(user)}) | Q(**{f"{field}__in": coached_scope(user)})


# Teams -------------------------------------------------------------------------------------


def member_team_ids(user: AnyUser) -> QuerySet[Membership, Any]:
    """The teams the user is an active member of, as a subquery of ids."""
    if _signed_in(user):
        return Membership.objects.active().filter(user=user).values("team_id")
    return Membership.objects.none().values("team_id")


def coached_team_ids(user: AnyUser) -> QuerySet[CoachLink, Any]:
    if _signed_in(user):
        return CoachLink.objects.filter(coach=user, ended_at__isnull=True).values("team_id")
    return CoachLink.objects.none().values("team_id")


def member_teams(user: AnyUser) -> QuerySet[Team]:
    return Team.objects.filter(id__in=member_scope(user))


def member_team(user: AnyUser, team_id: uuid.UUID | str) -> Team:
    """A team the user works in, or NotFound; read once per request and team (a write and the
    card it answers with ask for the team three times). The same instance each time, so that a
    write's change to it (its feed head, its settings) is what the rest of the request sees."""
    store = _request_scope.get()
    key = ("team", getattr(user, "pk", None), str(team_id))
    if store is not None and key in store:
        found: Team = store[key]
        return found
    team = get_visible(member_teams(user), team_id)
    if store is not None:
        store[key] = team
    return team


def coached_teams(user: AnyUser) -> QuerySet[Team]:
    return Team.objects.filter(id__in=coached_scope(user))


def coaches_any_team(user: AnyUser) -> bool:
    """For the navigation: no query when the request has read the scope."""
    ids = scope_ids(user)
    return bool(ids.coached_teams) if ids is not None else coached_teams(user).exists()


def has_family_view(user: AnyUser) -> bool:
    ids = scope_ids(user)
    return bool(ids.family_clients) if ids is not None else family_client_ids(user).exists()


def teams_visible_to(user: AnyUser) -> QuerySet[Team]:
    """Teams whose rota and figures the user may read: their own, and those they coach."""
    return Team.objects.filter(visible_team_filter(user, "id"))


def membership_of(user: AnyUser, team: Team) -> Membership | None:
    """The user's active membership of the team; read once per request and team."""
    if not _signed_in(user):
        return None
    ids = scope_ids(user)
    if ids is None:
        return Membership.objects.active().filter(user=user, team=team).first()
    if team.pk not in ids.member_teams:
        return None
    store = _request_scope.get()
    assert store is not None
    key = ("membership", user.pk, team.pk)
    if key not in store:
        store[key] = Membership.objects.active().filter(user=user, team=team).first()
    found: Membership | None = store[key]
    return found


def members_visible_to(user: AnyUser) -> QuerySet[Membership]:
    """Active members of the teams the user belongs to or coaches."""
    return Membership.objects.active().filter(visible_team_filter(user))


# Clients -----------------------------------------------------------------------------------


def family_client_ids(user: AnyUser) -> QuerySet[Any, Any]:
    """Clients the user may read the plain-language view of (through live family access, or
    their own record), as a lazy subquery of ids: none until an app declares the family view."""
    if not _signed_in(user) or not _family:
        return AccessEvent.objects.none().values("client_id")
    return _family[0].ids(user)


def family_view_clients(user: AnyUser) -> QuerySet[Any]:
    """The clients in the user's family view, as rows of the kind the registry calls "client"
    (for the core's family pages and feed; the clients app reads them typed, clients/access.py)."""
    model = registry.get("client").model
    return model._default_manager.filter(id__in=family_scope(user))


def client_ids_visible_to(user: AnyUser) -> QuerySet[Any, Any]:
    """The clients the user may read in any way: their teams' (in full) and their family
    view's (in plain words), as a subquery of ids."""
    model = registry.get("client").model
    return model._default_manager.filter(
        Q(team_id__in=member_scope(user)) | Q(id__in=family_scope(user))
    ).values("id")


def access_events_visible_to(user: AnyUser) -> QuerySet[AccessEvent]:
    """Who read a record: the team, the client and the client's family may know."""
    return AccessEvent.objects.filter(
        Q(team_id__in=member_scope(user)) | Q(client_id__in=family_scope(user))
    )


# Lookups -----------------------------------------------------------------------------------


def get_visible[M: models.Model](queryset: QuerySet[M], pk: uuid.UUID | str) -> M:
    """The record with this id in a scoped queryset, or NotFound (a 404) for any other case,
    malformed ids included, so that a guess tells nothing."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound() from exc


# Writes ------------------------------------------------------------------------------------


def require_member_of(user: AnyUser, team_id: uuid.UUID) -> None:
    """Every write service checks its actor here, whoever called it: a caller that forgot to
    scope the records gets the same NotFound a page gives for another team's record."""
    if _signed_in(user) and user.is_superuser:
        # The site's administrators write through the admin, whose pages only they open;
        # pages and the API still scope them like anyone else (by membership).
        return
    ids = scope_ids(user)
    if ids is not None:
        if uuid.UUID(str(team_id)) not in ids.member_teams:
            raise NotFound()
    elif not member_team_ids(user).filter(team_id=team_id).exists():
        raise NotFound()


def require_manager_of(user: AnyUser, team: Team) -> None:
    """Changing the team's settings or its members' skills, hours and roles: any member, or,
    when the team chose a role for it (`Team.managed_by_role`), that role's holders. When no
    current member holds the chosen role, any member may: a team never locks itself out."""
    require_member_of(user, team.pk)
    role = team.managed_by_role
    if not role or (_signed_in(user) and user.is_superuser):
        return
    held = list(Membership.objects.active().filter(team=team).values_list("user_id", "team_roles"))
    holders = {user_id for user_id, roles in held if role in (roles or [])}
    if holders and (not _signed_in(user) or user.pk not in holders):
        label = TeamRole(role).label if role in TeamRole.values else role
        raise NotAllowed(
            _("The team chose that only its %(role)s may change this.") % {"role": label.lower()}
        )


def require_may_end_membership(user: AnyUser, membership: Membership) -> None:
    """Marking someone as left ends their access at once. Anyone may say it of themselves; of
    a colleague, only those `require_may_end_colleagues` allows."""
    require_member_of(user, membership.team_id)
    if _signed_in(user) and user.pk == membership.user_id:
        return
    require_may_end_colleagues(user, membership.team)


def require_may_end_colleagues(user: AnyUser, team: Team) -> None:
    """Those who may change the team's members (`require_manager_of`), and never a student: a
    placement does not make someone answerable for a colleague's access."""
    require_manager_of(user, team)
    if _signed_in(user) and not user.is_superuser:
        mine = Membership.objects.active().filter(team=team, user_id=user.pk)
        if mine.filter(role=Role.STUDENT).exists():
            raise NotAllowed(_("A student may not mark a colleague as having left the team."))
