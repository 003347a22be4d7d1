"""Dialects as objects: look one up by name and render tables or whole configurations.

:func:`get_dialect` returns a :class:`Dialect`, which satisfies the design document's
``ISchemaGenerator`` (``generate_create_table(table, prefix)``) and adds statement-level
rendering. All the dialect-specific work happens in plugin hooks; this module only drives the
pipeline: schema, then per table its CREATE TABLE and its indexes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any, Union

import attrs

from ..model.capabilities import Capabilities, DialectInfo
from ..model.configuration import SchemaConfiguration
from ..model.definitions import TableDefinition
from ..model.errors import (
    DefinitionError,
    DegradedRenderWarning,
    DialectNotFoundError,
    RenderError,
    SchemaError,
)
from ..render.context import RenderContext
from ..render.statements import Statement, render_script
from .registry import PluginRegistry, default_registry

__all__ = ["Dialect", "available_dialects", "get_dialect"]

_Target = Union[TableDefinition, SchemaConfiguration, Iterable[TableDefinition]]  # noqa: UP007


class Dialect:
    """One installed dialect. Get it with :func:`get_dialect`."""

    def __init__(self, info: DialectInfo, registry: PluginRegistry) -> None:
        self.info = info
        self._registry = registry
        self._contexts: dict[tuple[object, ...], RenderContext] = {}
        self._tables: dict[tuple[int, TableDefinition], _Cached] = {}

    def __repr__(self) -> str:
        return f"<Dialect {self.name!r} from {self.info.distribution} {self.info.version}>"

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def capabilities(self) -> Capabilities:
        return self.info.capabilities

    # -- the design document's generator --------------------------------------------------

    def generate_create_table(self, table: TableDefinition, prefix: str = "wh_") -> str:
        """The DDL for one table and its indexes, as a script (``ISchemaGenerator``)."""
        return self.render(table, prefix=prefix)

    def clear_caches(self) -> None:
        """Forget everything this dialect has rendered: the next render asks every hook again.

        Rendering never needs this (the caches key on the frozen definitions and on the
        plugin registry's generation, so they follow both); it is for benchmarks and tests
        that compare cached with uncached output.
        """
        self._contexts.clear()
        self._tables.clear()

    # -- statements ---------------------------------------------------------------------------

    def context(self, configuration: SchemaConfiguration) -> RenderContext:
        """The render context for ``configuration`` (cached; options checked here)."""
        generation = self._registry.generation
        options = configuration.options_for(self.name)
        key = (
            generation,
            configuration.prefix,
            configuration.schema,
            configuration.verbatim_names,
            tuple(sorted(options.items())),
        )
        context = self._contexts.get(key)
        if context is None:
            if len(self._contexts) > 64 or any(k[0] != generation for k in self._contexts):
                self.clear_caches()
            context = RenderContext(
                self.info,
                self._registry.render_hooks,
                prefix=configuration.prefix,
                schema=configuration.schema,
                verbatim_names=configuration.verbatim_names,
                options=self.info.resolve_options(options),
            )
            self._contexts[key] = context
        return context

    def statements(self, target: _Target, **settings: Any) -> tuple[Statement, ...]:
        """Render ``target`` as statements, in the order they must run.

        ``target`` is a :class:`SchemaConfiguration`, one :class:`TableDefinition` or several.
        ``settings`` are :class:`SchemaConfiguration` fields (``prefix``, ``schema``,
        ``verbatim_names``, ``dialect_options``) applied on top. Notes on degraded statements
        are also raised as :class:`DegradedRenderWarning`.
        """
        statements = self._render(_configuration(target, settings))
        self._warn(statements)
        return statements

    def render(self, target: _Target, **settings: Any) -> str:
        """Render ``target`` as one script (see :meth:`statements`)."""
        statements = self._render(_configuration(target, settings))
        self._warn(statements)
        return render_script(statements)

    def _warn(self, statements: tuple[Statement, ...]) -> None:
        for statement in statements:
            for note in statement.notes:
                warnings.warn(DegradedRenderWarning(f"{self.name}: {note}"), stacklevel=3)

    def _render(self, configuration: SchemaConfiguration) -> tuple[Statement, ...]:
        self._registry.check_usable()
        context = self.context(configuration)
        hooks = self._registry.render_hooks
        out: list[Statement] = []
        if configuration.schema is not None:
            out.extend(
                _as_statements(
                    hooks.render_create_schema(self.name, configuration.schema, context),
                    f"schema {configuration.schema!r}",
                    self.name,
                )
            )
        owners: dict[str, str] = {}
        for table in configuration.tables:
            cached = self._cached(table, context)
            for key, name, what in cached.names:
                if key in owners:
                    raise DefinitionError(
                        f"{what} and {owners[key]} would both be named {name!r} in the database; "
                        f"the second would be silently skipped",
                        table=table.name,
                        field="name",
                    )
                owners[key] = what
            if cached.statements is None:
                cached.statements = self._render_table(table, context)
            out.extend(cached.statements)
        return tuple(out)

    def _cached(self, table: TableDefinition, context: RenderContext) -> _Cached:
        """The cache entry of ``table`` in ``context`` (keyed on the context, which lives as
        long as the entry, and on the frozen definition: an equal table finds it too)."""
        key = (id(context), table)
        cached = self._tables.get(key)
        if cached is None:
            cached = self._tables[key] = _Cached(
                tuple((name.casefold(), name, what) for name, what in context.object_names(table))
            )
        return cached

    def _render_table(
        self, table: TableDefinition, context: RenderContext
    ) -> tuple[Statement, ...]:
        hooks = self._registry.render_hooks
        context.check_limits(table)
        try:
            statements = list(
                _as_statements(
                    hooks.render_create_table(self.name, table, context),
                    f"table {table.name!r}",
                    self.name,
                )
            )
            for index in table.indexes:
                statements.extend(
                    _as_statements(
                        hooks.render_index(self.name, table, index, context),
                        f"index {index.name!r}",
                        self.name,
                    )
                )
        except RenderError as exc:
            raise exc.located(table=table.name) from None
        return tuple(statements)


class _Cached:
    """What a dialect keeps of one table rendered in one context: the names it puts in the
    catalog, as ``(casefolded, name, what it names)``, and its statements once rendered."""

    __slots__ = ("names", "statements")

    def __init__(self, names: tuple[tuple[str, str, str], ...]) -> None:
        self.names = names
        self.statements: tuple[Statement, ...] | None = None


def _configuration(target: _Target, settings: dict[str, Any]) -> SchemaConfiguration:
    try:
        if isinstance(target, SchemaConfiguration):
            return attrs.evolve(target, **settings) if settings else target
        if isinstance(target, TableDefinition):
            return SchemaConfiguration(tables=(target,), **settings)
        return SchemaConfiguration(tables=tuple(target), **settings)
    except TypeError as exc:
        raise TypeError(f"unknown rendering setting: {exc}") from None


def _as_statements(result: object, what: str, dialect: str) -> Sequence[Statement]:
    if result is None:
        raise RenderError(f"no plugin rendered {what}", dialect=dialect)
    if isinstance(result, Statement):
        return (result,)
    if isinstance(result, (list, tuple)) and all(isinstance(s, Statement) for s in result):
        return result
    raise SchemaError(f"{dialect}: a plugin returned {result!r} for {what}; expected Statement(s)")


def get_dialect(name: str, *, registry: PluginRegistry | None = None) -> Dialect:
    """The installed dialect called ``name`` (``postgres``, ``sqlite``, ``sqlserver``...).

    Raises :class:`~whizbang_schema.DialectNotFoundError`, listing what is available, for an
    unknown name.
    """
    registry = registry or default_registry()
    if not isinstance(name, str):  # not even a key of the memo (a list is unhashable)
        raise DialectNotFoundError(name, tuple(registry.dialects()))
    dialect = registry.memo.get(("dialect", name))
    if not isinstance(dialect, Dialect):
        dialect = Dialect(registry.dialect_info(name), registry)
        registry.memo[("dialect", name)] = dialect
    return dialect


def available_dialects(*, registry: PluginRegistry | None = None) -> tuple[DialectInfo, ...]:
    """Every installed dialect's description, sorted by name."""
    return tuple((registry or default_registry()).dialects().values())
