"""Writes for a client's identity, contact details, status, risk flags and named nurses."""

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careteams import dates, geo, limits, timeutil
from careteams.errors import DomainError, NotAllowed
from careteams.models import Membership, Team, User
from careteams.versioning import change_record, versioned_write
from clients import access as clients_access
from clients import nhs_number, postcode
from clients.models import Client, ClientLanguage, ClientStatus, LocationSource, RiskFlag
from clients.services.common import require_length, require_member, require_writer

NHS_NUMBER_TAKEN = gettext_lazy("A client with this NHS number is already recorded.")
# Typed text kept as typed (stripped): the model's column widths are the limits.
TEXT_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "address_line_1",
    "address_line_2",
    "town",
    "phone",
)


def max_length(name: str) -> int:
    """The limit of one of the client's text fields, for the service and the page's form."""
    field = Client._meta.get_field(name)
    assert isinstance(field, models.CharField)
    assert field.max_length is not None
    return field.max_length


@dataclass
class ClientDetails:
    """Everything a person types about a client; the service checks it again."""

    given_name: str
    family_name: str
    preferred_name: str = ""
    date_of_birth: dt.date | None = None
    nhs_number: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    phone: str = ""
    access_notes: str = ""
    status: str = ClientStatus.ACTIVE
    risk_flags: list[str] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    language: str = ClientLanguage.NOT_RECORDED
    language_other: str = ""
    language_needed: bool = False


def _language(details: ClientDetails) -> dict[str, object]:
    """The preferred language: one of the list, another one named, and "needs" only of a
    language known (needing "not recorded" would tell the planner nothing)."""
    if details.language not in ClientLanguage.values:
        raise DomainError(_("Choose a language from the list."), field="language")
    other = details.language_other.strip() if details.language == ClientLanguage.OTHER else ""
    if details.language == ClientLanguage.OTHER and not other:
        raise DomainError(_("Name the language they prefer."), field="language_other")
    require_length(other, max_length("language_other"), field="language_other")
    if details.language_needed and details.language == ClientLanguage.NOT_RECORDED:
        raise DomainError(
            _("Choose the language they need before saying they need it."), field="language"
        )
    return {
        "language": details.language,
        "language_other": other,
        "language_needed": bool(details.language_needed),
    }


def _clean(details: ClientDetails, *, team: Team) -> dict[str, object]:
    if not details.given_name.strip() or not details.family_name.strip():
        raise DomainError(_("Enter the client's given and family names."), field="given_name")
    digits = nhs_number.normalise(details.nhs_number)
    if digits and not nhs_number.is_valid(digits):
        raise DomainError(
            _("This is not a valid NHS number: check the digits again."), field="nhs_number"
        )
    code = postcode.normalise(details.postcode) if details.postcode.strip() else ""
    if code and not postcode.is_valid(code):
        raise DomainError(_("Enter a UK postcode, like SW1A 1AA."), field="postcode")
    if details.status not in ClientStatus.values:
        raise DomainError(_("Choose a status from the list."), field="status")
    if any(flag not in RiskFlag.values for flag in details.risk_flags):
        raise DomainError(_("Choose risk flags from the list."), field="risk_flags")
    dates.require_in_range(details.date_of_birth, field="date_of_birth")
    if details.date_of_birth and details.date_of_birth > timeutil.local_today(team.zone):
        raise DomainError(_("The date of birth must be in the past."), field="date_of_birth")
    for name in TEXT_FIELDS:
        require_length(getattr(details, name).strip(), max_length(name), field=name)
    latitude, longitude = _location(details.latitude, details.longitude)
    return {
        "given_name": details.given_name.strip(),
        "family_name": details.family_name.strip(),
        "preferred_name": details.preferred_name.strip(),
        "date_of_birth": details.date_of_birth,
        "nhs_number": digits or None,
        "address_line_1": details.address_line_1.strip(),
        "address_line_2": details.address_line_2.strip(),
        "town": details.town.strip(),
        "postcode": code,
        "phone": details.phone.strip(),
        "access_notes": details.access_notes.strip(),
        "status": details.status,
        "risk_flags": sorted(set(details.risk_flags), key=RiskFlag.values.index),
        "latitude": latitude,
        "longitude": longitude,
        **_language(details),
    }


def _location(latitude: float | None, longitude: float | None) -> tuple[float | None, float | None]:
    """Both or neither, on the earth, rounded (careteams.geo.checked_location)."""
    place = geo.checked_location(latitude, longitude)
    return (None, None) if place is None else place


def _set_location_source(client: Client, values: dict[str, object]) -> None:
    moved = (values["latitude"], values["longitude"]) != (client.latitude, client.longitude)
    if moved:
        client.location_source = LocationSource.RECORD if values["latitude"] is not None else ""


