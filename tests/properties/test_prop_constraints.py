"""Property: foreign keys and CHECK constraints render, run and read back on the real engines.

Drawn: two to four tables whose foreign keys form any graph (chains, several keys between two
tables, tables referencing themselves, cycles), with every action the engine takes on a
column that can take it, composite keys, and CHECK predicates from the index predicates'
grammar (comparisons, IN, BETWEEN, LIKE, bitwise masks, NOT, AND, OR, IS NULL).

On SQLite, PostgreSQL and MariaDB (through the example MySQL dialect): the statements run (a
cycle's keys added last by ALTER TABLE, on SQLite declared in CREATE TABLE) and the library's
reader finds no drift. On SQL Server (which cannot run here): exactly the configurations
whose actions form a cycle or two cascade paths, found here by enumerating paths
independently of the library, are refused; the rest parse as T-SQL and follow the dialect's
rules.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlfluff
from hypothesis import given, settings
from hypothesis import strategies as st

from whizbang_schema import (
    CheckDefinition,
    ColumnDefinition,
    DefaultValue,
    DegradedRenderWarning,
    ForeignKeyAction,
    ForeignKeyDefinition,
    LiveDatabase,
    Predicate,
    SchemaConfiguration,
    StatementKind,
    TableDefinition,
    TokenKind,
    UnsupportedFeatureError,
    WhizbangDataType,
    connect,
    diff_schema,
    get_dialect,
)
from whizbang_schema_sqlserver.rules import check_statements

from .engines import Engine, Postgres, Sqlite
from .strategies import predicates

T = WhizbangDataType
A = ForeignKeyAction

#: Fewer examples than the other engine properties: each draws several tables and keys, and
#: MariaDB's DDL is slow (tens of milliseconds a table, more with keys); the thorough profile
#: still runs 10,000.
EXAMPLES = settings(max_examples=min(settings().max_examples, 60))
MARIADB_EXAMPLES = settings(max_examples=min(settings().max_examples, 25))
#: sqlfluff's T-SQL parse is the cost here (about 0.2 s a configuration).
SQLSERVER_EXAMPLES = settings(max_examples=min(settings().max_examples, 30))

#: The actions each engine accepts (SQL Server: no RESTRICT; InnoDB: no SET DEFAULT).
ACTIONS = {
    "sqlite": tuple(A),
    "postgres": tuple(A),
    "mysql": tuple(a for a in A if a is not A.SET_DEFAULT),
    "sqlserver": tuple(a for a in A if a is not A.RESTRICT),
}

_VALUE_TYPES = [T.INTEGER, T.BIG_INT, T.SMALL_INT, T.STRING, T.BOOLEAN]


@st.composite
def related_configurations(draw: st.DrawFn, dialect: str) -> SchemaConfiguration:
    count = draw(st.integers(2, 4))
    composite = [draw(st.booleans()) for _ in range(count)]
    keys = []
    for i in range(count):
        key = [ColumnDefinition("id", T.INTEGER, primary_key=True)]
        if composite[i]:
            key.append(ColumnDefinition("part", T.STRING, max_length=20, primary_key=True))
        keys.append(key)
    tables = []
    for i in range(count):
        columns = list(keys[i])
        for n in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(_VALUE_TYPES))
            columns.append(
                ColumnDefinition(
                    f"v{n}",
                    kind,
                    max_length=20 if kind is T.STRING else None,
                    nullable=draw(st.booleans()),
                )
            )
        foreign_keys = []
        for n in range(draw(st.integers(0, 2))):
            target = draw(st.integers(0, count - 1))
            nullable = draw(st.booleans())
            with_default = not nullable and draw(st.booleans())
            names = [f"r{n}_id"]
            columns.append(
                ColumnDefinition(
                    names[0],
                    T.INTEGER,
                    nullable=nullable,
                    default=DefaultValue.integer(0) if with_default else None,
                )
            )
            references = ["id"]
            if composite[target]:
                names.append(f"r{n}_part")
                columns.append(
                    ColumnDefinition(names[1], T.STRING, max_length=20, nullable=nullable)
                )
                references.append("part")
            allowed = [
                a
                for a in ACTIONS[dialect]
                if (a is not A.SET_NULL or nullable)
                and (a is not A.SET_DEFAULT or nullable or (with_default and len(names) == 1))
            ]
            foreign_keys.append(
                ForeignKeyDefinition(
                    f"fk_t{i}_{n}",
                    names,
                    f"t{target}",
                    references,
                    on_delete=draw(st.sampled_from(allowed)),
                    on_update=draw(st.sampled_from(allowed)),
                )
            )
        values = [c for c in columns if c.name.startswith("v")]
        checks = [
            CheckDefinition(f"ck_t{i}_{n}", draw(predicates(values, sqlserver=False)).text)
            for n in range(draw(st.integers(0, 2)))
        ]
        tables.append(TableDefinition(f"t{i}", columns, foreign_keys=foreign_keys, checks=checks))
    order = draw(st.permutations(tables))
    return SchemaConfiguration(prefix=draw(st.sampled_from(["p_", "wh_"])), tables=order)


def cascade_refusal(config: SchemaConfiguration) -> bool:
    """Whether SQL Server refuses the configuration (error 1785): for deletes or updates,
    some table reaches another (or itself) by two paths of actions that change rows, or by a
    cycle. Found by enumerating simple paths, one foreign key per step."""
    for event in ("delete", "update"):
        edges = [
            (fk.references_table, table.name)
            for table in config.tables
            for fk in table.foreign_keys
            if (fk.on_delete if event == "delete" else fk.on_update)
            in (A.CASCADE, A.SET_NULL, A.SET_DEFAULT)
        ]
        if any(_two_paths(edges, start) for start in {parent for parent, _ in edges}):
            return True
    return False


def _two_paths(edges: list[tuple[str, str]], start: str) -> bool:
    """Whether, from ``start``, a walk along ``edges`` comes back or reaches a table twice."""
    reached: dict[str, int] = {}

    def walk(node: str, seen: tuple[str, ...]) -> bool:
        for parent, child in edges:
            if parent != node:
                continue
            if child == start or child in seen:
                return True  # a cycle
            reached[child] = reached.get(child, 0) + 1
            if reached[child] > 1 or walk(child, (*seen, child)):
                return True
        return False

    return walk(start, (start,))


def statements(dialect: str, config: SchemaConfiguration) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        return get_dialect(dialect).statements(config)


def unreadable_on_mysql(config: SchemaConfiguration) -> bool:
    """Whether a CHECK holds a string MySQL could not print back as written: one with a
    backslash (its meaning depends on NO_BACKSLASH_ESCAPES) or a character beyond the BMP
    (information_schema is utf8mb3 and prints it as '?')."""
    return any(
        token.kind is TokenKind.STRING
        and ("\\" in token.value or any(ord(ch) > 0xFFFF for ch in token.value))
        for table in config.tables
        for check in table.checks
        for token in Predicate.parse(check.predicate).tokens
    )


def run_and_read_back(engine: Engine, config: SchemaConfiguration) -> None:
    if engine.dialect == "mysql" and unreadable_on_mysql(config):
        with pytest.raises(UnsupportedFeatureError, match="Basic Multilingual Plane"):
            statements(engine.dialect, config)
        return
    rendered = statements(engine.dialect, config)
    adds = [s for s in rendered if s.kind is StatementKind.ADD_CONSTRAINT]
    if engine.dialect == "sqlite":
        assert adds == []
    with engine.example() as live:
        for statement in rendered:
            live.execute(statement.sql)
        drift = [str(d) for d in diff_schema(live, config).differences]
        assert drift == [], "\n".join(s.sql for s in rendered)


class MariaDBTables(Engine):
    """MariaDB with the example's tables dropped after it, references or not."""

    dialect = "mysql"

    @contextmanager
    def example(self) -> Iterator[LiveDatabase]:
        try:
            yield self.live
        finally:
            rows = self.live.query(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
            )
            if rows:
                names = ", ".join("`" + r[0].replace("`", "``") + "`" for r in rows)
                self.live.execute("SET FOREIGN_KEY_CHECKS = 0")
                self.live.execute(f"DROP TABLE {names}")
                self.live.execute("SET FOREIGN_KEY_CHECKS = 1")


