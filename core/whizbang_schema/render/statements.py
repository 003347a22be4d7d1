"""Rendered statements: each one SQL statement with its kind and the object it creates.

Rendering yields statements, not a text blob, so that applying, reporting ("created" versus
"already there") and batching work per object. The text form is :func:`render_script`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from ..model.errors import RenderError

__all__ = ["Statement", "StatementKind", "as_statements", "render_script"]


class StatementKind(enum.Enum):
    """What a statement creates or changes."""

    CREATE_SCHEMA = "create_schema"
    CREATE_TABLE = "create_table"
    CREATE_INDEX = "create_index"
    ADD_COLUMN = "add_column"
    ALTER_COLUMN = "alter_column"
    BACKFILL = "backfill"
    CHECK = "check"
    ADD_CONSTRAINT = "add_constraint"
    REBUILD_TABLE = "rebuild_table"
    DROP_INDEX = "drop_index"
    RENAME_INDEX = "rename_index"
    DROP_COLUMN = "drop_column"
    DROP_CONSTRAINT = "drop_constraint"
    DROP_TABLE = "drop_table"
    RENAME_TABLE = "rename_table"
    RENAME_COLUMN = "rename_column"

    __hash__ = object.__hash__  # as WhizbangDataType: Enum's own hash is Python code


def _notes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(slots=True, init=False)  # __init__ below
class Statement:
    """One statement, without its terminating semicolon.

    ``name`` is the created object's name as the catalog stores it (unquoted, prefixed);
    ``table`` the table it belongs to, for indexes and columns; ``schema`` its schema when
    one was given. ``notes`` carry what the dialect had to change to express the definition
    (each also raised as a :class:`~whizbang_schema.DegradedRenderWarning`).

    Statements of a migration plan also say what they risk: ``hazards`` are words of
    :data:`~whizbang_schema.model.hazards.HAZARDS`; ``concurrent`` ones cannot run inside a
    transaction (PostgreSQL's ``CREATE INDEX CONCURRENTLY``) and run after the plan's
    transaction commits; a ``check`` is a query that must return no rows (existing rows that
    would break the change), or the plan stops before changing anything.
    """

    kind: StatementKind
    name: str
    sql: str
    table: str | None = None
    schema: str | None = None
    notes: tuple[str, ...] = attrs.field(default=(), converter=_notes)
    hazards: tuple[str, ...] = attrs.field(default=(), converter=_notes)
    concurrent: bool = False
    check: bool = False

    def __init__(
        self,
        kind: StatementKind,
        name: str,
        sql: str,
        table: str | None = None,
        schema: str | None = None,
        notes: Iterable[str] = (),
        hazards: Iterable[str] = (),
        concurrent: bool = False,
        check: bool = False,
    ) -> None:
        # attrs' own __init__ does the same through object.__setattr__ and a converter call
        # per field; the slots' own setters take half the time, for every new table's seven.
        _set_kind(self, kind)
        _set_name(self, name)
        _set_sql(self, sql)
        _set_table(self, table)
        _set_schema(self, schema)
        _set_notes(self, notes if notes.__class__ is tuple else tuple(notes))
        _set_hazards(self, hazards if hazards.__class__ is tuple else tuple(hazards))
        _set_concurrent(self, concurrent)
        _set_check(self, check)

    def __str__(self) -> str:
        return self.sql + ";"


(
    _set_kind,
    _set_name,
    _set_sql,
    _set_table,
    _set_schema,
    _set_notes,
    _set_hazards,
    _set_concurrent,
    _set_check,
) = (Statement.__dict__[field.name].__set__ for field in attrs.fields(Statement))

_new = object.__new__


def created(
    kind: StatementKind,
    name: str,
    sql: str,
    table: str | None,
    schema: str | None,
    notes: tuple[str, ...],
) -> Statement:
    """``Statement(kind, name, sql, table, schema, notes)`` without the call through its
    ``__init__`` (``notes`` a tuple, no hazards): the generic table and index statements of
    every new table."""
    statement: Statement = _new(Statement)
    _set_kind(statement, kind)
    _set_name(statement, name)
    _set_sql(statement, sql)
    _set_table(statement, table)
    _set_schema(statement, schema)
    _set_notes(statement, notes)
    _set_hazards(statement, ())
    _set_concurrent(statement, False)
    _set_check(statement, False)
    return statement


_GROUP_STARTS = frozenset({StatementKind.CREATE_SCHEMA, StatementKind.CREATE_TABLE})


def render_script(statements: Iterable[Statement]) -> str:
    """Join statements into one script: ``;`` and a newline after each, a blank line before
    each schema or table, ``\\n`` line endings throughout."""
    parts: list[str] = []
    for statement in statements:
        if parts and statement.kind in _GROUP_STARTS:
            parts.append("\n")
        parts.append(statement.sql)
        parts.append(";\n")
    return "".join(parts)


def as_statements(result: object, what: str, dialect: str) -> tuple[Statement, ...]:
    """A decision's answer (one statement, several, or ``()``) as a tuple; anything else is
    a :class:`~whizbang_schema.RenderError` naming the dialect and what was rendered."""
    if isinstance(result, Statement):
        return (result,)
    if isinstance(result, (list, tuple)) and all(isinstance(s, Statement) for s in result):
        return tuple(result)
    if result is None:
        raise RenderError(f"no plugin rendered {what}", dialect=dialect)
    raise RenderError(
        f"a plugin returned {result!r} for {what}; expected Statement(s)", dialect=dialect
    )
