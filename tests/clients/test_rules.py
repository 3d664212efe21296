"""Pure pieces: postcodes, NHS number display, the signs and symptoms vocabulary, plain words,
the late-entry threshold and the ratings chart."""

import datetime as dt
import uuid

import pytest

from clients import nhs_number, omaha, plain_language, postcode
from clients.charts import ratings_chart
from clients.models import OutcomeRating
from clients.omaha_signs import SIGNS_SYMPTOMS, signs_for
from clients.rules import LATE_ENTRY_AFTER, is_late


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" SW1A  1AA ", "SW1A 1AA"),
        ("cf10 1aa", "CF10 1AA"),
        ("m11ae", "M1 1AE"),
        ("bt7 1nn", "BT7 1NN"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_uk_postcodes_are_normalised(typed: str, stored: str) -> None:
    assert postcode.is_valid(typed)
    assert postcode.normalise(typed) == stored


@pytest.mark.parametrize("typed", ["", "SW1A", "12345", "SW1A 1A", "SW1A 1AAA", "Q1 1AA"])
def test_things_that_are_not_postcodes_are_refused(typed: str) -> None:
    assert not postcode.is_valid(typed)


def test_nhs_numbers_are_shown_3_3_4() -> None:
    assert nhs_number.display("9434765919") == "943 476 5919"
    assert nhs_number.is_valid(nhs_number.normalise("943 476 5919"))
    assert not nhs_number.is_valid("9434765918")


def test_every_omaha_problem_has_signs_ending_in_other() -> None:
    assert set(SIGNS_SYMPTOMS) == set(omaha.PROBLEMS)
    for code in omaha.PROBLEMS:
        signs = signs_for(code)
        assert len(signs) >= 2
        assert list(signs.values())[-1] == "other"
        assert list(signs) == [f"{n:02d}" for n in range(1, len(signs) + 1)]
    assert signs_for("99") == {}


def test_every_problem_and_category_has_plain_words_without_codes() -> None:
    assert set(plain_language.PROBLEMS) == set(omaha.PROBLEMS)
    assert set(plain_language.CATEGORIES) == set(omaha.Category.values)
    for words in plain_language.PROBLEMS.values():
        assert not any(ch.isdigit() for ch in words)


def test_a_note_is_late_only_beyond_the_threshold() -> None:
    written = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)
    assert not is_late(written_at=written, received_at=written + LATE_ENTRY_AFTER)
    assert is_late(
        written_at=written, received_at=written + LATE_ENTRY_AFTER + dt.timedelta(seconds=1)
    )


def rating(day: int, k: int, b: int, s: int) -> OutcomeRating:
    return OutcomeRating(
        id=uuid.uuid4(),
        knowledge=k,
        behaviour=b,
        status=s,
        rated_on=dt.date(2030, 1, day),
    )


def test_the_chart_draws_a_line_per_scale_with_5_at_the_top() -> None:
    chart = ratings_chart([rating(1, 1, 2, 3), rating(8, 5, 4, 3)])
    assert chart is not None
    assert [s.label for s in chart.series] == ["Knowledge", "Behaviour", "Status"]
    knowledge = chart.series[0].points
    assert knowledge[0][1] > knowledge[1][1]  # 1 is drawn lower than 5
    assert knowledge[0][0] < knowledge[1][0]
    assert len({s.dash for s in chart.series}) == 3  # told apart without colour


def test_no_ratings_no_chart_and_one_rating_is_centred() -> None:
    assert ratings_chart([]) is None
    one = ratings_chart([rating(1, 3, 3, 3)])
    assert one is not None
    assert one.series[0].points[0][0] == pytest.approx((one.plot_left + one.plot_right) / 2)
