"""The client's medicines list: added by one member, checked by another (never the one who wrote
it), changed as a new version to check again, stopped with a reason; a medicine matching an
allergy is added only with a reason, kept."""

import datetime as dt
from decimal import Decimal

import pytest

from careteams.errors import Conflict, DomainError, NotAllowed, NotFound
from careteams.models import Change
from clients.services.allergies import allergy_record
from medicines import selectors, services
from medicines.errors import AllergyMatch
from medicines.models import MedicineLine
from medicines.services.details import FIELDS
from tests.conftest import Cast
from tests.medicines.helpers import checked, details, prn_details

pytestmark = pytest.mark.django_db


# The registry's walk over every kind (tests/kinds.py) makes, changes and stops one with these.
def new(cast: Cast) -> MedicineLine:
    values = vars(details())
    return MedicineLine(client=cast.client, **{name: values[name] for name in FIELDS})


def change(line: MedicineLine) -> None:
    line.dose_max = Decimal(2)


def test_a_line_is_transcribed_by_its_writer_and_awaits_a_check(cast: Cast) -> None:
    line = services.line_add(user=cast.nurse, client=cast.client, details=details())
    assert line.transcribed_by == cast.nurse
    assert line.checked_by is None
    assert line.ingredient_list == ["ramipril"]
    assert Change.objects.filter(entity="medicine_line", entity_id=line.pk).exists()


def test_the_writer_cannot_check_their_own_line_but_a_colleague_can(cast: Cast) -> None:
    line = services.line_add(user=cast.nurse, client=cast.client, details=details())
    with pytest.raises(NotAllowed):
        services.line_check(user=cast.nurse, line=line, version=line.version)
    line = services.line_check(user=cast.carer, line=line, version=line.version)
    assert line.checked_by == cast.carer
    assert line.checked_at is not None


def test_a_member_of_another_team_can_neither_add_nor_check(cast: Cast) -> None:
    with pytest.raises(NotFound):
        services.line_add(user=cast.other_nurse, client=cast.client, details=details())
    line = services.line_add(user=cast.nurse, client=cast.client, details=details())
    with pytest.raises(NotFound):
        services.line_check(user=cast.other_nurse, line=line, version=line.version)


def test_a_medicine_matching_an_allergy_by_ingredient_asks_for_a_reason_and_keeps_it(
    cast: Cast,
) -> None:
    allergy_record(client=cast.client, substance="Codeine", actor=cast.nurse)
    cocodamol = prn_details("Co-codamol 30/500", ingredients="Codeine, Paracetamol")
    with pytest.raises(AllergyMatch) as refused:
        services.line_add(user=cast.nurse, client=cast.client, details=cocodamol)
    assert refused.value.substances == ["Codeine"]
    assert refused.value.field == "allergy_reason"
    line = services.line_add(
        user=cast.nurse,
        client=cast.client,
        details=prn_details("Co-codamol 30/500", ingredients="Codeine, Paracetamol"),
        allergy_reason="GP confirmed: constipation only, not an allergy",
    )
    assert line.allergy_confirmed_reason.startswith("GP confirmed")
    assert line.ingredients == "codeine, paracetamol"


def test_an_allergy_to_a_family_of_medicines_matches_its_members(cast: Cast) -> None:
    allergy_record(client=cast.client, substance="penicillin", actor=cast.nurse)
    found = selectors.allergy_matches(
        client=cast.client, name="Phenoxymethylpenicillin", ingredients=""
    )
    assert [a.substance for a in found] == ["penicillin"]
    assert not selectors.allergy_matches(client=cast.client, name="Ramipril", ingredients="")


def test_an_ended_allergy_asks_nothing(cast: Cast) -> None:
    from clients.services.allergies import allergy_end

    allergy = allergy_record(client=cast.client, substance="Ramipril", actor=cast.nurse)
    allergy_end(allergy=allergy, version=allergy.version, actor=cast.nurse)
    services.line_add(user=cast.nurse, client=cast.client, details=details())


def test_a_change_is_a_new_version_that_awaits_a_check_again(cast: Cast) -> None:
    line = checked(cast)
    before = line.changed_at
    changed = services.line_change(
        user=cast.carer,
        line=line,
        version=line.version,
        details=details(times=["08:00", "20:00"]),
        change_note="Twice a day from the GP's letter of today",
    )
    assert changed.version == line.version + 1
    assert changed.times == ["08:00", "20:00"]
    assert changed.changed_at > before
    assert changed.checked_by is None
    assert changed.transcribed_by == cast.carer
    with pytest.raises(Conflict):
        services.line_change(
            user=cast.nurse,
            line=line,
            version=line.version,
            details=details(),
            change_note="stale",
        )


def test_a_change_needs_to_say_what_changed(cast: Cast) -> None:
    line = checked(cast)
    with pytest.raises(DomainError) as refused:
        services.line_change(
            user=cast.nurse, line=line, version=line.version, details=details(), change_note=" "
        )
    assert refused.value.field == "change_note"


def test_a_stop_needs_a_reason_and_happens_once(cast: Cast) -> None:
    line = checked(cast)
    with pytest.raises(DomainError) as refused:
        services.line_stop(user=cast.nurse, line=line, version=line.version, reason="")
    assert refused.value.field == "stopped_reason"
    stopped = services.line_stop(
        user=cast.nurse, line=line, version=line.version, reason="Stopped by the GP"
    )
    assert stopped.status == "stopped"
    assert stopped.stopped_at is not None
    with pytest.raises(DomainError):
        services.line_stop(user=cast.nurse, line=stopped, version=stopped.version, reason="again")


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"name": " "}, "name"),
        ({"dose_min": Decimal(0)}, "dose_min"),
        ({"dose_min": Decimal(2), "dose_max": Decimal(1)}, "dose_max"),
        ({"times": ["8am"]}, "times"),
        ({"times": []}, "times"),
        ({"dmd_code": "12ab", "dmd_kind": "vmp"}, "dmd_code"),
        ({"dmd_code": "322236009"}, "dmd_kind"),
        ({"covert": True}, "covert_decision"),
        ({"route": "by owl"}, "route"),
        ({"stops_on": dt.date(2025, 1, 1)}, "stops_on"),
        ({"prn": True, "prn_for": ""}, "prn_for"),
    ],
)
def test_bad_details_are_refused_naming_the_field(
    cast: Cast, over: dict[str, object], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.line_add(user=cast.nurse, client=cast.client, details=details(**over))
    assert refused.value.field == field


def test_a_dmd_code_with_its_kind_and_times_are_kept_normalised(cast: Cast) -> None:
    line = services.line_add(
        user=cast.nurse,
        client=cast.client,
        details=details(dmd_code="322236009", dmd_kind="vmp", times=["20:00", "08:00", "08:00"]),
    )
    assert line.times == ["08:00", "20:00"]
    assert line.dmd_code == "322236009"
