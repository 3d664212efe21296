"""The suite's order for its workers names files that exist (a moved file would silently lose
its place at the front and could leave one worker finishing alone), and tests that share a node
id (of which xdist would run one) stop the run."""

from pathlib import Path

from tests.longest_first import LONGEST_FIRST, same_node_ids

ROOT = Path(__file__).resolve().parent.parent


def test_every_file_named_longest_first_exists_once() -> None:
    assert [path for path in LONGEST_FIRST if not (ROOT / path).is_file()] == []
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)


def test_tests_sharing_a_node_id_are_found() -> None:
    # As schemathesis named its items without a pytest parameter: one bare name per operation.
    ids = ["t.py::test_a", "t.py::test_b[x]", "t.py::test_a", "t.py::test_b[y]"]
    assert same_node_ids(ids) == ["t.py::test_a"]
    assert same_node_ids(ids[1:2] + ids[3:]) == []
