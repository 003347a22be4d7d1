"""The shortcuts a new table's render takes answer exactly what the long way does.

Rendering a table no cache has seen skips calls where the answer is known to be the same
(issue 12's benchmark): the context quotes a plain name itself when the ``quote_identifier``
decision is the generic one, ``Statement`` sets its slots directly, the SQL Server key budget
is computed once per table without its cache, and SQL Server splits a predicate into conjuncts
once per predicate. SQL Server also answers its column decisions in one loop when they are its
own (a subclass method or an override plugin turns that off, and is asked for every column),
knows per predicate what no table changes, and looks for ``GO`` lines a letter at a time.
Each is held here to the slow path's answer, errors included. No timing here; see
``benchmarks/``.
"""

from __future__ import annotations

import random
import types
import warnings
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from properties.strategies import configurations

from whizbang_schema import (
    ColumnDefinition,
    DecimalType,
    DefaultValue,
    DefaultValueFunction,
    DefinitionError,
    DegradedRenderWarning,
    Dialect,
    IdentifierError,
    IndexDefinition,
    IntegerDefault,
    KeyLimits,
    PluginRegistry,
    Predicate,
    RenderError,
    SchemaConfiguration,
    SchemaWarning,
    Statement,
    StatementKind,
    TableDefinition,
    UniqueConstraintDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    fit_key_strings,
    get_dialect,
    hookimpl,
    key_string_lengths,
    table_keys,
)
from whizbang_schema.model.defaults import LITERAL_DEFAULTS
from whizbang_schema.render.spelling import literal_value
from whizbang_schema.tables import ALL_TABLES, OUTBOX
from whizbang_schema.testing import KIT_TABLES
from whizbang_schema_sqlserver import SQLServerDialect, batches, filters
from whizbang_schema_sqlserver import plugin as sqlserver_plugin
from whizbang_schema_sqlserver.keys import LIMITS
from whizbang_schema_sqlserver.rows import smallest_row_bytes

T = WhizbangDataType

NAMES = [
    "plain",
    "with_digits_9",
    "_lead",
    "_1",
    "Upper",
    "MiXed",
    "9lead",
    "dollar$",
    "space d",
    "dash-ed",
    "café",
    "\u0131",  # lower-case dotless i: lower() keeps it, but it is not ASCII
    "select",
    "SELECT",
    "order",
    "a'b",
    'a"b',
    "a]b",
]


@pytest.mark.parametrize("dialect_name", ["postgres", "sqlite", "sqlserver", "mysql"])
def test_quoting_without_the_call_answers_as_the_generic_decision(dialect_name: str) -> None:
    dialect = get_dialect(dialect_name)
    context = dialect.context(SchemaConfiguration(tables=()))
    for name in NAMES:
        slow = context.decisions.quote_identifier(name, context)
        assert context.quote(name) == slow, name
        assert context.needs_quoting(name) == (slow != name), name


@pytest.mark.parametrize(("dialect_name", "limit"), [("postgres", 63), ("sqlserver", 128)])
def test_quoting_without_the_call_still_checks_the_length(dialect_name: str, limit: int) -> None:
    context = get_dialect(dialect_name).context(SchemaConfiguration(tables=()))
    assert context.quote("a" * limit) == "a" * limit
    with pytest.raises(IdentifierError):
        context.quote("b" * (limit + 1))


def test_an_overridden_quote_identifier_is_asked_for_every_new_name() -> None:
    asked: list[str] = []

    class Shouting(type(get_dialect("postgres"))):  # type: ignore[misc]
        def quote_identifier(self, name: str, context: Any) -> str:
            asked.append(name)
            return f'"{name.upper()}"'

    context = Shouting().context(SchemaConfiguration(tables=()))
    assert context.quote("plain") == '"PLAIN"'
    assert asked == ["plain"]


def test_the_generic_quote_identifier_is_recognised_only_unchanged() -> None:
    postgres = get_dialect("postgres")
    context = postgres.context(SchemaConfiguration(tables=()))
    assert context._generic_quoting  # PostgreSQL keeps the generic decision
    assert type(postgres).quote_identifier is Dialect.quote_identifier


