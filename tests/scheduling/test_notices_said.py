"""Rota notices said in the reader's language (issue 30): each keeps its English text (the API,
the feed and the admin read it) and its sentence, which My day and the week board say again in
Welsh with Welsh day and month names; a notice stored before keeps showing its text."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from careteams.models import Membership, Role
from scheduling.models import RotaNotice, Shift, Visit
from scheduling.rules.words import Said
from scheduling.services import shifts, swaps, visits, weeks
from scheduling.services.visits import VisitDetails
from tests.conftest import Cast, make_user
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db

LOCALE = Path(django_settings.BASE_DIR) / "locale" / "cy"


@pytest.fixture
def published(cast: Cast, monday: dt.date) -> None:
    """The test week published while nobody has work in it, so nobody is told of that."""
    weeks.rota_week_publish(team=cast.team, monday=monday, version=0, actor=cast.nurse)
    assert not RotaNotice.objects.exists()


def told(member: Membership) -> RotaNotice:
    return RotaNotice.objects.get(member=member)


def in_welsh(notice: RotaNotice) -> str:
    with translation.override("cy"):
        return notice.words


def details(start: str, end: str) -> VisitDetails:
    return VisitDetails(on(0, start), on(0, end), None, None, [], 1, [])


@pytest.mark.usefixtures("published")
def test_a_new_shift_is_stored_in_english_with_its_sentence_and_read_in_welsh(
    cast: Cast,
) -> None:
    shifts.shift_create(
        team=cast.team,
        member=cast.carer_membership,
        start=on(0, "07:00"),
        end=on(0, "15:00"),
        kind="early",
        actor=cast.nurse,
    )
    notice = told(cast.carer_membership)
    assert notice.text == "New shift for you: Mon 25 Nov 07:00–15:00."
    assert notice.sentence is not None
    assert notice.sentence["template"] == "New shift for you: %(shift)s."
    assert isinstance(notice.said, Said)
    assert notice.said == notice.text
    assert notice.words == notice.text
    assert in_welsh(notice) == "Sifft newydd i chi: Llu 25 Tach 07:00–15:00."


@pytest.mark.usefixtures("published")
def test_a_shift_given_to_someone_else_tells_both_members_in_welsh(
    cast: Cast, make_shift: Callable[..., Shift]
) -> None:
    shift = make_shift(cast.carer_membership, 0)
    planner = make_user("planner@example.test", "Rhys", "Morgan")
    Membership.objects.create(user=planner, team=cast.team, role=Role.CARE_WORKER)
    shifts.shift_update(
        shift=shift,
        version=1,
        member=cast.nurse_membership,
        start=shift.start,
        end=shift.end,
        kind=shift.kind,
        break_minutes=30,
        note="",
        actor=planner,
    )
    gone = told(cast.carer_membership)
    assert gone.text == "Your shift Mon 25 Nov 07:00–15:00 now goes to Siân Ellis."
    assert in_welsh(gone) == "Mae eich sifft Llu 25 Tach 07:00–15:00 yn mynd i Siân Ellis bellach."
    assert in_welsh(told(cast.nurse_membership)) == "Sifft newydd i chi: Llu 25 Tach 07:00–15:00."


@pytest.mark.usefixtures("published")
def test_a_shifts_new_times_and_its_removal_read_in_welsh(
    cast: Cast, make_shift: Callable[..., Shift]
) -> None:
    shift = make_shift(cast.carer_membership, 0)
    shift = shifts.shift_update(
        shift=shift,
        version=1,
        member=cast.carer_membership,
        start=on(0, "08:00"),
        end=on(0, "16:00"),
        kind=shift.kind,
        break_minutes=30,
        note="",
        actor=cast.nurse,
    )
    changed = told(cast.carer_membership)
    assert changed.text == "Your shift Mon 25 Nov 07:00–15:00 changed to Mon 25 Nov 08:00–16:00."
    assert in_welsh(changed) == (
        "Mae eich sifft Llu 25 Tach 07:00–15:00 wedi newid i Llu 25 Tach 08:00–16:00."
    )
    changed.delete()
    shifts.shift_delete(shift=shift, version=2, actor=cast.nurse)
    removed = told(cast.carer_membership)
    assert removed.text == "Your shift Mon 25 Nov 08:00–16:00 was removed."
    assert in_welsh(removed) == "Tynnwyd eich sifft Llu 25 Tach 08:00–16:00 o'r rota."


@pytest.mark.usefixtures("published")
def test_a_shift_copied_from_last_week_reads_in_welsh(
    cast: Cast, make_shift: Callable[..., Shift], monday: dt.date
) -> None:
    make_shift(cast.carer_membership, -7)
    assert shifts.shifts_copy_week(team=cast.team, monday=monday, actor=cast.nurse) == 1
    assert in_welsh(told(cast.carer_membership)) == "Sifft newydd i chi: Llu 25 Tach 07:00–15:00."


@pytest.mark.usefixtures("published")
def test_an_absence_is_stored_in_english_even_when_its_writer_reads_welsh(cast: Cast) -> None:
    with translation.override("cy"):
        shifts.absence_create(
            team=cast.team,
            member=cast.carer_membership,
            kind="annual_leave",
            start=on(1, "00:00"),
            end=on(1, "23:00"),
            actor=cast.nurse,
        )
    notice = told(cast.carer_membership)
    assert notice.text == "Annual leave recorded for you from Tue 26 Nov 00:00–23:00."
    assert in_welsh(notice) == (
        "Cofnodwyd absenoldeb ar eich cyfer: Gwyliau blynyddol, o Maw 26 Tach 00:00–23:00."
    )


@pytest.mark.usefixtures("published")
def test_a_taken_shift_and_a_taken_visit_read_in_welsh(
    cast: Cast, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> None:
    shift = make_shift(cast.nurse_membership, 1)
    offer = swaps.swap_offer_create(
        team=cast.team, offered_by=cast.nurse_membership, shift=shift, actor=cast.nurse
    )
    swaps.swap_offer_take(offer=offer, version=1, taker=cast.carer_membership, actor=cast.carer)
    shift_taken = told(cast.nurse_membership)
    assert shift_taken.text == "Aoife Ní Bhriain took your shift Tue 26 Nov 07:00–15:00."
    assert in_welsh(shift_taken) == (
        "Mae Aoife Ní Bhriain wedi cymryd eich sifft Maw 26 Tach 07:00–15:00."
    )

    make_shift(cast.nurse_membership, 0)
    visit = make_visit()
    visit.assignments.create(member=cast.carer_membership)
    offer = swaps.swap_offer_create(
        team=cast.team, offered_by=cast.carer_membership, visit=visit, actor=cast.carer
    )
    swaps.swap_offer_take(offer=offer, version=1, taker=cast.nurse_membership, actor=cast.nurse)
    visit_taken = told(cast.carer_membership)
    assert visit_taken.text == "Siân Ellis took your visit Dafydd Llŷr Mon 25 Nov 09:00–09:30."
    assert in_welsh(visit_taken) == (
        "Mae Siân Ellis wedi cymryd eich ymweliad Dafydd Llŷr Llu 25 Tach 09:00–09:30."
    )


@pytest.mark.usefixtures("published")
def test_a_visit_moved_then_cancelled_reads_in_welsh(
    cast: Cast, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    visit.assignments.create(member=cast.carer_membership)
    visit = visits.visit_update(
        visit=visit, version=1, details=details("10:00", "10:30"), actor=cast.nurse
    )
    moved = told(cast.carer_membership)
    assert moved.text == (
        "Your visit Dafydd Llŷr Mon 25 Nov 09:00–09:30 moved to Dafydd Llŷr Mon 25 Nov 10:00–10:30."
    )
    assert in_welsh(moved) == (
        "Mae eich ymweliad Dafydd Llŷr Llu 25 Tach 09:00–09:30 "
        "wedi symud i Dafydd Llŷr Llu 25 Tach 10:00–10:30."
    )
    moved.delete()
    visits.visit_cancel(visit=visit, version=2, actor=cast.nurse)
    cancelled = told(cast.carer_membership)
    assert cancelled.text == "Your visit Dafydd Llŷr Mon 25 Nov 10:00–10:30 was cancelled."
    assert (
        in_welsh(cancelled)
        == "Mae eich ymweliad Dafydd Llŷr Llu 25 Tach 10:00–10:30 wedi'i ganslo."
    )


@pytest.mark.usefixtures("published")
def test_being_put_on_and_taken_off_a_visit_reads_in_welsh(
    cast: Cast, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit()
    visits.visit_assign(visit=visit, version=1, member=cast.carer_membership, actor=cast.nurse)
    on_it = told(cast.carer_membership)
    assert on_it.text == "You are now on the visit Dafydd Llŷr Mon 25 Nov 09:00–09:30."
    assert (
        in_welsh(on_it) == "Rydych chi bellach ar yr ymweliad Dafydd Llŷr Llu 25 Tach 09:00–09:30."
    )
    on_it.delete()
    visits.visit_unassign(visit=visit, version=2, member=cast.carer_membership, actor=cast.nurse)
    off_it = told(cast.carer_membership)
    assert off_it.text == "You are no longer on the visit Dafydd Llŷr Mon 25 Nov 09:00–09:30."
    assert in_welsh(off_it) == (
        "Dydych chi ddim ar yr ymweliad Dafydd Llŷr Llu 25 Tach 09:00–09:30 mwyach."
    )


@pytest.mark.parametrize(
    ("shift_days", "visit_days", "english", "cymraeg"),
    [
        (5, 5, "5 shifts and 5 visits", "5 sifft a 5 ymweliad"),
        (1, 0, "1 shift", "1 sifft"),
        (0, 2, "2 visits", "2 ymweliad"),
    ],
)
def test_a_published_week_counts_each_members_work_in_the_words_for_its_number(
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
    shift_days: int,
    visit_days: int,
    english: str,
    cymraeg: str,
) -> None:
    for day in range(shift_days):
        make_shift(cast.carer_membership, day)
    for day in range(visit_days):
        make_visit(day=day).assignments.create(member=cast.carer_membership)
    weeks.rota_week_publish(team=cast.team, monday=monday, version=0, actor=cast.nurse)
    notice = told(cast.carer_membership)
    assert notice.text == f"The rota for the week of 25 November is published: {english} for you."
    assert in_welsh(notice) == f"Cyhoeddwyd rota wythnos 25 Tachwedd: {cymraeg} i chi."


def test_a_notice_stored_without_its_sentence_shows_its_text_in_any_language(
    cast: Cast, monday: dt.date
) -> None:
    notice = RotaNotice.objects.create(
        team=cast.team, week_start=monday, member=cast.carer_membership, text="A visit moved."
    )
    assert notice.said == "A visit moved."
    assert in_welsh(notice) == "A visit moved."


@pytest.mark.usefixtures("published")
def test_my_day_and_the_week_board_say_the_notices_in_the_readers_language(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    RotaNotice.objects.create(
        team=cast.team, week_start=monday, member=cast.carer_membership, text="A visit moved."
    )
    visits.visit_assign(
        visit=make_visit(), version=1, member=cast.carer_membership, actor=cast.nurse
    )
    welsh_words = "Rydych chi bellach ar yr ymweliad Dafydd Llŷr Llu 25 Tach 09:00–09:30."
    my_day = reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})
    week = reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": monday.isoformat()})
    # The reader's language as any page learns it: the language cookie, the browser's header,
    # and the active language where no middleware chooses one.
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "cy"
    for reader, url in ((cast.carer, my_day), (cast.nurse, week)):
        client.force_login(reader)
        with translation.override("cy"):
            page = client.get(url, headers={"accept-language": "cy"}).content.decode()
        assert welsh_words in page
        assert "A visit moved." in page
        assert "You are now on the visit" not in page
