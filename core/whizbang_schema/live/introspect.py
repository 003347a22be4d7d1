"""Read a live database back and compare it with definitions."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..model.catalog import LiveTable
from ..model.configuration import SchemaConfiguration
from ..plugins.protocols import LiveDatabase
from ..plugins.registry import PluginRegistry, get_dialect
from ..render.context import RenderContext
from .diff import Aliases, SchemaDiff, diff_tables

__all__ = ["diff_catalog", "diff_schema", "expected_tables", "read_schema"]


def _context(
    dialect: str, configuration: SchemaConfiguration, registry: PluginRegistry | None
) -> RenderContext:
    return get_dialect(dialect, registry=registry).context(configuration)


def expected_tables(
    dialect: str,
    configuration: SchemaConfiguration,
    *,
    registry: PluginRegistry | None = None,
) -> tuple[LiveTable, ...]:
    """The configured tables as ``dialect`` will store them (names prefixed, types, defaults
    and predicates normalised), to compare with :func:`read_schema`."""
    context = _context(dialect, configuration, registry)
    return tuple(context.expected_table(table) for table in configuration.tables)


def read_schema(
    database: LiveDatabase,
    configuration: SchemaConfiguration,
    *,
    registry: PluginRegistry | None = None,
) -> tuple[LiveTable, ...]:
    """The tables of ``database`` whose names start with the configuration's prefix, in the
    configuration's schema, read with a constant number of catalog queries."""
    context = _context(database.dialect, configuration, registry)
    return tuple(sorted(context.read_catalog(database), key=lambda t: t.name))


def diff_schema(
    database: LiveDatabase,
    configuration: SchemaConfiguration,
    *,
    registry: PluginRegistry | None = None,
) -> SchemaDiff:
    """The differences between ``configuration`` and what ``database`` holds.

    Indexes and constraints under the C# original's unprefixed names count as present when
    they match (see :mod:`whizbang_schema.live.diff`); ``verbatim`` on the result lists them.
    """
    live = read_schema(database, configuration, registry=registry)
    return diff_catalog(database.dialect, configuration, live, registry=registry)


def diff_catalog(
    dialect: str,
    configuration: SchemaConfiguration,
    live: Sequence[LiveTable],
    *,
    registry: PluginRegistry | None = None,
) -> SchemaDiff:
    """The differences between ``configuration`` and the tables ``live`` (as read back)."""
    expected = expected_tables(dialect, configuration, registry=registry)
    aliases: dict[str, Aliases] = {}
    if not configuration.verbatim_names:
        original = attrs.evolve(configuration, verbatim_names=True)
        unprefixed = expected_tables(dialect, original, registry=registry)
        for table, plain in zip(expected, unprefixed, strict=True):
            pairs = zip(
                (*table.indexes, *table.unique_constraints),
                (*plain.indexes, *plain.unique_constraints),
                strict=True,
            )
            aliases[table.name.casefold()] = {
                ours.name.casefold(): theirs.name
                for ours, theirs in pairs
                if ours.name.casefold() != theirs.name.casefold()
            }
    return diff_tables(expected, live, verbatim_names=aliases)