def test_a_statement_is_built_as_attrs_would() -> None:
    statement = Statement(
        StatementKind.CREATE_INDEX, "ix", "CREATE INDEX ix", "t", "s", ["a note"], ["locks"]
    )
    assert statement.notes == ("a note",)
    assert statement.hazards == ("locks",)
    assert (statement.concurrent, statement.check) == (False, False)
    assert statement == Statement(
        kind=StatementKind.CREATE_INDEX,
        name="ix",
        sql="CREATE INDEX ix",
        table="t",
        schema="s",
        notes=("a note",),
        hazards=("locks",),
    )
    changed = attrs.evolve(statement, sql="CREATE INDEX ix2", concurrent=True)
    assert (changed.sql, changed.concurrent, changed.notes) == (
        "CREATE INDEX ix2",
        True,
        ("a note",),
    )
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        statement.sql = "x"  # type: ignore[misc]


def _key_table(**changes: Any) -> TableDefinition:
    columns = [
        ColumnDefinition("id", T.UUID, primary_key=True),
        ColumnDefinition("code", T.STRING, unique=True),
        ColumnDefinition("label", T.STRING, max_length=300),
        ColumnDefinition("body", T.JSON, nullable=True),
    ]
    return TableDefinition(
        changes.get("name", "k"),
        changes.get("columns", columns),
        indexes=changes.get("indexes", [IndexDefinition("ix_label_code", ["label", "code"])]),
    )


@pytest.mark.parametrize("table", [*ALL_TABLES, _key_table()], ids=lambda t: t.name)
def test_the_uncached_key_budget_answers_as_the_cached_one(table: TableDefinition) -> None:
    key_string_lengths.cache_clear()
    assert fit_key_strings(table, LIMITS) == key_string_lengths(table, LIMITS)


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (IndexDefinition("ix_body", ["body"]), "index 'ix_body' cannot be an index key"),
        (
            IndexDefinition("ix_wide", ["label", "code", "id"]),
            None,  # fits: the unbounded string gets the room that is left
        ),
    ],
)
def test_the_key_budget_describes_the_key_it_refuses(
    index: IndexDefinition, message: str | None
) -> None:
    table = _key_table(indexes=[index])
    if message is None:
        assert fit_key_strings(table, LIMITS) == key_string_lengths(table, LIMITS)
        return
    with pytest.raises(UnsupportedFeatureError, match=message):
        fit_key_strings(table, LIMITS)
    with pytest.raises(UnsupportedFeatureError, match=message):
        key_string_lengths(table, LIMITS)


def test_table_keys_still_describes_every_key() -> None:
    table = _key_table()
    assert table_keys(table) == [
        ("the primary key", ("id",), True),
        ("unique column 'code'", ("code",), False),
        ("index 'ix_label_code'", ("label", "code"), False),
    ]


def test_key_widths_by_kind_and_by_type_agree() -> None:
    limits = KeyLimits(
        dialect="x",
        unbounded_type="TEXT",
        primary_key_bytes=900,
        key_bytes=1700,
        bytes_per_char=2,
        default_string_length=450,
        max_key_string=4000,
        widths={T.UUID: 16, T.INTEGER: 4},
    )
    assert limits.width(T.UUID) == 16
    assert limits.width(ColumnDefinition("i", T.INTEGER).type) == 4
    assert limits.width(T.JSON) is None
    assert limits.widths_by_kind() == {T.UUID: 16, T.INTEGER: 4}


PREDICATES = [
    "a IS NOT NULL",
    "a IS NULL AND b = 3",
    "b IN (1, 2, -3) AND a IS NOT NULL",
    "b > 3000000000",
    "flag = TRUE AND a <> 'x'",
    "(b & 2) = 0",
    "b = 1 OR b = 2",
    "b + 1 = 3",
    "b = 1.5",
    "a IS NOT NULL AND b IS NOT NULL AND flag IS NULL",
]


def _filtered_table(text: str) -> TableDefinition:
    """A table of three nullable columns (string, integer, boolean) indexed ``WHERE text``."""
    columns = [
        ColumnDefinition("a", T.STRING, nullable=True),
        ColumnDefinition("b", T.BIG_INT, nullable=True),
        ColumnDefinition("flag", T.BOOLEAN, nullable=True),
    ]
    return TableDefinition("p", columns, indexes=[IndexDefinition("ix", ["a"], where=text)])


@pytest.mark.parametrize("text", PREDICATES)
def test_one_pass_over_the_conjuncts_answers_as_the_three_checks(text: str) -> None:
    table = _filtered_table(text)
    predicate = Predicate.parse(text)
    problem, typed, covered = filters.analyse(predicate, table)
    assert problem == filters.filter_problem(predicate, table)
    if problem is None:
        assert typed == filters.typed_constants(predicate, table)
        assert covered == filters.not_null_columns(predicate, table)
    assert filters.analyse(predicate, table) == (problem, typed, covered)  # split kept


