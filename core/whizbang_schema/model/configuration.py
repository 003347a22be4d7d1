"""The schema configuration: which tables, under which prefix and schema, with which options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from typing import Any, Protocol, runtime_checkable

import attrs

from ..tables import ALL_TABLES
from .definitions import TableDefinition, check_reference
from .errors import DefinitionError, DialectNotFoundError
from .names import check_name
from .text import check_text

__all__ = ["SchemaConfiguration", "SchemaGenerator"]


@runtime_checkable
class SchemaGenerator(Protocol):
    """Anything that renders one table: the design document's ``ISchemaGenerator``.

    Every dialect returned by :func:`~whizbang_schema.get_dialect` is one; so is any object of
    your own with this method.
    """

    def generate_create_table(self, table: TableDefinition, prefix: str) -> str: ...


def _tables(value: Any) -> Any:
    # Anything but an ordered iterable is rejected with context in post-init (a set's order is
    # not the caller's, so the DDL would vary from run to run).
    if isinstance(value, (str, bytes, Set, Mapping)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _dialect_options(
    value: Mapping[str, Mapping[str, Any]],
) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    if isinstance(value, tuple):  # already frozen (attrs.evolve converts again)
        try:
            value = {dialect: dict(options) for dialect, options in value}
        except (TypeError, ValueError):
            raise DefinitionError(
                f"must map dialect names to option mappings, got {value!r}",
                field="dialect_options",
            ) from None
    if not isinstance(value, Mapping):
        raise DefinitionError(
            f"must map dialect names to option mappings, got {value!r}", field="dialect_options"
        )
    frozen = []
    for dialect, options in value.items():
        if not isinstance(dialect, str) or not isinstance(options, Mapping):
            raise DefinitionError(
                f"must map dialect names to option mappings, got {dialect!r}: {options!r}",
                field="dialect_options",
            )
        for key, option in options.items():
            if not isinstance(key, str):
                raise DefinitionError(
                    f"option names of {dialect!r} must be str, got {key!r}", field="dialect_options"
                )
            try:
                hash(option)
            except TypeError:
                raise DefinitionError(
                    f"option {key!r} of {dialect!r} must be a str, int or bool, got {option!r}",
                    field="dialect_options",
                ) from None
        frozen.append((dialect, tuple(sorted(options.items()))))
    return tuple(sorted(frozen))


@attrs.frozen(slots=True, cache_hash=True)
class SchemaConfiguration:
    """Which tables to render, and how.

    ``prefix`` starts every table, index and constraint name (so two prefixes share one
    database); ``schema`` qualifies every table (``None``: the connection's default, or the
    dialect's, ``dbo`` on SQL Server). ``tables`` defaults to the nine canonical tables.
    ``verbatim_names`` keeps index and unique-constraint names exactly as defined, for
    databases created by the C# original. ``dialect_options`` maps a dialect name to its
    options, e.g. ``{"sqlite": {"uuid": "blob"}}``; options of other dialects are ignored.
    """

    prefix: str = "wh_"
    schema: str | None = None
    tables: tuple[TableDefinition, ...] = attrs.field(default=ALL_TABLES, converter=_tables)
    verbatim_names: bool = False
    dialect_options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = attrs.field(
        factory=dict, converter=_dialect_options
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.prefix, str) or check_text(self.prefix):
            raise DefinitionError(
                f"must be a str without NUL or lone surrogates, got {self.prefix!r}",
                field="prefix",
            )
        if self.prefix != self.prefix.strip():
            raise DefinitionError(
                f"cannot start or end with white space: {self.prefix!r}", field="prefix"
            )
        if self.schema is not None:
            problem = check_name(self.schema, what="schema")
            if problem:
                raise DefinitionError(problem, field="schema")
        if not isinstance(self.verbatim_names, bool):
            raise DefinitionError(
                f"must be True or False, got {self.verbatim_names!r}", field="verbatim_names"
            )
        if not isinstance(self.tables, tuple):
            raise DefinitionError(
                f"must be a list or tuple of TableDefinition, got {self.tables!r}", field="tables"
            )
        seen: dict[str, str] = {}
        for table in self.tables:
            if not isinstance(table, TableDefinition):
                raise DefinitionError(f"expected TableDefinition, got {table!r}", field="tables")
            key = table.name.casefold()
            if key in seen:
                raise DefinitionError(
                    f"two tables named {seen[key]!r} and {table.name!r} (names are compared "
                    f"case-insensitively)",
                    table=table.name,
                    field="tables",
                )
            seen[key] = table.name
        by_name = {t.name.casefold(): t for t in self.tables}
        for table in self.tables:
            for foreign_key in table.foreign_keys:
                referenced = by_name.get(foreign_key.references_table.casefold())
                if referenced is not None and referenced is not table:
                    check_reference(table, foreign_key, referenced)

    def get_all_tables(self) -> tuple[TableDefinition, ...]:
        """The configured tables, in order (the nine canonical ones by default)."""
        return self.tables

    def options_for(self, dialect: str) -> dict[str, Any]:
        """The options given for ``dialect`` (empty if none)."""
        for name, options in self.dialect_options:
            if name == dialect:
                return dict(options)
        return {}

    def generate_full_schema(self, generator: str | SchemaGenerator) -> str:
        """The DDL of every table as one script.

        ``generator`` is a dialect name (``"postgres"``) or any :class:`SchemaGenerator`. With a
        name, the whole configuration applies (schema, options, naming); a plain generator is
        only given each table and the prefix, as in the design document.
        """
        if isinstance(generator, str):
            from ..plugins.registry import get_dialect

            return get_dialect(generator).render(self)
        if not isinstance(generator, SchemaGenerator):
            from ..plugins.registry import default_registry

            raise DialectNotFoundError(
                generator,  # named by its repr in the message
                tuple(default_registry().dialects()),
                "; pass a dialect name or an object with generate_create_table(table, prefix)",
            )
        return "\n".join(generator.generate_create_table(t, self.prefix) for t in self.tables)
