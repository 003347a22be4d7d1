"""Property (issue 17): a definition, a changed definition and rows drawn together; the plan
``migrate --plan`` writes takes the database from one to the other on SQLite, PostgreSQL and
MariaDB without losing a row or changing a surviving value (NULLs of a column made NOT NULL
get the backfill value), and ``diff`` finds nothing after. Drops are allowed: an index the
changed definition no longer has is dropped.

Each example costs a plan and a run on a server, so the default count is small (10 per
engine, fixed inputs); ``WHIZBANG_HYPOTHESIS_PROFILE=thorough`` runs the profile's count
(``WHIZBANG_HYPOTHESIS_EXAMPLES`` overrides it).
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    IndexDefinition,
    LiveDatabase,
    SchemaConfiguration,
    TableDefinition,
    apply_statements,
    build_plan,
    connect,
    diff_schema,
    execute_plan,
    get_dialect,
)
from whizbang_schema import WhizbangDataType as T

_THOROUGH = os.environ.get("WHIZBANG_HYPOTHESIS_PROFILE") == "thorough"
_COUNT = (
    settings().max_examples if _THOROUGH or os.environ.get("WHIZBANG_HYPOTHESIS_EXAMPLES") else 10
)
EXAMPLES = settings(max_examples=_COUNT)

_INTEGERS = (T.SMALL_INT, T.INTEGER, T.BIG_INT)
_prefixes = itertools.count()


@attrs.frozen
class Migration:
    before: TableDefinition
    after: TableDefinition
    rows: tuple[tuple[Any, ...], ...]
    backfill: dict[str, str]


@st.composite
def migrations(draw: st.DrawFn) -> Migration:
    count = draw(st.integers(1, 4))
    before = [ColumnDefinition("id", T.INTEGER, primary_key=True)]
    after = [ColumnDefinition("id", T.INTEGER, primary_key=True)]
    value_strategies: list[st.SearchStrategy[Any]] = []
    backfill: dict[str, str] = {}
    for i in range(count):
        name = f"c{i}"
        nullable = draw(st.booleans()), draw(st.booleans())
        if draw(st.booleans()):
            lengths = draw(st.none() | st.integers(4, 40)), draw(st.none() | st.integers(4, 40))
            fits = min(n for n in (*lengths, 40) if n is not None)
            values: st.SearchStrategy[Any] = st.text("abcxyz ", max_size=fits)
            default = [draw(st.none() | st.sampled_from(["d", "e"])) for _ in range(2)]
            columns = [
                ColumnDefinition(
                    name,
                    T.STRING,
                    max_length=lengths[k],
                    nullable=nullable[k],
                    default=None if default[k] is None else DefaultValue.string(default[k]),
                )
                for k in range(2)
            ]
            filler = "b"
        else:
            first = draw(st.sampled_from(_INTEGERS))
            second = draw(st.sampled_from(_INTEGERS[_INTEGERS.index(first) :]))
            values = st.integers(-32768, 32767)
            default_int = [draw(st.none() | st.integers(0, 9)) for _ in range(2)]
            columns = [
                ColumnDefinition(
                    name,
                    kind,
                    nullable=nullable[k],
                    default=None
                    if default_int[k] is None
                    else DefaultValue.integer(default_int[k]),
                )
                for k, kind in enumerate((first, second))
            ]
            filler = "7"
        if nullable[0] and not nullable[1]:
            backfill[name] = filler
        before.append(columns[0])
        after.append(columns[1])
        value_strategies.append(st.none() | values if nullable[0] else values)
    names = [c.name for c in after[1:]]
    indexes = []
    for _version in range(2):
        chosen = draw(
            st.none() | st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)
        )
        indexes.append([] if chosen is None else [IndexDefinition("idx", chosen)])
    size = draw(st.integers(0, 6))
    rows = tuple((n, *draw(st.tuples(*value_strategies))) for n in range(size))
    return Migration(
        TableDefinition("t", before, indexes=indexes[0]),
        TableDefinition("t", after, indexes=indexes[1]),
        rows,
        backfill,
    )


def _run(live: LiveDatabase, migration: Migration) -> None:
    prefix = f"m{next(_prefixes)}_{uuid.uuid4().hex[:6]}_"
    old = SchemaConfiguration(prefix=prefix, tables=(migration.before,))
    new = SchemaConfiguration(prefix=prefix, tables=(migration.after,))
    apply_statements(live, get_dialect(live.dialect).statements(old))
    table = f"{prefix}t"
    columns = [c.name for c in migration.before.columns]
    mark = "?" if live.dialect == "sqlite" else "%s"
    cursor = live.connection.cursor()  # type: ignore[attr-defined]
    cursor.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})",
        migration.rows,
    )
    cursor.close()
    with live.transaction():
        plan = build_plan(live, new, backfill=migration.backfill, allow_drop=True)
    assert plan.refused == (), plan.refused
    execute_plan(live, new, plan)
    with live.transaction():
        assert not diff_schema(live, new).drift
    found = live.query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
    expected = []
    for row in migration.rows:
        values = list(row)
        for i, name in enumerate(columns):
            if values[i] is None and name in migration.backfill:
                filler = migration.backfill[name]
                values[i] = int(filler) if filler.isdigit() else filler
        expected.append(tuple(values))
    assert [tuple(r) for r in found] == expected


@pytest.fixture(scope="module")
def postgres_live(postgres_admin: Any, postgres_server_url: str) -> Iterator[LiveDatabase]:
    name = f"wbprop_{uuid.uuid4().hex[:16]}"
    postgres_admin.execute(f"CREATE DATABASE {name}")
    live = connect(postgres_server_url.rpartition("/")[0] + "/" + name, dialect="postgres")
    live.connection.prepare_threshold = None  # type: ignore[attr-defined]
    try:
        yield live
    finally:
        live.close()
        postgres_admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def mariadb_live(mariadb_admin: Any, mariadb_server_url: str) -> Iterator[LiveDatabase]:
    name = f"wbprop_{uuid.uuid4().hex[:16]}"
    mariadb_admin.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    live = connect(mariadb_server_url.rsplit("/", 1)[0] + "/" + name, dialect="mysql")
    try:
        yield live
    finally:
        live.close()
        mariadb_admin.execute(f"DROP DATABASE IF EXISTS {name}")


@EXAMPLES
@given(migrations())
def test_sqlite_plan_takes_one_definition_to_the_other(migration: Migration) -> None:
    live = connect(":memory:", dialect="sqlite")
    try:
        _run(live, migration)
    finally:
        live.close()


@EXAMPLES
@given(migrations())
def test_postgres_plan_takes_one_definition_to_the_other(
    postgres_live: LiveDatabase, migration: Migration
) -> None:
    _run(postgres_live, migration)


@EXAMPLES
@given(migrations())
def test_mariadb_plan_takes_one_definition_to_the_other(
    mariadb_live: LiveDatabase, migration: Migration
) -> None:
    _run(mariadb_live, migration)
