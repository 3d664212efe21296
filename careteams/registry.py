"""The entity registry: every kind of record that devices hold or the change feed carries.

Each kind is declared once (`register`, from its app's `entities.py`, imported by the app's
`ready()`): its model, the services that create, change and delete it, how it is written into
the feed (and which fields never leave the server), and what coaches and family may see of it.
`careteams.changes.record` refuses a name that is not registered and serialises through here;
the feed's scoping (`careteams.feed`), the sync pull's redaction (`mobile_api.feed_view`), the
socket's family filter, the sync push's kinds of mutation (`mobile_api.mutations`), the admin
(`careteams.admin_feed`) and, for a kind kept on the client record (`ClientPart`), the record
page's section, its API read and its offline writes all read these declarations.

A kind's name is declared where the kind is: the kinds of the first apps are the `CoreName`
literal below; a newer kind declares its own with `kind_name("allergy")` next to its model
and passes that constant, never a bare string, wherever an `EntityName` is taken, so mypy
still refuses a misspelt name.

The service hooks take the record as a model instance (for `create`, unsaved; for `update`,
with the new values set on it), the version the writer based the change on, and the actor, so
the admin and the tests can drive every kind the same way. A kind without a hook cannot be
written that way outside its own pages (the admin shows it read-only).

Writes deliberately outside the services, and so outside this registry: the read log
(`access_log.access_event_record`, append-only by its own path), device tokens and the sync
idempotency store (`accounts.tokens`, `SyncMutation`, written by the API's own machinery), the
feed itself (`Change`, only `changes.record`), and sessions (Django's session store and
`accounts.SessionEpoch`, moved only by `accounts.services`).

This module imports no app: apps depend on the registry, never the reverse.
"""

import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, NewType, get_args

from django.db import models

from careteams.serialize import model_data

CoreName = Literal[
    "team",
    "membership",
    "client",
    "care_problem",
    "intervention",
    "outcome_rating",
    "note",
    "family_access",
    "shift",
    "absence",
    "visit",
    "visit_assignment",
    "visit_pattern",
    "rota_week",
    "swap_offer",
    "rota_notice",
    "emergency_contact",
    "visit_attendance",
    "visit_task_outcome",
    "missed_visit",
    "role_term",
    "meeting",
    "agenda_item",
    "decision",
    "action_item",
    "help_request",
    "handover_note",
    "handover_read",
    "team_message",
    "client_message",
    "channel_read",
    "plan_run",
    "held_item",
]
ENTITY_NAMES: Final[frozenset[str]] = frozenset(get_args(CoreName))

# A kind declared in its own module (`kind_name`): a str that mypy tells from any other str.
KindName = NewType("KindName", str)
EntityName = CoreName | KindName

_KIND_NAME = re.compile(r"[a-z][a-z_]{1,38}")
_DECLARED_NAMES: set[str] = set()


def kind_name(name: str) -> KindName:
    """Declare the name of a kind in the module that declares the kind (next to its model):
    `ALLERGY: Final = registry.kind_name("allergy")`. The constant is what services pass to
    `changes.record` and `versioned_write`; a bare string is not an `EntityName` to mypy."""
    if not _KIND_NAME.fullmatch(name) or name in ENTITY_NAMES:
        raise UnknownEntity(f"{name!r} cannot name a new kind (lower case, unused).")
    _DECLARED_NAMES.add(name)
    return KindName(name)


def names() -> frozenset[str]:
    """Every name a kind may be registered under: the core literal's and the declared ones."""
    return ENTITY_NAMES | _DECLARED_NAMES


ALL_FIELDS: Final = "all"

Create = Callable[[Any, Any], models.Model]  # (unsaved instance, actor) -> the saved record
Update = Callable[[Any, int, Any], models.Model]  # (instance with new values, version, actor)
Delete = Callable[[Any, int, Any], None]  # (instance, version, actor)


class UnknownEntity(ValueError):
    """A write named a kind of record nobody declared: a bug, never user input."""


@dataclass(frozen=True)
class FamilyView:
    """What family (and the client) may hold of one kind: its plain fields, the words that
    replace codes, when a record stops being theirs (then it reaches them as a deletion), and
    which stored values a change must carry for family to follow it at all."""

    fields: tuple[str, ...]
    words: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    gone: Callable[[Mapping[str, Any]], bool] | None = None
    only_when: Mapping[str, Any] = field(default_factory=dict)

    def shape(self, data: Mapping[str, Any]) -> dict[str, Any] | None:
        """The family's shape of one record, or None when they no longer see it."""
        if self.gone is not None and self.gone(data):
            return None
        shown = {name: data.get(name) for name in self.fields}
        if self.words is not None:
            shown.update(self.words(data))
        return shown


@dataclass(frozen=True)
class ClientPart:
    """A kind kept on the client record (its model has a `client` key): the record page shows
    it in a section of its own (`template`, given `records`, the add form and each record's
    change form), added and changed with forms made from `inputs` and `changeable`, ended
    through `delete`; the API reads it at `/clients/{client_id}/records/{name}`; a device
    writes it offline with the mutations `<name>.create`, `<name>.update` and `<name>.end`
    (declared in `Entity.mutations`). Only the client's team sees or writes it: anyone else
    gets a 404."""

    title: Any  # a (lazily) translated heading, e.g. gettext_lazy("Allergies and sensitivities")
    add: Any  # the add button's words, e.g. gettext_lazy("Add an allergy or sensitivity")
    # The kind's list, given `client`, `kind` and `records`; each record's buttons come from
    # clients/_part_actions.html.
    template: str
    # The order of the section's records (newest first, the current ones first...).
    ordering: tuple[str, ...] = ("-created_at",)
    # The relations the template shows (who recorded it), read in the same query.
    related: tuple[str, ...] = ()