def _changing(
    client: Client, version: int, actor: User, *, update_fields: Sequence[str] | None = None
) -> AbstractContextManager[Client]:
    return versioned_write(
        Client.objects.select_related("team"),
        pk=client.pk,
        version=version,
        entity="client",
        actor=actor,
        update_fields=update_fields,
    )


def _nhs_number_free(digits: object, *, ignore: Client | None = None) -> None:
    if not digits:
        return
    others = Client.objects.filter(nhs_number=digits)
    if ignore is not None:
        others = others.exclude(pk=ignore.pk)
    if others.exists():
        raise DomainError(str(NHS_NUMBER_TAKEN), field="nhs_number")


def _key_safe(code: str | None, *, client: Client, actor: User) -> str | None:
    """The new key-safe code, or None to leave it as stored. Only those who may read the code
    may change it: a carer not on a visit there today cannot overwrite what they cannot see."""
    if code is None or code.strip() == client.key_safe_code:
        return None
    if not (actor.is_superuser or clients_access.key_safe_visible_to(actor, client)):
        raise NotAllowed(
            _("Only the team's nurses, or a carer on a visit there today, may change the code."),
            field="key_safe_code",
        )
    require_length(code.strip(), limits.KEY_SAFE_CODE_MAX, field="key_safe_code")
    return code.strip()


def client_create(
    *, team: Team, details: ClientDetails, actor: User, key_safe_code: str | None = None
) -> Client:
    require_writer(actor=actor, team_id=team.id)
    values = _clean(details, team=team)
    code = _key_safe(key_safe_code, client=Client(team=team), actor=actor)
    if code is not None:
        values |= {"key_safe_code": code, "key_safe_changed_at": timezone.now()}
    try:
        with transaction.atomic():
            _nhs_number_free(values["nhs_number"])
            client = Client(team=team, **values)
            client.location_source = LocationSource.RECORD if client.latitude is not None else ""
            client.save()
            change_record(entity="client", obj=client, actor=actor)
    except IntegrityError as exc:  # two people adding the same person at once
        raise DomainError(str(NHS_NUMBER_TAKEN), field="nhs_number") from exc
    return client


def client_update(
    *,
    client: Client,
    version: int,
    details: ClientDetails,
    actor: User,
    key_safe_code: str | None = None,
) -> Client:
    """`key_safe_code` None leaves the code as it is (a form that did not show it)."""
    require_writer(actor=actor, team_id=client.team_id)
    values = _clean(details, team=client.team)
    try:
        with _changing(client, version, actor) as current:
            code = _key_safe(key_safe_code, client=current, actor=actor)
            if code is not None:
                values |= {"key_safe_code": code, "key_safe_changed_at": timezone.now()}
            _nhs_number_free(values["nhs_number"], ignore=current)
            _set_location_source(current, values)
            for name, value in values.items():
                setattr(current, name, value)
    except IntegrityError as exc:
        raise DomainError(str(NHS_NUMBER_TAKEN), field="nhs_number") from exc
    return current


def client_set_nurses(
    *,
    client: Client,
    version: int,
    primary: Membership | None,
    second: Membership | None,
    actor: User,
) -> Client:
    """The primary and second nurse: continuity, named people the client knows."""
    team = client.team
    require_writer(actor=actor, team_id=team.id)
    require_member(team=team, member=primary, field="primary_nurse")
    require_member(team=team, member=second, field="second_nurse")
    if primary is not None and second is not None and primary.pk == second.pk:
        raise DomainError(
            _("The second nurse must be someone other than the primary nurse."),
            field="second_nurse",
        )
    with _changing(client, version, actor) as current:
        current.primary_nurse = primary
        current.second_nurse = second
    return current


def client_account_link(*, client: Client, version: int, user: User | None, actor: User) -> Client:
    """The client's own sign-in (for the plan view), or None to unlink it."""
    with _changing(client, version, actor, update_fields=["user"]) as current:
        current.user = user
    return current


def client_location_confirm(
    *,
    client: Client,
    version: int,
    latitude: float | None,
    longitude: float | None,
    consent: bool,
    actor: User,
) -> Client:
    """The team confirms where the client lives from a check-in's device location. Only with the
    client's consent to keeping it: their home's position is personal data."""
    require_writer(actor=actor, team_id=client.team_id)
    if not consent:
        raise DomainError(
            _("Ask the client first: their location is kept only with their consent."),
            field="consent",
        )
    if latitude is None or longitude is None:
        raise DomainError(
            _("There is no device location to confirm."),
            field="latitude" if latitude is None else "longitude",
        )
    latitude, longitude = _location(latitude, longitude)
    with _changing(
        client, version, actor, update_fields=["latitude", "longitude", "location_source"]
    ) as current:
        current.latitude, current.longitude = latitude, longitude
        current.location_source = LocationSource.CHECK_IN
    return current
