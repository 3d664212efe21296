"""Reads compiled once per process: for a hot statement whose SQL is the same for everyone but
for one id (the user's scope, read by every request), building and compiling the ORM's query
each time cost more than running it. The ORM still writes the SQL, once per database, for a
placeholder id that nothing else can contain; each use runs that SQL with the real id in the
placeholder's places. Rows come back as the database gives them (no model instances, no
converters): the caller reads plain values."""

import uuid
from collections.abc import Callable
from typing import Any

from django.db import connections, models
from django.db.models import QuerySet


class CompiledRead:
    """`CompiledRead(build, field)`: `build(id)` makes the query (its SQL must not depend on the
    id's value, only its params); `field` prepares an id for the database as the query does."""

    def __init__(
        self, build: Callable[[Any], QuerySet[Any, Any]], field: "models.Field[Any, Any]"
    ) -> None:
        self.build, self.field = build, field
        self._statements: dict[str, tuple[str, list[Any], list[int]]] = {}

    def forget(self) -> None:
        """Compile again at the next use (what `build` reads has changed)."""
        self._statements.clear()

    def _statement(self, alias: str) -> tuple[str, list[Any], list[int]]:
        if alias not in self._statements:
            placeholder = uuid.uuid4()
            query = self.build(placeholder).query
            sql, params = query.get_compiler(using=alias).as_sql()
            prepared = self.field.get_db_prep_value(placeholder, connections[alias])
            places = [n for n, param in enumerate(params) if param == prepared]
            if not places:
                raise ValueError("The query does not filter on the id it is built for.")
            self._statements[alias] = (sql, list(params), places)
        return self._statements[alias]

    def rows(self, value: Any, *, using: str = "default") -> list[tuple[Any, ...]]:
        sql, params, places = self._statement(using)
        connection = connections[using]
        prepared = self.field.get_db_prep_value(value, connection)
        given = list(params)
        for place in places:
            given[place] = prepared
        with connection.cursor() as cursor:
            cursor.execute(sql, given)
            return list(cursor.fetchall())
