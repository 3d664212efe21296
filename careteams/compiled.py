"""Reads compiled once per process: for a hot statement whose SQL is the same for everyone but
for one value (the user's scope and the device token, read by every request), building and
compiling the ORM's query each time cost more than running it. The ORM still writes the SQL,
once per database, for a placeholder value that nothing else can contain; each use runs that
SQL with the real value in the placeholder's places. Rows come back as tuples of plain values,
converted as the ORM converts them (a SQLite UUID or date string to its Python value), never as
model instances."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: list[Any]
    places: list[int]  # where the placeholder is in `params`
    compiler: SQLCompiler
    converters: dict[int, Any]


class CompiledRead:
    """`CompiledRead(build, field)`: `build(value)` makes the query (its SQL must not depend on
    the value, only its params); `field` prepares a value for the database as the query does."""

    def __init__(
        self, build: Callable[[Any], QuerySet[Any, Any]], field: "models.Field[Any, Any]"
    ) -> None:
        self.build, self.field = build, field
        self._statements: dict[str, _Statement] = {}

    def forget(self) -> None:
        """Compile again at the next use (what `build` reads has changed)."""
        self._statements.clear()

    def _statement(self, alias: str) -> _Statement:
        if alias not in self._statements:
            placeholder = uuid.uuid4()
            compiler = self.build(placeholder).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            prepared = self.field.get_db_prep_value(placeholder, connections[alias])
            places = [n for n, param in enumerate(params) if param == prepared]
            if not places:
                raise ValueError("The query does not filter on the value it is built for.")
            selected = [column for column, _, _ in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(selected)
            self._statements[alias] = _Statement(sql, list(params), places, compiler, converters)
        return self._statements[alias]

    def rows(self, value: Any, *, using: str = "default") -> list[tuple[Any, ...]]:
        statement = self._statement(using)
        connection = connections[using]
        given = list(statement.params)
        prepared = self.field.get_db_prep_value(value, connection)
        for place in statement.places:
            given[place] = prepared
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, given)
            found = cursor.fetchall()
        if not statement.converters:
            return [tuple(row) for row in found]
        return [
            tuple(row) for row in statement.compiler.apply_converters(found, statement.converters)
        ]