@pytest.fixture(scope="module")
def postgres_engine(postgres_admin: Any, postgres_server_url: str) -> Iterator[Postgres]:
    name = f"wbprop_{uuid.uuid4().hex[:16]}"
    postgres_admin.execute(f"CREATE DATABASE {name}")
    live = connect(postgres_server_url.rpartition("/")[0] + "/" + name, dialect="postgres")
    try:
        yield Postgres(live)
    finally:
        live.close()
        postgres_admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def mariadb_engine(mariadb_admin: Any, mariadb_server_url: str) -> Iterator[MariaDBTables]:
    name = f"wbprop_{uuid.uuid4().hex[:16]}"
    mariadb_admin.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    live = connect(mariadb_server_url.rsplit("/", 1)[0] + "/" + name, dialect="mysql")
    try:
        yield MariaDBTables(live)
    finally:
        live.close()
        mariadb_admin.execute(f"DROP DATABASE IF EXISTS {name}")


@EXAMPLES
@given(related_configurations("sqlite"))
def test_sqlite_runs_and_reads_back_every_key_graph(config: SchemaConfiguration) -> None:
    run_and_read_back(Sqlite(), config)


def test_postgres_runs_and_reads_back_every_key_graph(postgres_engine: Postgres) -> None:
    @EXAMPLES
    @given(related_configurations("postgres"))
    def check(config: SchemaConfiguration) -> None:
        run_and_read_back(postgres_engine, config)

    check()


def test_mariadb_runs_and_reads_back_every_key_graph(mariadb_engine: MariaDBTables) -> None:
    @MARIADB_EXAMPLES
    @given(related_configurations("mysql"))
    def check(config: SchemaConfiguration) -> None:
        run_and_read_back(mariadb_engine, config)

    check()


@SQLSERVER_EXAMPLES
@given(related_configurations("sqlserver"))
def test_sql_server_refuses_exactly_the_cascade_paths_it_cannot_take(
    config: SchemaConfiguration,
) -> None:
    if cascade_refusal(config):
        with pytest.raises(UnsupportedFeatureError, match="error 1785"):
            statements("sqlserver", config)
        return
    rendered = statements("sqlserver", config)
    assert check_statements(rendered) == []
    for statement in rendered:
        sqlfluff.parse(statement.sql + ";\n", dialect="tsql")