def test_postgres_refuses_a_system_column_added_to_a_table() -> None:
    dialect = get_dialect("postgres")
    table = TableDefinition("t", [ColumnDefinition("id", T.INTEGER, primary_key=True)])
    context = dialect.context(SchemaConfiguration(tables=(table,)))
    with pytest.raises(IdentifierError, match="system column") as raised:
        context.render_add_column(table, ColumnDefinition("xmin", T.INTEGER, nullable=True))
    assert raised.value.column == "xmin"


# -- SQL Server: a new table's columns, indexes and script ---------------------------------

UUID_KEY = TableDefinition(
    "uuid_key",
    [
        ColumnDefinition(
            "id",
            T.UUID,
            primary_key=True,
            default=DefaultValue.function(DefaultValueFunction.GUID_NEW),
        ),
        ColumnDefinition(
            "other", T.UUID, default=DefaultValue.function(DefaultValueFunction.GUID_NEW)
        ),
        ColumnDefinition("body", T.JSON, nullable=True, default=DefaultValue.null()),
        ColumnDefinition("code", T.STRING, unique=True, nullable=True),
        ColumnDefinition("blob", T.BYTES, max_length=16, default=DefaultValue.bytes(b"\x00\xff")),
        ColumnDefinition("price", DecimalType(12, 2), default=DefaultValue.decimal("1.50")),
    ],
    indexes=[IndexDefinition("ix_code_live", ["code"], unique=True, where="code IS NOT NULL")],
)
SETTINGS: list[dict[str, Any]] = [
    {},
    {"prefix": "app_", "schema": "Sales"},
    {"dialect_options": {"sqlserver": {"key_uuid": "sequential", "json": "native"}}},
    {"verbatim_names": True},
]
SQLSERVER_TABLES = [*ALL_TABLES, *KIT_TABLES, UUID_KEY]
COLUMN_DECISIONS = ("render_column", "render_type", "render_default", "render_literal")


def _long_way(decision: str, asked: list[str] | None = None) -> type[SQLServerDialect]:
    """SQL Server with ``decision`` overridden by a method that answers as SQL Server's own,
    recording the columns it was asked about."""
    record = asked if asked is not None else []

    class LongWay:
        def render_column(self, column: Any, table: Any, context: Any) -> Any:
            record.append(column.name)
            return SQLServerDialect.render_column(self, column, table, context)

        def render_type(self, column: Any, table: Any, context: Any) -> Any:
            record.append(column.name)
            return SQLServerDialect.render_type(self, column, table, context)

        def render_default(self, column: Any, default: Any, table: Any, context: Any) -> Any:
            record.append(column.name)
            return SQLServerDialect.render_default(self, column, default, table, context)

        def render_literal(self, column: Any, value: Any, context: Any) -> Any:
            record.append(column.name)
            return SQLServerDialect.render_literal(self, column, value, context)

    # Only the one decision is overridden; the others stay SQL Server's own.
    return type(f"LongWay_{decision}", (SQLServerDialect,), {decision: vars(LongWay)[decision]})


@pytest.mark.parametrize("decision", COLUMN_DECISIONS)
@pytest.mark.parametrize("settings", SETTINGS, ids=str)
def test_sqlserver_columns_in_one_loop_answer_as_the_decisions(
    decision: str, settings: dict[str, Any]
) -> None:
    short, long = SQLServerDialect(), _long_way(decision)()
    assert sqlserver_plugin._column_decisions_are_own(short, short.decisions())
    assert not sqlserver_plugin._column_decisions_are_own(long, long.decisions())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SchemaWarning)
        for table in SQLSERVER_TABLES:
            assert short.render(table, **settings) == long.render(table, **settings), table.name


def _refusal(dialect: Dialect, table: TableDefinition, **settings: Any) -> tuple[Any, ...]:
    with pytest.raises(RenderError) as raised:
        dialect.render(table, **settings)
    error = raised.value
    return type(error), str(error), error.table, error.column, error.field


