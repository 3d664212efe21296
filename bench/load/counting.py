"""Counting a request's statements for the in-process profilers (profile_morning.py,
profile_paths.py), as an execute wrapper: Django's debug cursor (CaptureQueriesContext) would
add its own cost to every statement, formatting and keeping its SQL, and so to the figures."""

from typing import Any


class Statements:
    """`with connection.execute_wrapper(Statements()):` counts; with `keep`, keeps the SQL too."""

    def __init__(self, *, keep: bool = False) -> None:
        self.count = 0
        self.kept: list[str] | None = [] if keep else None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        if self.kept is not None:
            self.kept.append(sql)
        return execute(sql, params, many, context)
