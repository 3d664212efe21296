"""The suite's order for its workers names files that exist (a moved file would silently lose
its place at the front and could leave one worker finishing alone)."""

from pathlib import Path

from tests.longest_first import LONGEST_FIRST

ROOT = Path(__file__).resolve().parent.parent


def test_every_file_named_longest_first_exists_once() -> None:
    assert [path for path in LONGEST_FIRST if not (ROOT / path).is_file()] == []
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)