@pytest.mark.parametrize("decision", COLUMN_DECISIONS)
def test_sqlserver_columns_in_one_loop_refuse_as_the_decisions(decision: str) -> None:
    too_long = TableDefinition(  # a key string default longer than the key's NVARCHAR
        "too_long",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition("code", T.STRING, default=DefaultValue.string("x" * 451)),
        ],
        indexes=[IndexDefinition("ix_code", ["code"])],
    )
    long_name = TableDefinition(  # the named DEFAULT constraint's name is over 128 characters
        "t" * 100,
        [ColumnDefinition("c" * 20, T.INTEGER, nullable=False, default=DefaultValue.integer(1))],
    )

    class NoDates(SQLServerDialect):
        TYPES: ClassVar[dict[T, str]] = {
            k: v for k, v in SQLServerDialect.TYPES.items() if k is not T.DATE
        }

    dated = TableDefinition("dated", [ColumnDefinition("day", T.DATE)])
    short, long = SQLServerDialect(), _long_way(decision)()
    for table in (too_long, long_name):
        assert _refusal(short, table) == _refusal(long, table)
    no_dates_long = type("NoDatesLong", (NoDates,), {decision: vars(type(long))[decision]})
    assert _refusal(NoDates(), dated) == _refusal(no_dates_long(), dated)
    assert _refusal(NoDates(), dated)[3] == "day"


@pytest.mark.parametrize("decision", COLUMN_DECISIONS)
def test_an_overridden_column_decision_is_asked_for_every_column(decision: str) -> None:
    asked: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SchemaWarning)
        _long_way(decision, asked)().render(OUTBOX)
    with_defaults = [c.name for c in OUTBOX.columns if c.default is not None]
    literal = [c.name for c in OUTBOX.columns if isinstance(c.default, IntegerDefault)]
    expected = {
        "render_column": [c.name for c in OUTBOX.columns],
        "render_type": [c.name for c in OUTBOX.columns],
        "render_default": with_defaults,
        "render_literal": literal,
    }[decision]
    assert asked == expected


