"""The fast path renders exactly what a cold, uncached render does, and follows the plugins.

Rendering caches whole tables per (render context, frozen table definition) and resolves the
hooks once per plugin set (``whizbang_schema.plugins.dispatch``). Neither may change a byte of the
output or a warning, and neither may outlive a change of plugins: an override registered after
a cached render takes effect on the next one, through every cache layer (quoted names, table
statements), and goes away with its plugin. No timing here; see ``benchmarks/``.
"""

from __future__ import annotations

import decimal
import importlib.util
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import attrs
import pytest

from whizbang_schema import (
    Capabilities,
    ColumnDefinition,
    DecimalType,
    DefaultValue,
    Dialect,
    DialectInfo,
    PluginRegistry,
    SchemaConfiguration,
    SchemaWarning,
    Statement,
    StringType,
    TableDefinition,
    WhizbangDataType,
    get_dialect,
    hookimpl,
)
from whizbang_schema.tables import ALL_TABLES, OUTBOX

DIALECTS = ["postgres", "sqlite", "sqlserver"]
BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def synthetic() -> ModuleType:
    """The benchmarks' seeded synthetic-schema generator."""
    spec = importlib.util.spec_from_file_location("wb_synthetic", BENCHMARKS / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def copy(table: TableDefinition) -> TableDefinition:
    """An equal table that shares no object with ``table``."""
    return TableDefinition(
        table.name,
        [attrs.evolve(c) for c in table.columns],
        indexes=[attrs.evolve(i) for i in table.indexes],
        unique_constraints=[attrs.evolve(u) for u in table.unique_constraints],
    )


def fields(statements: tuple[Statement, ...]) -> list[tuple[Any, ...]]:
    return [(s.kind, s.name, s.sql, s.table, s.schema, s.notes) for s in statements]


def render(dialect: Any, target: Any, **settings: Any) -> tuple[str, list[str]]:
    """The script and the warning messages of one render."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        script = dialect.render(target, **settings)
    return script, [str(w.message) for w in caught if issubclass(w.category, SchemaWarning)]


@pytest.fixture
def quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SchemaWarning)
        yield


SETTINGS = [
    {},
    {"prefix": "app_"},
    {"schema": "infra"},
    {"verbatim_names": True},
    {"prefix": "", "dialect_options": {"sqlite": {"uuid": "blob", "strict": True}}},
    {"dialect_options": {"sqlserver": {"json": "native"}}},
]


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_cached_and_cold_renders_of_the_nine_tables_are_identical(dialect_name: str) -> None:
    warm = get_dialect(dialect_name, registry=PluginRegistry())
    for settings in SETTINGS:
        for table in ALL_TABLES:
            first = render(warm, table, **settings)
            cached = render(warm, table, **settings)  # the statement cache answers
            equal_copy = render(warm, copy(table), **settings)  # answered through equality
            cold = get_dialect(dialect_name, registry=PluginRegistry())  # nothing cached
            uncached = render(cold, copy(table), **settings)
            warm.clear_caches()
            cleared = render(warm, table, **settings)
            assert first == cached == equal_copy == uncached == cleared, (table.name, settings)
        whole = render(warm, SchemaConfiguration(**settings))
        fresh = get_dialect(dialect_name, registry=PluginRegistry())
        assert whole == render(fresh, ALL_TABLES, **settings)


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_cached_statements_equal_cold_statements(dialect_name: str, quiet: None) -> None:
    warm = get_dialect(dialect_name, registry=PluginRegistry())
    warm.statements(SchemaConfiguration())
    cached = warm.statements(SchemaConfiguration())
    cold = get_dialect(dialect_name, registry=PluginRegistry()).statements(
        SchemaConfiguration(tables=[copy(t) for t in ALL_TABLES])
    )
    assert fields(cached) == fields(cold)


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_a_sample_of_the_synthetic_schema_renders_the_same_cached_and_cold(
    dialect_name: str, quiet: None
) -> None:
    tables = synthetic().tables(300)
    sample = SchemaConfiguration(tables=tables)
    warm = get_dialect(dialect_name, registry=PluginRegistry())
    first = warm.statements(sample)
    again = warm.statements(sample)
    one_by_one = tuple(s for t in tables for s in warm.statements(t))
    cold = get_dialect(dialect_name, registry=PluginRegistry()).statements(
        SchemaConfiguration(tables=[copy(t) for t in tables])
    )
    assert fields(first) == fields(again) == fields(one_by_one) == fields(cold)


def test_the_synthetic_schema_is_deterministic() -> None:
    module = synthetic()
    assert module.tables(50) == module.tables(50)
    assert module.tables(50) == module.tables(120)[:50]


def test_the_whole_synthetic_schema_is_valid() -> None:
    # The benchmark builds all 10,000 tables: a validation rule added later must not break it.
    assert len(synthetic().tables(10_000)) == 10_000


# -- overrides registered after a cached render -----------------------------------------------


class JsonAsJson:
    @hookimpl(tryfirst=True)
    def whizbang_schema_render_type(self, dialect: str, column: Any) -> str | None:
        if dialect == "postgres" and column.data_type is WhizbangDataType.JSON:
            return "JSON"
        return None


class ShoutingNames:
    """Quotes every identifier: overrides a decision cached per render context."""

    @hookimpl(tryfirst=True)
    def whizbang_schema_quote_identifier(self, dialect: str, name: str) -> str | None:
        return f'"{name}"' if dialect == "postgres" else None


class WrappedIndexes:
    """A new-style wrapper: the fast hook call must hand this hook to pluggy."""

    @hookimpl(wrapper=True)
    def whizbang_schema_render_index(self, dialect: str) -> Any:
        statement = yield
        if dialect != "postgres":
            return statement
        return attrs.evolve(statement, sql=statement.sql + " /* wrapped */")


@pytest.mark.parametrize(
    ("plugin", "expected"),
    [
        (JsonAsJson, "event_data JSON NOT NULL"),
        (ShoutingNames, '"event_data" JSONB NOT NULL'),
        (WrappedIndexes, "(status, created_at) /* wrapped */"),
    ],
)
def test_a_plugin_registered_after_a_cached_render_takes_effect(
    plugin: type, expected: str
) -> None:
    registry = PluginRegistry()
    postgres = get_dialect("postgres", registry=registry)
    before = postgres.render(OUTBOX)
    assert postgres.render(OUTBOX) == before  # cached now
    assert expected not in before

    name = registry.register(plugin())
    after = postgres.render(OUTBOX)  # the dialect object obtained before the plugin
    assert expected in after
    assert get_dialect("postgres", registry=registry).render(copy(OUTBOX)) == after
    cold = get_dialect("postgres", registry=PluginRegistry())
    cold_registry_plugin = PluginRegistry()
    cold_registry_plugin.register(plugin())
    assert get_dialect("postgres", registry=cold_registry_plugin).render(OUTBOX) == after

    registry.unregister(name)
    assert postgres.render(OUTBOX) == before == cold.render(OUTBOX)


def test_a_dialects_decisions_answer_as_pluggy_does() -> None:
    """Order: tryfirst first, then newest registered, then older, trylast last (the dialect
    object's own plugin is trylast); the first answer that is not None wins; exceptions
    propagate; another dialect's method is never asked."""
    registry = PluginRegistry(load_entry_points=False)
    column, table = OUTBOX.columns[0], OUTBOX

    def dialect_class(name: str, answer: str) -> type[Dialect]:
        class Answering(Dialect):
            info = DialectInfo(name, "test", Capabilities(False, False))

            def render_type(self) -> str:
                return answer

        return Answering

    registry.register(dialect_class("e", "from e"))
    registry.register(dialect_class("d", "from d"))
    registry.register(dialect_class("f", "from f"))

    def plugin(answer: str | None, **opts: bool) -> object:
        class Plugin:
            @hookimpl(**opts)
            def whizbang_schema_render_type(self, dialect: str) -> str | None:
                return answer if dialect == "d" else None

        return Plugin()

    def both() -> tuple[Any, Any]:
        fast = registry.dialect("d").decisions().render_type(column, table, None)
        slow = registry.hook.whizbang_schema_render_type(
            dialect="d", column=column, table=table, context=None
        )
        return fast, slow

    assert both() == ("from d", "from d")
    registry.register(plugin("old"))
    assert both() == ("old", "old")
    registry.register(plugin("last", trylast=True))
    assert both() == ("old", "old")
    registry.register(plugin(None))
    registry.register(plugin("new"))
    assert both() == ("new", "new")
    registry.register(plugin("first", tryfirst=True))
    registry.register(plugin(None, tryfirst=True))
    assert both() == ("first", "first")
    assert registry.dialect("e").decisions().render_type(column, table, None) == "from e"

    class Broken:
        @hookimpl(tryfirst=True)
        def whizbang_schema_render_type(self) -> str:
            raise LookupError("boom")

    registry.register(Broken())
    with pytest.raises(LookupError, match="boom"):
        registry.dialect("d").decisions().render_type(column, table, None)


def test_trylast_module_plugins_keep_their_place_among_dialects() -> None:
    """pluggy calls trylast implementations oldest first; the dialect's method keeps the place
    of its plugin there, so a decision answers as the relay does."""
    registry = PluginRegistry(load_entry_points=False)

    class Plugin:
        @hookimpl(trylast=True)
        def whizbang_schema_parse_type(self, dialect: str, sql_type: str) -> object:
            return (WhizbangDataType.JSON, None) if sql_type == "JSONISH" else None

    registry.register(Plugin())

    class D(Dialect):
        info = DialectInfo("d", "test", Capabilities(False, False))
        TYPES: ClassVar[dict[WhizbangDataType, str]] = {WhizbangDataType.STRING: "JSONISH"}

    registry.register(D)
    parse = registry.dialect("d").decisions().parse_type
    for sql_type in ("JSONISH", "jsonish "):
        relay = registry.hook.whizbang_schema_parse_type(
            dialect="d", sql_type=sql_type, context=None
        )
        assert parse(sql_type, None) == relay
    assert parse("JSONISH", None) == (WhizbangDataType.JSON, None)  # the older plugin first
    assert parse("jsonish ", None) == StringType()  # then the dialect


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_a_long_run_of_new_tables_keeps_the_caches_bounded(
    dialect_name: str, quiet: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A process rendering ever new tables (a name per tenant, per test) must not keep every
    # one: past the bound the oldest are forgotten, and rendered again exactly when met.
    from whizbang_schema.plugins import dialect as dialect_module
    from whizbang_schema.render import context as context_module

    monkeypatch.setattr(dialect_module, "_TABLES_KEPT", 5)
    monkeypatch.setattr(context_module, "_NAMES_KEPT", 40)
    dialect = get_dialect(dialect_name)
    dialect.clear_caches()
    first = dialect.render(attrs.evolve(OUTBOX, name="tenant_0"))
    for n in range(1, 30):
        dialect.render(attrs.evolve(OUTBOX, name=f"tenant_{n}"))
    context = dialect.context(SchemaConfiguration(tables=()))
    assert len(dialect._tables) <= 5
    assert len(context._quoted) <= 40 and len(context._qualified) <= 40
    assert dialect.render(attrs.evolve(OUTBOX, name="tenant_0")) == first
    dialect.clear_caches()
    assert dialect.render(attrs.evolve(OUTBOX, name="tenant_0")) == first


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_threads_rendering_new_configurations_at_once_answer_as_one_thread(
    dialect_name: str, quiet: None
) -> None:
    """One dialect object shared by threads, each rendering configurations no other has
    asked for (so each makes new render contexts while the others look theirs up): no
    error, and each script is the one a dialect of its own renders. The interpreter is made
    to switch threads as often as it can, so that their steps interleave."""
    dialect = get_dialect(dialect_name, registry=PluginRegistry())
    work = {
        n: [SchemaConfiguration(prefix=f"t{n}_{i}_", tables=[OUTBOX]) for i in range(150)]
        for n in range(4)
    }
    alone = get_dialect(dialect_name, registry=PluginRegistry())
    expected = {n: [alone.render(c) for c in configurations] for n, configurations in work.items()}
    assert _render_in_threads(dialect, work) == expected


def _prices(amount: str, rate: float) -> TableDefinition:
    return TableDefinition(
        "prices",
        [
            ColumnDefinition("id", WhizbangDataType.INTEGER, primary_key=True),
            ColumnDefinition(
                "amount", DecimalType(10, 2), default=DefaultValue.decimal(decimal.Decimal(amount))
            ),
            ColumnDefinition("rate", WhizbangDataType.DOUBLE, default=DefaultValue.double(rate)),
        ],
    )


@pytest.mark.parametrize("dialect_name", [*DIALECTS, "mysql"])
@pytest.mark.parametrize(
    ("first", "then"),
    [(("1.0", 0.5), ("1.00", 0.5)), (("1.5", 0.0), ("1.5", -0.0))],
    ids=["decimal places", "negative zero"],
)
def test_an_equal_table_whose_defaults_are_written_otherwise_gets_its_own_sql(
    dialect_name: str, first: tuple[str, float], then: tuple[str, float], quiet: None
) -> None:
    """Decimal("1.0") == Decimal("1.00") and 0.0 == -0.0, so the two tables are equal; but
    they render differently, and a render must not depend on what was rendered before."""
    before, after = _prices(*first), _prices(*then)
    assert before == after
    dialect = get_dialect(dialect_name, registry=PluginRegistry())
    cold = get_dialect(dialect_name, registry=PluginRegistry()).render(after)
    assert dialect.render(before) != cold
    assert dialect.render(after) == cold
    assert dialect.render(SchemaConfiguration(tables=[after, OUTBOX])) == get_dialect(
        dialect_name, registry=PluginRegistry()
    ).render(SchemaConfiguration(tables=[after, OUTBOX]))


@pytest.mark.parametrize("value", [1, 1.0])
def test_an_option_value_equal_to_a_valid_one_is_refused_after_it_too(value: object) -> None:
    """True == 1 == 1.0: a context made for strict=True must not answer for strict=1, which
    a cold render refuses (a flag takes true or false)."""
    sqlite = get_dialect("sqlite", registry=PluginRegistry())
    assert "STRICT" in sqlite.render(OUTBOX, dialect_options={"sqlite": {"strict": True}})
    with pytest.raises(ValueError, match="option 'strict' is a flag"):
        sqlite.render(OUTBOX, dialect_options={"sqlite": {"strict": value}})


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_threads_rendering_past_the_caches_bounds_answer_as_one_thread(
    dialect_name: str, quiet: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Threads rendering new tables past the bound of the kept tables evict at once: the
    oldest is gone for one of them, and the others must not fail for it (KeyError)."""
    from whizbang_schema.plugins import dialect as dialect_module
    from whizbang_schema.render import context as context_module

    monkeypatch.setattr(dialect_module, "_TABLES_KEPT", 8)
    monkeypatch.setattr(context_module, "_NAMES_KEPT", 30)
    dialect = get_dialect(dialect_name, registry=PluginRegistry())
    work = {n: [attrs.evolve(OUTBOX, name=f"t{n}_{i}") for i in range(300)] for n in range(4)}
    alone = get_dialect(dialect_name, registry=PluginRegistry())
    expected = {n: [alone.render(table) for table in tables] for n, tables in work.items()}
    assert _render_in_threads(dialect, work) == expected


def _render_in_threads(dialect: Dialect, work: dict[int, list[Any]]) -> dict[int, list[str]]:
    """Each thread renders its own list on the one ``dialect``, the interpreter switching
    threads as often as it can so that their steps interleave; every error fails the test."""
    got: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def render_all(n: int) -> None:
        try:
            got[n] = [dialect.render(target) for target in work[n]]
        except BaseException as exc:  # reported below, with the thread's others
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=render_all, args=(n,)) for n in work]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    return got
