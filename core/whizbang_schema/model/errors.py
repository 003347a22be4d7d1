"""The exceptions and warnings whizbang-schema raises.

Every error a caller can provoke with bad input is a :class:`SchemaError`, so one ``except``
clause catches them all. Errors about a definition say where the problem is (table, column,
field) both as attributes, for programs, and in the message, for people.
"""

from __future__ import annotations

__all__ = [
    "DatabaseError",
    "DefinitionError",
    "DegradedRenderWarning",
    "DialectConflictError",
    "DialectNotFoundError",
    "IdentifierError",
    "OptionError",
    "PluginError",
    "PluginLoadWarning",
    "RenderError",
    "SchemaError",
    "SchemaWarning",
    "UnsupportedFeatureError",
]


class SchemaError(Exception):
    """Base class of every error whizbang-schema raises on purpose."""


def _location(table: str | None, column: str | None, field: str | None) -> str:
    parts = []
    if table is not None:
        parts.append(f"table {table!r}")
    if column is not None:
        parts.append(f"column {column!r}")
    if field is not None:
        parts.append(f"field {field!r}")
    return ", ".join(parts)


class DefinitionError(SchemaError, ValueError):
    """A definition that cannot be valid, rejected when it is constructed.

    ``table``, ``column`` and ``field`` locate the problem; any of them is ``None`` when it does
    not apply (a column built on its own has no table yet). ``reason`` is the message without
    the location.
    """

    def __init__(
        self,
        reason: str,
        *,
        table: str | None = None,
        column: str | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.table = table
        self.column = column
        self.field = field
        where = _location(table, column, field)
        super().__init__(f"{where}: {reason}" if where else reason)

    def located(self, *, table: str | None = None, column: str | None = None) -> DefinitionError:
        """Return a copy that also names ``table``/``column`` where this one did not."""
        return type(self)(
            self.reason,
            table=self.table if self.table is not None else table,
            column=self.column if self.column is not None else column,
            field=self.field,
        )


class RenderError(DefinitionError):
    """A valid definition that one dialect cannot express faithfully.

    Raised while rendering, never at construction, because whether it is expressible depends on
    the dialect (named by ``dialect``).
    """

    def __init__(
        self,
        reason: str,
        *,
        dialect: str | None = None,
        table: str | None = None,
        column: str | None = None,
        field: str | None = None,
    ) -> None:
        self.dialect = dialect
        prefix = f"{dialect}: " if dialect else ""
        super().__init__(prefix + reason, table=table, column=column, field=field)
        self.reason = reason

    def located(self, *, table: str | None = None, column: str | None = None) -> RenderError:
        return type(self)(
            self.reason,
            dialect=self.dialect,
            table=self.table if self.table is not None else table,
            column=self.column if self.column is not None else column,
            field=self.field,
        )


class IdentifierError(RenderError):
    """A name the dialect cannot hold as given, for example longer than its limit.

    whizbang-schema never truncates a name: two long names sharing a prefix would collide.
    """


class UnsupportedFeatureError(RenderError):
    """The dialect has no semantically safe way to express part of a definition."""


class OptionError(SchemaError, ValueError):
    """An unknown dialect option, or a value the option does not accept."""


class PluginError(SchemaError):
    """A dialect plugin is broken, or plugins contradict each other."""


class DialectNotFoundError(PluginError, LookupError):
    """No installed plugin provides the requested dialect."""

    def __init__(self, name: str, available: tuple[str, ...], hint: str = "") -> None:
        self.name = name
        self.available = available
        listed = ", ".join(available) if available else "none"
        super().__init__(f"unknown dialect {name!r}; available dialects: {listed}{hint}")


class DialectConflictError(PluginError):
    """Two distributions claim the same dialect name."""


class DatabaseError(SchemaError):
    """A live database refused a statement or could not be reached.

    ``statement`` is the statement that failed, when there was one; ``sqlstate`` is the
    server's SQLSTATE code (``"42P01"``), when the driver reports one.
    """

    def __init__(
        self, message: str, *, statement: object | None = None, sqlstate: str | None = None
    ) -> None:
        self.statement = statement
        self.sqlstate = sqlstate
        super().__init__(message)


class SchemaWarning(UserWarning):
    """Base class of whizbang-schema's warnings."""


class DegradedRenderWarning(SchemaWarning):
    """A dialect rendered a documented, semantically safe equivalent instead of the definition.

    Example: a non-unique partial index becomes a full index on an engine that cannot filter
    by that predicate. The index still answers every query; it is only larger.
    """


class PluginLoadWarning(SchemaWarning):
    """An installed plugin could not be loaded; the other plugins still work."""