class _ShoutingLiterals:
    """An override plugin (tryfirst) for the literal decision of SQL Server alone."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    @hookimpl(tryfirst=True)
    def whizbang_schema_render_literal(
        self, dialect: str, column: ColumnDefinition, value: object
    ) -> str | None:
        if dialect != "sqlserver":
            return None
        self.asked.append(column.name)
        return f"({value!r})"


def test_an_override_plugin_is_asked_for_every_literal_default() -> None:
    registry = PluginRegistry()
    dialect = get_dialect("sqlserver", registry=registry)
    plugin = _ShoutingLiterals()
    registry.register(plugin)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SchemaWarning)
        script = dialect.render(OUTBOX)
    literal = [c.name for c in OUTBOX.columns if isinstance(c.default, IntegerDefault)]
    assert plugin.asked == literal
    assert "CONSTRAINT wh_outbox_status_default DEFAULT (1) NOT NULL" in script


def test_the_go_check_reads_only_the_lines_with_a_go_as_the_expression_does() -> None:
    pieces = ["g", "G", "o", "O", "\n", " ", "\t", "1", "x", "go", "GO", "\ngo\n", " GO 5", "lego"]
    rng = random.Random(12)
    texts = ["", "GO", "go\n", "x\n  gO 3  \ny", "lego\nago", "\n\tGo\t"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    for text in texts:
        expected = batches._GO_LINE.search(text) is not None
        assert batches._holds_go.__wrapped__(text) is expected, repr(text)


@pytest.mark.parametrize("text", PREDICATES)
def test_what_is_kept_per_predicate_answers_as_the_analysis(text: str) -> None:
    table = _filtered_table(text)
    predicate = Predicate.parse(text)
    problem, typed, covered = filters.analyse(predicate, table)
    for part in filters._parts(predicate):
        if part.shape_problem is not None:  # refused whatever the table
            assert filters._constant_groups(part, table) is None
    if filters.null_tests_only(predicate):
        assert (problem, typed) == (None, {})
        assert filters.plain(predicate)
    context = get_dialect("sqlserver").context(SchemaConfiguration(tables=()))
    for unique in (False, True):
        index = IndexDefinition("ix", ["a"], unique=unique, where=text)
        if problem is not None and unique:
            with pytest.raises(UnsupportedFeatureError):
                sqlserver_plugin.index_filter(context, table, index)
            continue
        where, notes = sqlserver_plugin.index_filter(context, table, index)
        assert bool(notes) is (problem is not None)
        if problem is None and filters.plain(predicate) and not unique:
            assert where == context.render_predicate(table, index)
        if problem is None and unique:
            assert where is not None
            added = 0 if "a" in covered else 1  # the unique index's own NULL filter
            assert where.count("a IS NOT NULL") == text.count("a IS NOT NULL") + added


def test_the_row_budget_counts_every_type_as_the_key_widths_say() -> None:
    for table in SQLSERVER_TABLES:
        fixed = bits = 0
        for column in table.columns:
            if column.data_type is T.BOOLEAN:
                bits += 1
            elif column.data_type is not T.BYTES:
                fixed += LIMITS.width(column.type) or 0
        expected = fixed + (bits + 7) // 8 + 2 + (len(table.columns) + 7) // 8 + 4
        assert smallest_row_bytes(table) == expected, table.name


# -- the generic decisions the core answers itself -------------------------------------------
#
# When a decision is the base class's own method (no override plugin, no method of the
# dialect's class), the core writes its answer for a new table without calling it: the
# columns (type, default, literal), the CREATE TABLE statement and the indexes. Each is held
# here to the long way, and each override (a subclass method, a tryfirst plugin, a 0.1
# module-style function) must be asked with the same arguments as before.

#: Each inlined decision, an override's answer for it, and its parameters.
OVERRIDDEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "render_column": ("MARKED_COLUMN", ("column", "table", "context")),
    "render_type": ("MARKED_TYPE", ("column", "table", "context")),
    "render_default": ("MARKED_DEFAULT", ("column", "default", "table", "context")),
    "render_literal": ("MARKED_LITERAL", ("column", "value", "context")),
    "render_create_table": ("MARKED_TABLE", ("table", "context")),
    "render_index": ("MARKED_INDEX", ("table", "index", "context")),
}


def _answer(decision: str, args: dict[str, Any]) -> object:
    marker = OVERRIDDEN[decision][0]
    if decision == "render_create_table":
        return Statement(StatementKind.CREATE_TABLE, "t", marker)
    if decision == "render_index":
        return Statement(StatementKind.CREATE_INDEX, args["index"].name, marker)
    return marker


def _expected_calls(decision: str, table: TableDefinition) -> list[tuple[object, ...]]:
    """The arguments the long way passes to ``decision`` for ``table`` (context left out)."""
    columns = table.columns
    if decision in ("render_column", "render_type"):
        return [(c, table) for c in columns]
    if decision == "render_default":
        return [(c, c.default, table) for c in columns if c.default is not None]
    if decision == "render_literal":
        return [
            (c, literal_value(c, c.default))
            for c in columns
            if isinstance(c.default, LITERAL_DEFAULTS)
        ]
    if decision == "render_create_table":
        return [(table,)]
    return [(table, index) for index in table.indexes]


def _outbox_copy(name: str) -> TableDefinition:
    return TableDefinition(
        name,
        [attrs.evolve(c) for c in OUTBOX.columns],
        indexes=[attrs.evolve(i) for i in OUTBOX.indexes],
    )


def _subclass_override(dialect_name: str, decision: str, calls: list[tuple[object, ...]]) -> Any:
    params = OVERRIDDEN[decision][1]

    def record(**named: Any) -> object:
        calls.append(tuple(named[p] for p in params[:-1]))
        return _answer(decision, named)

    # The dispatcher reads the method's parameter names: give it the decision's own.
    source = (
        f"def {decision}(self, {', '.join(params)}):\n"
        f"    return record({', '.join(f'{p}={p}' for p in params)})\n"
    )
    namespace: dict[str, Any] = {"record": record}
    exec(source, namespace)  # a fixed template
    base = type(get_dialect(dialect_name))
    return type("Overriding", (base,), {decision: namespace[decision]})()


def _plugin_override(dialect_name: str, decision: str, calls: list[tuple[object, ...]]) -> Any:
    params = OVERRIDDEN[decision][1]

    def hook(self: Any, dialect: str, **named: Any) -> object:
        if dialect != dialect_name:
            return None
        calls.append(tuple(named[p] for p in params[:-1]))
        return _answer(decision, named)

    # pluggy reads the parameter names: give the function the hook's own signature.
    source = (
        f"def whizbang_schema_{decision}(self, dialect, {', '.join(params)}):\n"
        f"    return hook(self, dialect, {', '.join(f'{p}={p}' for p in params)})\n"
    )
    namespace: dict[str, Any] = {"hook": hook}
    exec(source, namespace)  # a fixed template
    function = hookimpl(tryfirst=True)(namespace[f"whizbang_schema_{decision}"])
    registry = PluginRegistry(load_entry_points=False)
    registry.register(type(get_dialect(dialect_name)))
    registry.register(type("Override", (), {function.__name__: function})())
    return get_dialect(dialect_name, registry=registry)


def _module_override(dialect_name: str, decision: str, calls: list[tuple[object, ...]]) -> Any:
    # A 0.1 override: a module-level function taking only some of the hook's parameters.
    params = OVERRIDDEN[decision][1][:-1]  # no context
    module = types.ModuleType(f"wbtest_fast_{decision}")

    def hook(dialect: str, **named: Any) -> object:
        if dialect != dialect_name:
            return None
        calls.append(tuple(named[p] for p in params))
        return _answer(decision, named)

    source = (
        f"def whizbang_schema_{decision}(dialect, {', '.join(params)}):\n"
        f"    return hook(dialect, {', '.join(f'{p}={p}' for p in params)})\n"
    )
    exec(source, module.__dict__ | {"hook": hook}, module.__dict__)
    module.__dict__["hook"] = hook
    function = module.__dict__[f"whizbang_schema_{decision}"]
    setattr(module, function.__name__, hookimpl(tryfirst=True)(function))
    registry = PluginRegistry(load_entry_points=False)
    registry.register(type(get_dialect(dialect_name)))
    registry.register(module)
    return get_dialect(dialect_name, registry=registry)


@pytest.mark.parametrize("how", [_subclass_override, _plugin_override, _module_override])
@pytest.mark.parametrize("decision", sorted(OVERRIDDEN))
@pytest.mark.parametrize("dialect_name", ["postgres", "sqlite"])
def test_an_override_of_an_inlined_decision_is_asked_for_every_column_and_index(
    dialect_name: str, decision: str, how: Any
) -> None:
    calls: list[tuple[object, ...]] = []
    dialect = how(dialect_name, decision, calls)
    for serial in range(2):  # a new table, in a context that has rendered one before
        calls.clear()
        table = _outbox_copy(f"outbox_fast_{serial}")
        script = dialect.render(table)
        expected = _expected_calls(decision, table)
        assert expected, decision
        assert calls == expected
        assert script.count(OVERRIDDEN[decision][0]) == len(expected)


@pytest.mark.parametrize("dialect_name", ["postgres", "sqlite", "mysql"])
def test_the_core_answers_the_generic_decisions_of_the_built_in_dialects(
    dialect_name: str,
) -> None:
    context = get_dialect(dialect_name).context(SchemaConfiguration(tables=()))
    inlined = {
        "postgres": {
            "quote_identifier",
            "render_column",
            "render_type",
            "render_default",
            "render_create_table",
            "render_index",
        },
        "sqlite": {
            "quote_identifier",
            "render_column",
            "render_type",
            "render_default",
            "render_create_table",
            "render_index",
        },
        "mysql": {"render_column"},  # backticks: its own quote_identifier
    }
    assert context._generic == inlined[dialect_name]


class _LongWay:
    """Every inlined decision overridden by a method that asks the generic one: the core
    then calls each decision, as before the shortcuts."""

    def render_column(self, column: Any, table: Any, context: Any) -> Any:
        return super().render_column(column, table, context)  # type: ignore[misc]

    def render_type(self, column: Any, table: Any, context: Any) -> Any:
        return super().render_type(column, table, context)  # type: ignore[misc]

    def render_default(self, column: Any, default: Any, table: Any, context: Any) -> Any:
        return super().render_default(column, default, table, context)  # type: ignore[misc]

    def render_literal(self, column: Any, value: Any, context: Any) -> Any:
        return super().render_literal(column, value, context)  # type: ignore[misc]

    def render_create_table(self, table: Any, context: Any) -> Any:
        return super().render_create_table(table, context)  # type: ignore[misc]

    def render_index(self, table: Any, index: Any, context: Any) -> Any:
        return super().render_index(table, index, context)  # type: ignore[misc]


def _outcome(dialect: Any, configuration: SchemaConfiguration) -> object:
    """The script, or the error's type, text and location."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            script: object = dialect.render(configuration)
        except (DefinitionError, ValueError) as exc:
            script = (
                type(exc),
                str(exc),
                getattr(exc, "table", None),
                getattr(exc, "column", None),
            )
    return script, sorted(str(w.message) for w in caught)


