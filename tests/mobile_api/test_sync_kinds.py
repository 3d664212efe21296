"""The sync push's kinds of mutation are declared with the kinds of record they write
(`registry.Entity.mutations`): each has a handler, and no handler is left undeclared."""

from careteams import registry
from mobile_api import mutations


def test_every_declared_mutation_has_a_handler() -> None:
    missing = sorted(k for k in registry.mutation_kinds() if mutations.handler(k) is None)
    assert not missing, f"Declared mutations with no handler: {missing}"


def test_every_handler_is_declared_with_the_kind_it_writes() -> None:
    undeclared = sorted(set(mutations.KINDS) - registry.mutation_kinds())
    assert not undeclared, f"Handlers no kind declares: {undeclared}"


def test_the_first_kinds_of_mutation_are_those_of_docs_sync() -> None:
    first = {
        "note.create",
        "note.amend",
        "visit.check_in",
        "visit.withdraw",
        "visit.check_out",
        "visit.task_outcome",
        "visit.missed",
        "visit.assign",
        "visit.unassign",
        "outcome.rate",
        "shift.create",
        "shift.update",
        "shift.delete",
    }
    # The medicines record's (issue 25; handlers in mobile_api/dose_mutations.py).
    doses = {"dose.record", "dose.correct", "dose.follow_up"}
    assert set(mutations.KINDS) == first | doses
    assert first | doses <= registry.mutation_kinds()


def test_an_unknown_kind_has_no_handler() -> None:
    assert mutations.handler("holiday.create") is None
