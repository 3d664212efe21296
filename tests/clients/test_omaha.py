"""The Omaha System vocabulary in code matches docs/reference/omaha.md, code for code."""

import re
from pathlib import Path

from clients import omaha

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "omaha.md"


def test_there_are_42_problems_in_4_domains() -> None:
    assert list(omaha.PROBLEMS) == [f"{n:02d}" for n in range(1, 43)]
    assert {p.domain for p in omaha.PROBLEMS.values()} == set(omaha.Domain)


def test_there_are_4_categories_and_75_targets_plus_other() -> None:
    assert len(omaha.Category.values) == 4
    assert len(omaha.TARGETS) == 76
    assert omaha.TARGETS["76"] == "other"


def test_problem_and_target_names_match_the_reference() -> None:
    text = REFERENCE.read_text()
    for code, problem in omaha.PROBLEMS.items():
        assert f"{code} {problem.name}" in text
    targets = text.split("Targets (75 + other):")[1].split("Rating scale")[0]
    listed = [t.strip() for t in re.split(r",\s*", targets.replace("\n", " ")) if t.strip()]
    assert listed == list(omaha.TARGETS.values())