@pytest.mark.parametrize("dialect_name", ["postgres", "sqlite", "mysql", "sqlserver"])
@given(data=st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_shortcuts_answer_as_the_long_way(dialect_name: str, data: st.DataObject) -> None:
    configuration = data.draw(configurations(dialect_name))
    fast = get_dialect(dialect_name)
    slow = type("LongWay", (_LongWay, type(fast)), {})()
    assert _outcome(fast, configuration) == _outcome(slow, configuration)
    lone = configuration.tables[0]
    assert _outcome(fast, SchemaConfiguration(tables=[lone], prefix="p_")) == _outcome(
        slow, SchemaConfiguration(tables=[lone], prefix="p_")
    )


@pytest.mark.parametrize(
    "table",
    [
        TableDefinition(
            "orders",
            [ColumnDefinition("id", T.INTEGER, primary_key=True)],
            indexes=[IndexDefinition("Orders_PKEY", ["id"])],
        ),
        TableDefinition(
            "orders",
            [
                ColumnDefinition("id", T.INTEGER, primary_key=True),
                ColumnDefinition("c", T.INTEGER, unique=True),
            ],
            indexes=[IndexDefinition("orders_c_key", ["id"])],
        ),
        TableDefinition(
            "orders",
            [
                ColumnDefinition("id", T.INTEGER, primary_key=True),
                ColumnDefinition("c", T.INTEGER),
            ],
            unique_constraints=[UniqueConstraintDefinition("ORDERS", ["c"])],
        ),
    ],
    ids=["pkey", "unique column", "table"],
)
@pytest.mark.parametrize("dialect_name", ["postgres", "sqlite", "sqlserver"])
def test_a_lone_table_still_refuses_two_of_its_objects_of_one_name(
    dialect_name: str, table: TableDefinition
) -> None:
    dialect = get_dialect(dialect_name)
    with pytest.raises(DefinitionError, match="would both be named") as lone:
        dialect.render(table)
    other = TableDefinition("other", [ColumnDefinition("id", T.INTEGER, primary_key=True)])
    with pytest.raises(DefinitionError, match="would both be named") as among:
        dialect.render(SchemaConfiguration(tables=[other, table]))
    assert str(lone.value) == str(among.value)
    assert (lone.value.table, lone.value.field) == ("orders", "name")


def test_sqlite_refuses_its_own_prefix_on_tables_and_indexes_as_before() -> None:
    sqlite = get_dialect("sqlite")
    column = ColumnDefinition("a", T.INTEGER, primary_key=True)
    with pytest.raises(IdentifierError) as raised:
        sqlite.render(
            TableDefinition("t", [column], indexes=[IndexDefinition("SQLite_ix", ["a"])]), prefix=""
        )
    assert str(raised.value) == (
        "table 't', field 'name': sqlite: the name 'SQLite_ix' starts with 'sqlite_', which "
        "SQLite reserves for its own tables and indexes"
    )
    with pytest.raises(IdentifierError, match="the name 'sqlite_t' starts with 'sqlite_'"):
        sqlite.render(TableDefinition("t", [column]), prefix="sqlite_")
    with pytest.raises(IdentifierError, match="the name 'sqlite_t' starts with 'sqlite_'"):
        sqlite.render(
            TableDefinition("t", [column]),
            prefix="sqlite_",
            dialect_options={"sqlite": {"strict": True}},
        )


def test_postgres_refuses_a_system_column_in_a_new_table_as_before() -> None:
    table = TableDefinition(
        "t",
        [ColumnDefinition("id", T.INTEGER, primary_key=True), ColumnDefinition("cmax", T.INTEGER)],
    )
    with pytest.raises(IdentifierError) as raised:
        get_dialect("postgres").render(table)
    assert str(raised.value) == (
        "table 't', column 'cmax', field 'name': postgres: 'cmax' is the name of a PostgreSQL "
        "system column, which every table already has; choose another column name"
    )
    # rendered names are case-sensitive: "CMAX" is another name, quoted
    upper = TableDefinition("t", [ColumnDefinition("CMAX", T.INTEGER, primary_key=True)])
    assert '"CMAX" INTEGER NOT NULL' in get_dialect("postgres").render(upper)


def test_postgres_refuses_a_varchar_beyond_its_limit_as_before() -> None:
    table = TableDefinition(
        "t",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition("s", T.STRING, max_length=10_485_761),
        ],
    )
    with pytest.raises(UnsupportedFeatureError) as raised:
        get_dialect("postgres").render(table)
    assert str(raised.value) == (
        "table 't', column 's', field 'max_length': postgres: max_length 10485761 exceeds "
        "PostgreSQL's VARCHAR limit of 10485760; leave max_length unset for unbounded TEXT"
    )


