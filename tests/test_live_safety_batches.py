"""A big apply split by PostgreSQL's lock budget (issue 13): batches that each fit in an
eighth of the server's lock table, a table never split from its indexes, the schema lock kept
across the batches' commits and released at the end (also after an error or an interrupt),
and an interrupt saying what the committed batches kept."""

from __future__ import annotations

import time
from typing import Any

import pytest

from whizbang_schema import (
    ColumnDefinition,
    IndexDefinition,
    SchemaConfiguration,
    StatementKind,
    TableDefinition,
    connect,
)
from whizbang_schema import WhizbangDataType as T
from whizbang_schema.live.batches import lock_batches
from whizbang_schema.plugins.registry import get_dialect
from whizbang_schema_postgres.live import LOCK_KEY

#: 200 small tables: about 2,600 locks, over the budget of a default server (64 x 100 / 8).
TABLES = tuple(
    TableDefinition(
        f"t{n:03}",
        [ColumnDefinition("id", T.INTEGER, primary_key=True), ColumnDefinition("v", T.STRING)],
        indexes=[IndexDefinition(f"idx_t{n:03}_v", ["v"])],
    )
    for n in range(200)
)


def statements() -> tuple[Any, ...]:
    return tuple(get_dialect("postgres").statements(SchemaConfiguration(tables=TABLES)))


def budget_of_the_server(conn: Any) -> int:
    per_slot, slots = conn.execute(
        "SELECT current_setting('max_locks_per_transaction')::int, "
        "current_setting('max_connections')::int"
        " + current_setting('max_prepared_transactions')::int"
    ).fetchone()
    return max(per_slot, per_slot * slots // 8)


def lock_is_free(conn: Any) -> bool:
    free = conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone() == (True,)
    if free:
        conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    return free


def test_batches_fit_the_budget_and_never_split_a_table(postgres_url: str, postgres: Any) -> None:
    database = connect(postgres_url)
    budget = budget_of_the_server(postgres)
    try:
        assert database.lock_budget() == budget  # type: ignore[attr-defined]
        batches = lock_batches(database, statements())
        assert len(batches) > 2
        assert tuple(s for batch in batches for s in batch) == statements()
        for batch in batches:
            tables = {s.name for s in batch if s.kind is StatementKind.CREATE_TABLE}
            assert {s.table for s in batch if s.kind is StatementKind.CREATE_INDEX} <= tables
            assert sum(database.lock_cost(s) for s in batch) <= budget or len(tables) == 1  # type: ignore[attr-defined]
    finally:
        database.close()


def test_the_nine_tables_stay_one_transaction(postgres_url: str) -> None:
    nine = tuple(get_dialect("postgres").statements(SchemaConfiguration()))
    database = connect(postgres_url)
    try:
        assert lock_batches(database, nine) == (nine,)  # all or nothing, as before
    finally:
        database.close()


def test_one_batch_when_everything_fits(tmp_path: Any, postgres_url: str) -> None:
    sqlite = connect(str(tmp_path / "x.db"))  # no budget at all
    assert lock_batches(sqlite, statements()) == (statements(),)
    sqlite.close()
    database = connect(postgres_url)
    assert lock_batches(database, statements()[:3]) == (statements()[:3],)
    database.close()


def run_in_batches(database: Any, interrupt: bool = False) -> None:
    with database.transaction():
        for number, batch in enumerate(lock_batches(database, statements())):
            if number:
                database.checkpoint()
            if interrupt and number == 2:
                raise KeyboardInterrupt
            for statement in batch:
                database.execute(statement.sql)


def test_the_lock_is_held_across_batches_and_released_after(
    postgres_url: str, postgres: Any
) -> None:
    database = connect(postgres_url)
    seen: list[bool] = []
    original = database.checkpoint  # type: ignore[attr-defined]

    def checkpoint() -> None:
        original()
        seen.append(lock_is_free(postgres))

    database.checkpoint = checkpoint  # type: ignore[attr-defined]
    try:
        run_in_batches(database)
    finally:
        database.close()
    assert seen and not any(seen)
    assert lock_is_free(postgres)


def test_an_interrupt_keeps_whole_batches_and_says_so(postgres_url: str, postgres: Any) -> None:
    database = connect(postgres_url)
    kept = sum(len(batch) for batch in lock_batches(database, statements())[:2])
    with pytest.raises(KeyboardInterrupt) as caught:
        run_in_batches(database, interrupt=True)
    assert caught.value.args == (
        f"the {kept} statements committed in earlier transactions (the lock budget split the "
        f"work) were kept; the rest was rolled back",
    )
    deadline = time.monotonic() + 5  # the session ends as soon as the server reads its end
    while not lock_is_free(postgres):
        assert time.monotonic() < deadline
        time.sleep(0.05)