# The offline writes a ClientPart takes without a handler of its own (mobile_api.mutations).
PART_MUTATIONS: Final = ("create", "update", "end")


@dataclass(frozen=True)
class Entity:
    name: EntityName
    model: type[models.Model]
    team_of: Callable[[Any], Any]
    client_of: Callable[[Any], uuid.UUID | None] = lambda obj: None
    # Fields written to the database but never to the feed, a device or an admin's feed entry.
    server_only: frozenset[str] = frozenset()
    # Values computed beyond the row's own columns (a note's problem ids).
    computed: Callable[[Any], dict[str, Any]] | None = None
    # Coaches follow the rota only: ALL_FIELDS, the fields they may hold, or None (not at all).
    coach: frozenset[str] | Literal["all"] | None = None
    family: FamilyView | None = None
    create: Create | None = None
    update: Update | None = None
    delete: Delete | None = None
    # The fields `create` takes, and those `update` may change: all a person can set by hand.
    inputs: tuple[str, ...] = ()
    changeable: tuple[str, ...] = ()
    # Set when `delete` keeps the record and ends it instead (a leaver's membership, a cancelled
    # visit): the words for that, e.g. "End the chosen memberships".
    ends_instead: str | None = None
    # The sync push's kinds of mutation (docs/sync.md) that write this kind, e.g. "note.create":
    # each has its handler in mobile_api.mutations, or the generic one of a ClientPart's.
    mutations: tuple[str, ...] = ()
    part: ClientPart | None = None
    # Whether what is derived from the team's plan (the week's rule results, kept under
    # `Team.plan_seq`) may change when a record of this kind does. True unless a kind says
    # otherwise: a kind that forgets costs a recompute, never a stale result.
    plan_input: bool = True

    def serialise(self, obj: models.Model) -> dict[str, Any]:
        """The record as the feed carries it: JSON-safe, without the server-only fields."""
        data = model_data(obj)
        if self.computed is not None:
            data.update(self.computed(obj))
        return self.strip(data)

    def strip(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in data.items() if key not in self.server_only}

    def coach_view(self, data: Mapping[str, Any]) -> dict[str, Any]:
        if self.coach == ALL_FIELDS or self.coach is None:
            return dict(data)
        return {key: value for key, value in data.items() if key in self.coach}


_REGISTRY: dict[str, Entity] = {}
_MUTATIONS: dict[str, str] = {}  # a sync mutation's kind -> the entity it writes


def plan_inputs() -> list[str]:
    """The names of the kinds a team's plan is derived from (`Entity.plan_input`)."""
    return sorted(name for name, entity in _REGISTRY.items() if entity.plan_input)


def register(entity: Entity) -> None:
    """Declare a kind of record; each app does this for its models once, from `ready()`."""
    if entity.name not in names():
        raise UnknownEntity(
            f"Declare {entity.name!r} with registry.kind_name() where the kind is, first."
        )
    known = _REGISTRY.get(entity.name)
    if known is not None and known.model is not entity.model:
        raise UnknownEntity(f"{entity.name!r} is already registered for {known.model.__name__}.")
    if entity.part is not None and None in (entity.create, entity.update, entity.delete):
        raise UnknownEntity(f"{entity.name!r} is kept on the client record: give all three hooks.")
    for kind in entity.mutations:
        writer = _MUTATIONS.get(kind)
        if writer is not None and writer != entity.name:
            raise UnknownEntity(f"The mutation {kind!r} is already {writer!r}'s.")
    _REGISTRY[entity.name] = entity
    _MUTATIONS.update(dict.fromkeys(entity.mutations, entity.name))


def get(name: str) -> Entity:
    """The declaration of `name`; raises UnknownEntity for anything not registered."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownEntity(
            f"{name!r} is not a registered entity; register it in its app's entities.py."
        ) from None


def for_model(model: type[models.Model]) -> Entity | None:
    return next((e for e in _REGISTRY.values() if e.model is model), None)


def entities() -> Iterator[Entity]:
    return iter(_REGISTRY.values())


def coach_names() -> frozenset[str]:
    """The kinds a coach's feed carries."""
    return frozenset(e.name for e in _REGISTRY.values() if e.coach is not None)


def family_names() -> frozenset[str]:
    """The kinds a family member's feed carries (of their client only)."""
    return frozenset(e.name for e in _REGISTRY.values() if e.family is not None)


def mutation_kinds() -> frozenset[str]:
    """Every kind of offline mutation a device may push (docs/sync.md, "Kinds")."""
    return frozenset(_MUTATIONS)


def mutation_writer(kind: str) -> Entity | None:
    """The kind of record the sync mutation `kind` writes, or None for an unknown mutation."""
    name = _MUTATIONS.get(kind)
    return None if name is None else _REGISTRY[name]


def part(name: str) -> Entity:
    """The declaration of a kind kept on the client record; UnknownEntity for any other."""
    entity = _REGISTRY.get(name)
    if entity is None or entity.part is None:
        raise UnknownEntity(f"{name!r} is not a kind kept on the client record.")
    return entity


def parts() -> list[Entity]:
    """The kinds kept on the client record, in the order they were declared."""
    return [e for e in _REGISTRY.values() if e.part is not None]