def test_sqlite_option_types_and_the_sole_key_type_are_the_dialects_data() -> None:
    table = TableDefinition(
        "t",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition(
                "u", T.UUID, default=DefaultValue.function(DefaultValueFunction.GUID_NEW)
            ),
            ColumnDefinition("n", T.INTEGER),
        ],
    )
    sqlite = get_dialect("sqlite")
    text = sqlite.render(table)
    assert "id INT NOT NULL" in text and "u TEXT DEFAULT (" in text and "n INTEGER," in text
    blob = sqlite.render(table, dialect_options={"sqlite": {"uuid": "blob"}})
    assert "u BLOB DEFAULT (randomblob(16)" in blob or "u BLOB DEFAULT (" in blob
    context = sqlite.context(SchemaConfiguration(dialect_options={"sqlite": {"uuid": "blob"}}))
    assert context.types[T.UUID] == "BLOB" and type(sqlite).TYPES[T.UUID] == "TEXT"
    # a composite key's integer column stays INTEGER
    pair = TableDefinition(
        "p",
        [
            ColumnDefinition("a", T.INTEGER, primary_key=True),
            ColumnDefinition("b", T.INTEGER, primary_key=True),
        ],
    )
    assert "a INTEGER NOT NULL" in sqlite.render(pair)


