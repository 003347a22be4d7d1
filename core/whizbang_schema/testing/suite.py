"""The conformance suite: one set of tests every dialect runs against its own engine."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os
import sys
import time
import uuid
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

import attrs
import pytest

from ..live.apply import ApplyResult, apply_statements
from ..live.connect import LiveDatabase, connect
from ..live.introspect import diff_schema, expected_tables, read_schema
from ..live.migrate import migrate_schema
from ..live.plan import build_plan
from ..live.plan_run import execute_plan
from ..model.columntypes import MAX_DECIMAL_PRECISION
from ..model.configuration import SchemaConfiguration
from ..model.datatypes import INTEGER_RANGES, WhizbangDataType
from ..model.defaults import (
    LITERAL_DEFAULTS,
    FunctionDefault,
    IntegerDefault,
)
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition
from ..model.errors import (
    DatabaseError,
    DegradedRenderWarning,
    IdentifierError,
    OptionError,
    UnsupportedFeatureError,
)
from ..plugins.dialect import Dialect
from ..plugins.registry import get_dialect
from ..render.context import RenderContext
from ..render.statements import Statement, StatementKind
from ..tables import ALL_TABLES
from .tables import (
    AWKWARD,
    CHILDREN,
    COMMON_KEYWORDS,
    EVERY_DEFAULT,
    EVERY_TYPE,
    EXTREMES,
    GROWN,
    GROWN_DEFAULTS,
    INFINITE_DEFAULTS,
    KEYS,
    KIT_TABLES,
    LITERALS,
    NOTES,
    PARENTS,
    RANGES,
    RELATED,
    TRICKY_STRING,
    ZONES,
    keyword_row,
    keyword_tables,
)
from .values import normalize

T = WhizbangDataType

#: How far a database's "now" may be from this process's clock.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)

#: The prefixes the kit's tests apply their tables under.
KIT_PREFIXES = ("wh_", "prod_", "few_", "many_")

#: The zone this process runs in while the time-zone test runs (POSIX spelling, no tz
#: database needed): UTC+05:45, Nepal's, whose 45 minutes also catch an hour-only conversion.
PROCESS_TIME_ZONE = "<+0545>-05:45"

#: The most keyword columns one kit table gets (fewer where the engine allows fewer).
KEYWORDS_PER_TABLE = 100

#: A table as first created, and as changed for a migration plan: a longer string, a wider
#: integer, a column made NOT NULL (backfilled), a default added, an index added.
PLAN_BEFORE = TableDefinition(
    "kit_plan",
    [
        ColumnDefinition("id", WhizbangDataType.INTEGER, primary_key=True),
        ColumnDefinition("label", WhizbangDataType.STRING, max_length=20),
        ColumnDefinition("amount", WhizbangDataType.SMALL_INT),
        ColumnDefinition("region", WhizbangDataType.STRING, max_length=10),
    ],
)
PLAN_AFTER = TableDefinition(
    "kit_plan",
    [
        ColumnDefinition("id", WhizbangDataType.INTEGER, primary_key=True),
        ColumnDefinition("label", WhizbangDataType.STRING, max_length=40),
        ColumnDefinition("amount", WhizbangDataType.INTEGER),
        ColumnDefinition("region", WhizbangDataType.STRING, max_length=10, nullable=False),
    ],
    indexes=[IndexDefinition("idx_kit_plan_label", ["label"])],
)


class ConformanceSuite:
    """Subclass this in your dialect's tests, name the dialect and give a fresh database::

        class TestMyDialect(ConformanceSuite):
            dialect = "mydb"

            @pytest.fixture
            def whizbang_target(self):
                url = create_empty_database()   # your code
                yield url
                drop_database(url)

    ``whizbang_target`` must yield a target ``whizbang_schema.connect`` accepts (a URL, or a
    path for file databases), naming a new, empty database for each test; it may call
    ``pytest.skip`` where the engine cannot run. Without one, the pytest plugin's fixture
    gives the URL configured with ``--whizbang-url``, the ``whizbang_url`` ini option or
    ``WHIZBANG_TEST_URL``: one scratch database the tests share, the kit dropping its tables
    after each. ``options`` sets the dialect's options. Tests that need no database run
    everywhere.

    Two facts about the engine the kit cannot see in the dialect's description are class
    attributes: ``integer_ranges_enforced`` and ``session_time_zone_sql`` (see each).
    """

    dialect: ClassVar[str]
    options: ClassVar[Mapping[str, object]] = {}

    #: Whether the engine refuses an integer one past its column type's range. True for
    #: engines with sized integer types; SQLite's one INTEGER storage class takes any 64-bit
    #: value in any integer column (and beyond 64 bits a REAL), so its tests set False. Only
    #: the refusal is skipped then: the extremes must still round-trip exactly. (A kit
    #: attribute, not a capability: capabilities say what rendering needs, and this changes no
    #: DDL. The default is the strict answer, so a dialect opts out in its own test, visibly.)
    integer_ranges_enforced: ClassVar[bool] = True

    #: The statement that puts a session in a time zone other than UTC, such as
    #: ``SET TIME ZONE 'Asia/Kathmandu'`` (PostgreSQL) or ``SET time_zone = '+05:45'``
    #: (MySQL); None where the engine has no session time zone (SQLite; SQL Server, whose
    #: zone is the server's). Either way this process's local zone is moved to UTC+05:45
    #: for the test, so a driver or a default that uses local time is caught too.
    session_time_zone_sql: ClassVar[str | None] = None

    #: The significant digits a DECIMAL keeps exactly: all 38 a DECIMAL may have on engines
    #: with an exact decimal type; 15 on SQLite, whose dialect stores DECIMAL as an 8-byte REAL
    #: (order over exactness). The kit round-trips a DECIMAL(38, 10) value of this many digits.
    decimal_digits: ClassVar[int] = MAX_DECIMAL_PRECISION

    #: Whether DOUBLE stores +/- infinity (PostgreSQL, SQLite). Where False (SQL Server,
    #: MySQL and MariaDB) the kit checks that writing one is refused, not stored as something
    #: else.
    double_infinities: ClassVar[bool] = True

    # -- helpers ----------------------------------------------------------------------------

    @property
    def subject(self) -> Dialect:
        return get_dialect(self.dialect)

    def configuration(self, *tables: TableDefinition, prefix: str = "wh_") -> SchemaConfiguration:
        return SchemaConfiguration(
            prefix=prefix,
            tables=tables,
            dialect_options={self.dialect: dict(self.options)},
        )

    def statements(self, configuration: SchemaConfiguration) -> tuple[Statement, ...]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegradedRenderWarning)
            return self.subject.statements(configuration)

    def context(self, configuration: SchemaConfiguration) -> RenderContext:
        return self.subject.context(configuration)

    def apply(self, live: LiveDatabase, configuration: SchemaConfiguration) -> ApplyResult:
        return apply_statements(live, self.statements(configuration))

    def insert(
        self,
        live: LiveDatabase,
        configuration: SchemaConfiguration,
        table: TableDefinition,
        values: Mapping[str, object],
    ) -> None:
        context = self.context(configuration)
        names = ", ".join(context.quote(name) for name in values)
        literals = ", ".join(
            context.render_literal(table.column(name), value) for name, value in values.items()
        )
        live.execute(f"INSERT INTO {context.qualified_table(table)} ({names}) VALUES ({literals})")

    def select(
        self,
        live: LiveDatabase,
        configuration: SchemaConfiguration,
        table: TableDefinition,
        order_by: str | None = None,
    ) -> list[dict[str, Any]]:
        context = self.context(configuration)
        columns = ", ".join(context.quote(c.name) for c in table.columns)
        order = f" ORDER BY {context.quote(order_by)}" if order_by else ""
        rows = live.query(f"SELECT {columns} FROM {context.qualified_table(table)}{order}")
        return [
            {c.name: normalize(c.data_type, v) for c, v in zip(table.columns, row, strict=True)}
            for row in rows
        ]

    @pytest.fixture
    def live(self, whizbang_target: str) -> Iterator[LiveDatabase]:
        database = connect(whizbang_target, dialect=self.dialect)
        try:
            yield database
        finally:
            database.close()

    def kit_tables(self) -> tuple[TableDefinition, ...]:
        """Every table the kit's tests create (under each of :data:`KIT_PREFIXES`)."""
        return (
            *RELATED,
            *KIT_TABLES,
            *ALL_TABLES,
            RANGES,
            ZONES,
            PLAN_BEFORE,
            GROWN,
            GROWN_DEFAULTS,
            INFINITE_DEFAULTS,
            *self.keyword_tables(),
        )

    def _kit_table_names(self, live: LiveDatabase) -> dict[str, str]:
        """The kit's tables present in ``live``: catalog name -> qualified SQL name."""
        candidates: list[tuple[Statement, str]] = []
        for prefix in KIT_PREFIXES:
            context = self.context(self.configuration(prefix=prefix))
            for table in self.kit_tables():
                name = context.table_name(table)
                statement = Statement(StatementKind.CREATE_TABLE, name, "")
                candidates.append((statement, context.qualified_table(table)))
        present = live.existing([statement for statement, _ in candidates])
        return {candidates[i][0].name: candidates[i][1] for i in sorted(present)}

    def require_empty(self, target: str) -> None:
        """Fail, naming them, if the kit's tables are already in ``target``."""
        live = connect(target, dialect=self.dialect)
        try:
            left = sorted(self._kit_table_names(live))
        finally:
            live.close()
        if left:
            pytest.fail(
                f"the kit needs an empty database, and {', '.join(left)} are already there: "
                f"drop them, or point the kit at a scratch database",
                pytrace=False,
            )

    def drop_kit_tables(self, target: str) -> None:
        """Drop the kit's tables from ``target`` (a database the tests share)."""
        live = connect(target, dialect=self.dialect)
        try:
            for qualified in self._kit_table_names(live).values():
                live.execute(f"DROP TABLE {qualified}")
        finally:
            live.close()

    # -- rendering, no database needed --------------------------------------------------------

    def test_dialect_is_installed_and_described(self) -> None:
        info = self.subject.info
        assert info.name == self.dialect
        assert info.description
        assert info.distribution, "the registry names the distribution that provides the dialect"

    def test_rendering_is_deterministic(self) -> None:
        configuration = self.configuration(*KIT_TABLES, *ALL_TABLES)
        first = [s.sql for s in self.statements(configuration)]
        assert first == [s.sql for s in self.statements(configuration)]
        assert all("\r" not in sql for sql in first)

    def test_every_statement_names_its_object(self) -> None:
        for statement in self.statements(self.configuration(*KIT_TABLES)):
            assert statement.name
            if statement.kind is StatementKind.CREATE_INDEX:
                assert statement.table

    def test_names_over_the_limit_are_refused_not_truncated(self) -> None:
        caps = self.subject.capabilities
        limit = caps.max_identifier_chars or caps.max_identifier_bytes
        if limit is None:  # no limit: long names are kept whole
            long_name = "t" * 1000
            assert long_name in self.subject.render(
                TableDefinition(long_name, [ColumnDefinition("c", T.INTEGER)])
            )
            return
        fits = TableDefinition("t" * limit, [ColumnDefinition("c", T.INTEGER)])
        self.subject.render(fits, prefix="")
        too_long = TableDefinition("t" * (limit + 1), [ColumnDefinition("c", T.INTEGER)])
        with pytest.raises(IdentifierError):
            self.subject.render(too_long, prefix="")

    def test_partial_indexes_follow_the_capabilities(self) -> None:
        def table(unique: bool) -> TableDefinition:
            return TableDefinition(
                "kit_partial",
                [
                    ColumnDefinition("id", T.INTEGER, primary_key=True),
                    ColumnDefinition("n", T.INTEGER),
                ],
                indexes=[
                    IndexDefinition("idx_kit_partial", ["n"], unique=unique, where="n IS NOT NULL")
                ],
            )

        if self.subject.capabilities.partial_indexes:
            with warnings.catch_warnings():
                warnings.simplefilter("error", DegradedRenderWarning)
                self.subject.render(table(unique=True))
        else:
            with pytest.warns(DegradedRenderWarning, match="without its predicate"):
                self.subject.render(table(unique=False))
            with pytest.raises(UnsupportedFeatureError) as caught:
                self.subject.render(table(unique=True))
            assert caught.value.field == "where"

    def test_unknown_options_are_refused(self) -> None:
        configuration = SchemaConfiguration(
            tables=[EVERY_TYPE], dialect_options={self.dialect: {"no_such_option": True}}
        )
        with pytest.raises(OptionError, match="no_such_option"):
            self.subject.render(configuration)

    # -- a live database ----------------------------------------------------------------------

    def test_apply_twice_creates_then_finds_everything(self, live: LiveDatabase) -> None:
        configuration = self.configuration(*KIT_TABLES)
        first = self.apply(live, configuration)
        assert first.existing == ()
        assert len(first.created) == len(self.statements(configuration))
        second = self.apply(live, configuration)
        assert second.created == ()
        assert len(second.existing) == len(first.created)

    def test_every_type_round_trips(self, live: LiveDatabase) -> None:
        configuration = self.configuration(EVERY_TYPE)
        self.apply(live, configuration)
        value = uuid.uuid4()
        written = {
            "id": 1,
            "a_uuid": value,
            "a_short_string": "short ' text",
            "a_string": "x" * 5000 + " žluť",
            "a_timestamp": dt.datetime(2024, 2, 29, 23, 59, 58, 123000, tzinfo=dt.timezone.utc),
            "a_json": {"k": [1, "two", None]},
            "a_big_int": -(2**63),
            "an_integer": 2**31 - 1,
            "a_small_int": -(2**15),
            "a_boolean": True,
        }
        self.insert(live, configuration, EVERY_TYPE, written)
        self.insert(live, configuration, EVERY_TYPE, {"id": 2})
        first, second = self.select(live, configuration, EVERY_TYPE, order_by="id")
        assert first == written
        assert all(v is None for k, v in second.items() if k != "id")

    def test_every_default_kind_gives_its_value(self, live: LiveDatabase) -> None:
        configuration = self.configuration(EVERY_DEFAULT)
        self.apply(live, configuration)
        self.insert(live, configuration, EVERY_DEFAULT, {"id": 1})
        self.insert(live, configuration, EVERY_DEFAULT, {"id": 2})
        rows = self.select(live, configuration, EVERY_DEFAULT, order_by="id")
        for row in rows:
            self._check_defaults(EVERY_DEFAULT, row)
        assert rows[0]["tricky"] == TRICKY_STRING
        assert rows[0]["new_id"] != rows[1]["new_id"]

    def test_decimal_double_date_and_bytes_defaults_give_their_values(
        self, live: LiveDatabase
    ) -> None:
        configuration = self.configuration(LITERALS)
        self.apply(live, configuration)
        self.insert(live, configuration, LITERALS, {"id": 1})
        (row,) = self.select(live, configuration, LITERALS)
        self._check_defaults(LITERALS, row)
        assert row["every_byte"] == bytes(range(256))
        assert row["first_day"] == dt.date(1, 1, 1)
        with live.transaction():
            assert [str(d) for d in diff_schema(live, configuration).differences] == []

    def test_infinite_double_defaults_only_where_the_engine_stores_them(
        self, live: LiveDatabase
    ) -> None:
        configuration = self.configuration(INFINITE_DEFAULTS)
        if not self.double_infinities:
            with pytest.raises(UnsupportedFeatureError, match="no literal for inf"):
                self.statements(configuration)
            return
        self.apply(live, configuration)
        self.insert(live, configuration, INFINITE_DEFAULTS, {"id": 1})
        (row,) = self.select(live, configuration, INFINITE_DEFAULTS)
        assert (row["high"], row["low"]) == (math.inf, -math.inf)
        with live.transaction():
            assert [str(d) for d in diff_schema(live, configuration).differences] == []

    def _check_defaults(self, table: TableDefinition, row: Mapping[str, Any]) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        for column in table.columns:
            default, value = column.default, row[column.name]
            if isinstance(default, IntegerDefault):
                expected: object = (
                    bool(default.value) if column.data_type is T.BOOLEAN else default.value
                )
                assert value == expected, column.name
            elif isinstance(default, LITERAL_DEFAULTS):
                # Exactly the value: a Decimal, float, date or bytes compared as itself.
                assert value == default.value, (column.name, value)  # type: ignore[attr-defined]
            elif isinstance(default, FunctionDefault):
                if column.data_type is T.UUID:
                    assert isinstance(value, uuid.UUID), column.name
                else:
                    assert abs(value - now) < CLOCK_TOLERANCE, (column.name, value)
            elif default is not None:
                assert value is None, column.name

    def test_keys_and_unique_constraints_are_enforced(self, live: LiveDatabase) -> None:
        configuration = self.configuration(KEYS)
        self.apply(live, configuration)

        def insert(**values: object) -> None:
            self.insert(live, configuration, KEYS, values)

        insert(tenant=1, code="a", email="x@example.com", a=1, b=1)
        insert(tenant=1, code="b", email=None, a=None, b=None)
        insert(tenant=2, code="a", email=None, a=None, b=None)  # NULLs are distinct in unique keys
        for duplicate in (
            {"tenant": 1, "code": "a"},  # the composite primary key
            {"tenant": 3, "code": "c", "email": "x@example.com"},  # the unique column
            {"tenant": 3, "code": "d", "a": 1, "b": 1},  # the unique constraint
        ):
            with pytest.raises(DatabaseError):
                insert(**duplicate)
        assert len(self.select(live, configuration, KEYS)) == 3

    def test_foreign_keys_and_checks_are_enforced(self, live: LiveDatabase) -> None:
        configuration = self.configuration(*RELATED)
        self.apply(live, configuration)

        def insert(table: TableDefinition, **values: object) -> None:
            self.insert(live, configuration, table, values)

        insert(PARENTS, id=1, name="one")
        insert(PARENTS, id=2, name="two")
        insert(CHILDREN, id=10, parent_id=1, qty=5)
        insert(CHILDREN, id=20, parent_id=2, qty=5)
        insert(NOTES, id=100, child_id=10)
        insert(NOTES, id=200, child_id=20)
        for table, values in (
            (CHILDREN, {"id": 11, "parent_id": 99, "qty": 5}),  # an orphan
            (NOTES, {"id": 101, "child_id": 99}),  # an orphan
            (CHILDREN, {"id": 12, "parent_id": 1, "qty": 0}),  # the CHECK
            (CHILDREN, {"id": 13, "parent_id": 1, "qty": 100}),  # the CHECK
            (PARENTS, {"id": 3, "name": ""}),  # the CHECK
        ):
            with pytest.raises(DatabaseError):
                insert(table, **values)
        context = self.context(configuration)
        live.execute(
            f"DELETE FROM {context.qualified_table(PARENTS)} WHERE {context.quote('id')} = 1"
        )
        assert [r["id"] for r in self.select(live, configuration, CHILDREN)] == [20]  # CASCADE
        notes = self.select(live, configuration, NOTES, order_by="id")
        assert notes == [{"id": 100, "child_id": None}, {"id": 200, "child_id": 20}]  # SET NULL

    def test_foreign_keys_and_checks_read_back_and_migrate(self, live: LiveDatabase) -> None:
        configuration = self.configuration(*RELATED)
        bare = self.configuration(*(TableDefinition(t.name, t.columns) for t in RELATED))
        self.apply(live, bare)
        result = migrate_schema(live, configuration)
        kinds = sorted(d.kind for d in result.diff.drift)
        assert kinds == ["missing_check"] * 2 + ["missing_foreign_key"] * 2
        if not self.subject.capabilities.add_constraint:
            assert len(result.plan.refused) == 4  # refused, saying the table must be rebuilt
            return
        assert result.plan.refused == ()
        assert [str(d) for d in diff_schema(live, configuration).differences] == []
        read = {t.name: t for t in read_schema(live, configuration)}
        expected = {t.name: t for t in expected_tables(self.dialect, configuration)}
        assert {n: t.to_definition() for n, t in read.items()} == {
            n: t.to_definition() for n, t in expected.items()
        }

    def test_awkward_names_work(self, live: LiveDatabase) -> None:
        configuration = self.configuration(AWKWARD)
        self.apply(live, configuration)
        assert self.apply(live, configuration).created == ()
        self.insert(live, configuration, AWKWARD, {"select": 1, "Mixed Case": "m", "user": "u"})
        (row,) = self.select(live, configuration, AWKWARD)
        assert row == {
            "select": 1,
            "Mixed Case": "m",
            'quote"d': 1,
            "back`tick": None,
            "brack]et": None,
            "naïve": True,
            "user": "u",
        }

    def test_nine_tables_apply_and_fill_their_defaults(self, live: LiveDatabase) -> None:
        configuration = self.configuration(*ALL_TABLES)
        assert self.apply(live, configuration).existing == ()
        for table in ALL_TABLES:
            required = {
                c.name: self._sample(c)
                for c in table.columns
                if not c.nullable and c.default is None
            }
            self.insert(live, configuration, table, required)
            (row,) = self.select(live, configuration, table)
            self._check_defaults(table, row)
        assert self.apply(live, configuration).created == ()

    @staticmethod
    def _sample(column: ColumnDefinition) -> object:
        return {
            T.UUID: uuid.uuid4(),
            T.STRING: "x",
            T.JSON: {"k": 1},
            T.TIMESTAMP_TZ: dt.datetime.now(dt.timezone.utc),
            T.BOOLEAN: True,
        }.get(column.data_type, 7)

    def test_two_prefixes_share_one_database(self, live: LiveDatabase) -> None:
        for prefix in ("wh_", "prod_"):
            configuration = self.configuration(*ALL_TABLES, prefix=prefix)
            result = self.apply(live, configuration)
            assert result.existing == (), f"{prefix}: objects of the other prefix were in the way"

    def test_a_failing_statement(self, live: LiveDatabase) -> None:
        statements = self.statements(self.configuration(EVERY_TYPE, KEYS))
        broken = Statement(StatementKind.CREATE_TABLE, "kit_broken", "CREATE TABLE kit_broken (")
        with pytest.raises(DatabaseError) as caught:
            apply_statements(live, (*statements, broken))
        assert caught.value.statement == broken
        left = live.existing(statements)
        if self.subject.capabilities.transactional_ddl:
            assert left == set(), "transactional DDL: a failure must leave nothing behind"
        else:
            assert left == set(range(len(statements))), "statements before the failure stay"

    def test_read_back_matches_the_definitions(self, live: LiveDatabase) -> None:
        configuration = self.configuration(*KIT_TABLES, *ALL_TABLES, *RELATED)
        self.apply(live, configuration)
        difference = diff_schema(live, configuration)
        assert [str(d) for d in difference.differences] == []
        read = read_schema(live, configuration)
        assert len(read) == len(configuration.tables)
        expected = expected_tables(self.dialect, configuration)
        assert [t.to_definition() for t in read] == sorted(
            (t.to_definition() for t in expected), key=lambda t: t.name
        )

    def test_catalog_queries_do_not_grow_with_the_tables(self, live: LiveDatabase) -> None:
        few = self.configuration(*KIT_TABLES, prefix="few_")
        many = self.configuration(*KIT_TABLES, *ALL_TABLES, prefix="many_")
        self.apply(live, few)
        self.apply(live, many)
        counts = []
        for configuration in (few, many):
            before = live.round_trips
            read_schema(live, configuration)
            counts.append(live.round_trips - before)
        assert counts[0] == counts[1]

    def test_migrate_adds_what_is_missing_and_nothing_else(self, live: LiveDatabase) -> None:
        configuration = self.configuration(*ALL_TABLES)
        partial = self.configuration(*ALL_TABLES[:3])
        self.apply(live, partial)
        result = migrate_schema(live, configuration)
        assert {d.kind for d in result.diff.drift} == {"missing_table"}
        assert result.plan.refused == ()
        assert diff_schema(live, configuration).differences == ()
        assert migrate_schema(live, configuration).plan.statements == ()

    def test_a_migration_plan_changes_a_table_keeping_its_rows(self, live: LiveDatabase) -> None:
        """The dialect's plan decisions (``render_alter_table``, ``render_change_index``) on
        the engine: a plan written with rows in the table runs, keeps every row and value
        (NULLs of the column made NOT NULL get the backfill), and leaves no difference."""
        before = self.configuration(PLAN_BEFORE)
        after = self.configuration(PLAN_AFTER)
        self.apply(live, before)
        rows: list[dict[str, object]] = [
            {"id": 1, "label": "one", "amount": 7, "region": "eu"},
            {"id": 2, "label": "two", "amount": None, "region": None},
            {"id": 3, "label": None, "amount": -32768, "region": "us"},
        ]
        for row in rows:
            self.insert(live, before, PLAN_BEFORE, row)
        with live.transaction():
            plan = build_plan(live, after, backfill={"region": "xx"})
        assert plan.refused == (), plan.refused
        assert plan.changes, "the changed definition needs a plan"
        execute_plan(live, after, plan)
        with live.transaction():
            assert diff_schema(live, after).drift == ()
        expected = [{**row, "region": row["region"] or "xx"} for row in rows]
        assert self.select(live, after, PLAN_AFTER, order_by="id") == expected

    def test_migrate_adds_decimal_date_double_and_bytes_columns(self, live: LiveDatabase) -> None:
        self.apply(
            live, self.configuration(attrs.evolve(GROWN, columns=GROWN.columns[:1], indexes=()))
        )
        configuration = self.configuration(GROWN)
        result = migrate_schema(live, configuration)
        assert sorted(d.kind for d in result.diff.drift) == ["missing_column"] * 5 + [
            "missing_index"
        ]
        assert result.plan.refused == ()
        assert [str(d) for d in diff_schema(live, configuration).differences] == []
        row = {
            "id": 1,
            "a_decimal": decimal.Decimal("-12345.6789012345"),
            "a_date": dt.date(2024, 2, 29),
            "a_double": 0.1,
            "some_bytes": bytes(range(256)),
            "few_bytes": b"\x00\xff",
        }
        self.insert(live, configuration, GROWN, row)
        assert self.select(live, configuration, GROWN) == [row]

    def test_migrate_adds_columns_with_literal_defaults_to_rows_already_there(
        self, live: LiveDatabase
    ) -> None:
        key_only = attrs.evolve(GROWN_DEFAULTS, columns=GROWN_DEFAULTS.columns[:1])
        self.apply(live, self.configuration(key_only))
        self.insert(live, self.configuration(key_only), key_only, {"id": 1})
        configuration = self.configuration(GROWN_DEFAULTS)
        result = migrate_schema(live, configuration)
        assert result.plan.refused == ()
        assert sorted(d.kind for d in result.diff.drift) == ["missing_column"] * 4
        assert [str(d) for d in diff_schema(live, configuration).differences] == []
        self.insert(live, configuration, GROWN_DEFAULTS, {"id": 2})
        filled = {
            "price": decimal.Decimal("-12.345"),
            "day": dt.date(2024, 2, 29),
            "ratio": 0.1,
            "tag": b"\x00\xff",
        }
        rows = self.select(live, configuration, GROWN_DEFAULTS, order_by="id")
        assert rows == [{"id": 1, **filled}, {"id": 2, **filled}]

    # -- names, ranges and zones the engine must take as they are -----------------------------

    def keywords(self) -> frozenset[str]:
        """Every reserved word the dialect lists and every word of
        :data:`~whizbang_schema.testing.tables.COMMON_KEYWORDS`, less any longer than the
        dialect's identifier limit."""
        caps = self.subject.capabilities
        return frozenset(
            word
            for word in (*caps.reserved_words, *COMMON_KEYWORDS)
            if (
                caps.max_identifier_bytes is None or len(word.encode()) <= caps.max_identifier_bytes
            )
            and (caps.max_identifier_chars is None or len(word) <= caps.max_identifier_chars)
        )

    def keyword_tables(self) -> tuple[TableDefinition, ...]:
        """Tables with a column named after each of :meth:`keywords`, split to respect the
        dialect's column limit."""
        caps = self.subject.capabilities
        per_table = min(KEYWORDS_PER_TABLE, caps.max_columns or KEYWORDS_PER_TABLE)
        return keyword_tables(self.keywords(), per_table=per_table)

    def test_reserved_words_are_quoted_and_render(self) -> None:
        context = self.context(self.configuration())
        caps = self.subject.capabilities
        bare = sorted(w for w in caps.reserved_words if context.quote(w) == w)
        assert bare == [], "reserved words left unquoted"
        self.subject.render(self.configuration(*self.keyword_tables()))

    def test_every_keyword_is_a_usable_column_name(self, live: LiveDatabase) -> None:
        tables = self.keyword_tables()
        assert {c.name for table in tables for c in table.columns} == self.keywords()
        configuration = self.configuration(*tables)
        self.apply(live, configuration)
        for table in tables:
            written = keyword_row(table)
            self.insert(live, configuration, table, written)
            (row,) = self.select(live, configuration, table)
            assert {name: row[name] for name in written} == written, table.name
            self._check_defaults(table, row)
        assert [str(d) for d in diff_schema(live, configuration).differences] == []
        assert self.apply(live, configuration).created == ()

    def test_integer_extremes_round_trip_and_one_past_is_refused(self, live: LiveDatabase) -> None:
        configuration = self.configuration(RANGES)
        self.apply(live, configuration)
        columns = {c.data_type: c.name for c in RANGES.columns if c.name != "id"}
        lowest = {"id": 1, **{columns[t]: low for t, (low, _) in INTEGER_RANGES.items()}}
        highest = {"id": 2, **{columns[t]: high for t, (_, high) in INTEGER_RANGES.items()}}
        self.insert(live, configuration, RANGES, lowest)
        self.insert(live, configuration, RANGES, highest)
        assert self.select(live, configuration, RANGES, order_by="id") == [lowest, highest]
        if not self.integer_ranges_enforced:
            return
        accepted = []
        for data_type, (low, high) in INTEGER_RANGES.items():
            for value in (low - 1, high + 1):
                try:
                    self.insert(live, configuration, RANGES, {"id": 3, columns[data_type]: value})
                except DatabaseError:
                    continue
                accepted.append((data_type.name, value))
                live.execute(f"DELETE FROM {self.context(configuration).qualified_table(RANGES)}")
        assert accepted == [], "values one past their type's range were stored"

    def test_decimal_date_double_and_bytes_extremes_round_trip(self, live: LiveDatabase) -> None:
        configuration = self.configuration(EXTREMES)
        self.apply(live, configuration)
        whole = self.decimal_digits - 10
        largest = decimal.Decimal("9" * whole + "." + "9" * 10)  # no arithmetic: the context
        # would round it to 28 digits
        every_byte = bytes(range(256))
        written = [
            {
                "id": 1,
                "a_decimal": largest.copy_negate(),
                "a_money": decimal.Decimal("-9999999999999.99"),
                "a_date": dt.date(1, 1, 1),
                "a_double": -sys.float_info.max,
                "some_bytes": every_byte * 4,
                "few_bytes": every_byte,
            },
            {
                "id": 2,
                "a_decimal": decimal.Decimal("-0.0000000001"),
                "a_money": decimal.Decimal("-0.01"),
                "a_date": dt.date(2024, 2, 29),
                "a_double": -sys.float_info.min,
                "some_bytes": b"",
                "few_bytes": b"\x00",
            },
            {
                "id": 3,
                "a_decimal": decimal.Decimal("0.0000000001"),
                "a_money": decimal.Decimal("0.01"),
                "a_date": dt.date(9999, 12, 31),
                "a_double": sys.float_info.min,
                "some_bytes": b"\x00",
                "few_bytes": every_byte[::-1] + b"\x00" * 44,
            },
            {
                "id": 4,
                "a_decimal": largest,
                "a_money": decimal.Decimal("9999999999999.99"),
                "a_date": dt.date(1999, 12, 31),
                "a_double": sys.float_info.max,
                "some_bytes": b"\xff",
                "few_bytes": b"",
            },
        ]
        for row in reversed(written):
            self.insert(live, configuration, EXTREMES, row)
        assert self.select(live, configuration, EXTREMES, order_by="id") == written
        # Ordered as numbers and dates, not as text (SQLite's REAL keeps that order).
        for column in ("a_decimal", "a_money", "a_double", "a_date"):
            ids = [row["id"] for row in self.select(live, configuration, EXTREMES, column)]
            assert ids == ([1, 4, 2, 3] if column == "a_date" else [1, 2, 3, 4]), column
        with pytest.raises(DatabaseError):  # the unique BYTES column compares every byte
            self.insert(live, configuration, EXTREMES, {"id": 5, "few_bytes": every_byte})
        infinities: list[dict[str, object]] = [
            {"id": 5, "a_double": math.inf},
            {"id": 6, "a_double": -math.inf},
        ]
        if self.double_infinities:
            for infinity in infinities:
                self.insert(live, configuration, EXTREMES, infinity)
            stored = self.select(live, configuration, EXTREMES, order_by="id")[4:]
            assert [(row["id"], row["a_double"]) for row in stored] == [
                (5, math.inf),
                (6, -math.inf),
            ]
        else:
            for infinity in infinities:
                with pytest.raises((UnsupportedFeatureError, DatabaseError)):
                    self.insert(live, configuration, EXTREMES, infinity)
            assert len(self.select(live, configuration, EXTREMES)) == len(written)

    @contextmanager
    def _process_time_zone(self, zone: str) -> Iterator[None]:
        if not hasattr(time, "tzset"):  # Windows: the process zone cannot be moved
            yield
            return
        before = os.environ.get("TZ")
        os.environ["TZ"] = zone
        time.tzset()
        try:
            yield
        finally:
            if before is None:
                del os.environ["TZ"]
            else:
                os.environ["TZ"] = before
            time.tzset()

    def test_timestamps_keep_their_instant_outside_utc(
        self, live: LiveDatabase, whizbang_target: str
    ) -> None:
        """Instants written and read in a session (and a process) at UTC+05:45 are the
        same instants, there and from a session left in the server's own zone."""
        configuration = self.configuration(ZONES)
        instants = [
            dt.datetime(2024, 2, 29, 23, 59, 58, 123000, tzinfo=dt.timezone.utc),
            dt.datetime(2024, 3, 10, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
            dt.datetime(
                2024, 10, 27, 1, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))
            ),
            dt.datetime(
                1999, 12, 31, 23, 59, 59, 999000, tzinfo=dt.timezone(dt.timedelta(hours=14))
            ),
        ]
        with self._process_time_zone(PROCESS_TIME_ZONE):
            if self.session_time_zone_sql is not None:
                live.execute(self.session_time_zone_sql)
            self.apply(live, configuration)
            for number, instant in enumerate(instants, start=1):
                self.insert(live, configuration, ZONES, {"id": number, "at": instant})
            here = self.select(live, configuration, ZONES, order_by="id")
        assert [row["at"] for row in here] == instants
        for row in here:
            self._check_defaults(ZONES, row)
        elsewhere = connect(whizbang_target, dialect=self.dialect)
        try:
            there = self.select(elsewhere, configuration, ZONES, order_by="id")
        finally:
            elsewhere.close()
        assert there == here