@pytest.mark.parametrize("strict", [False, True])
def test_sqlite_notes_decimals_longer_than_a_real_keeps_as_before(strict: bool) -> None:
    money = ColumnDefinition("money", DecimalType(20, 2))
    table = TableDefinition(
        "t",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            money,
            ColumnDefinition("small", DecimalType(15, 2)),
        ],
    )
    sqlite = get_dialect("sqlite")
    note = (
        "column 'money' of 't' is DECIMAL(20, 2), stored as REAL on SQLite, which keeps 15 "
        "significant digits: longer values are rounded"
    )
    options = {"sqlite": {"strict": strict}}
    with pytest.warns(DegradedRenderWarning) as caught:
        (statement,) = sqlite.statements(table, dialect_options=options)
    assert statement.notes == (note,)
    assert [str(w.message) for w in caught] == [f"sqlite: {note}"]
    assert statement.sql.endswith(") STRICT" if strict else ")")
    context = sqlite.context(SchemaConfiguration(dialect_options=options))
    (added,) = context.render_add_column(table, money)
    assert added.notes == (note,)


@pytest.mark.parametrize(
    ("prefix", "index"), [("SQL", "ite_x"), ("s", "QLITE_x"), ("", "sqlite_x"), ("Sqlite", "_x")]
)
def test_a_reserved_prefix_made_of_the_prefix_and_the_index_name_is_refused(
    prefix: str, index: str
) -> None:
    sqlite = get_dialect("sqlite")
    column = ColumnDefinition("a", T.INTEGER, primary_key=True)
    table = TableDefinition("t", [column], indexes=[IndexDefinition(index, ["a"])])
    with pytest.raises(IdentifierError, match="starts with 'sqlite_'") as raised:
        sqlite.render(table, prefix=prefix)
    assert raised.value.table == "t"
    # and a prefix that rules it out renders, without asking per index
    assert "CREATE INDEX" in sqlite.render(table, prefix="wh_")


@pytest.mark.parametrize("prefixes", [("Toy_",), "toy_", ("toy_", 3)])
def test_reserved_name_prefixes_that_could_never_match_are_refused_with_the_class(
    prefixes: object,
) -> None:
    # Names are lower-cased before the comparison: an upper-case prefix never matched, and a
    # plain string was taken a character at a time.
    from whizbang_schema_sqlite import SQLiteDialect

    with pytest.raises(TypeError, match="RESERVED_NAME_PREFIXES must be a tuple of lower-case"):
        type("Toy", (SQLiteDialect,), {"RESERVED_NAME_PREFIXES": prefixes})
    assert type("Fine", (SQLiteDialect,), {"RESERVED_NAME_PREFIXES": ("toy_",)})
