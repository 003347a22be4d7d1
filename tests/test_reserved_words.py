"""Each dialect's reserved-word list against what its engine (or grammar) really rejects."""

from __future__ import annotations

import sqlite3
from typing import Any

from whizbang_schema import ColumnDefinition, TableDefinition, WhizbangDataType, get_dialect
from whizbang_schema_postgres.keywords import RESERVED_WORDS as POSTGRES
from whizbang_schema_sqlite.keywords import RESERVED_WORDS as SQLITE
from whizbang_schema_sqlserver.keywords import RESERVED_WORDS as SQLSERVER

CANDIDATES = sorted(POSTGRES | SQLITE | SQLSERVER | {"status", "scope", "metadata", "data", "name"})


def test_postgres_list_covers_every_word_the_server_reserves(postgres: Any) -> None:
    words = {
        w
        for (w,) in postgres.execute(
            "SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T', 'C')"
        )
    }
    assert words - POSTGRES == set()


def test_postgres_unreserved_words_work_as_bare_names(postgres: Any) -> None:
    words = [
        w
        for (w,) in postgres.execute("SELECT word FROM pg_get_keywords() WHERE catcode = 'U'")
        if w not in POSTGRES
    ]
    table = TableDefinition("t", [ColumnDefinition(w, WhizbangDataType.INTEGER) for w in words])
    sql = get_dialect("postgres").render(table)
    assert '"' not in sql  # they stay bare...
    postgres.execute(sql)  # ...and the server takes them


def test_sqlite_list_covers_every_candidate_sqlite_rejects() -> None:
    conn = sqlite3.connect(":memory:")
    rejected = set()
    for word in CANDIDATES:
        if not word.isidentifier():
            continue
        try:
            conn.execute(f"CREATE TABLE t_{abs(hash(word))} ({word} INTEGER)")
        except sqlite3.OperationalError:
            rejected.add(word)
    assert rejected, "the probe must find some reserved words"
    assert rejected - SQLITE == set()


def test_sqlite_quoted_reserved_words_work(sqlite: sqlite3.Connection) -> None:
    columns = [ColumnDefinition(w, WhizbangDataType.INTEGER) for w in sorted(SQLITE)]
    sqlite.executescript(get_dialect("sqlite").render(TableDefinition("t", columns)))
    assert len(sqlite.execute("PRAGMA table_info(wh_t)").fetchall()) == len(SQLITE)


def test_sqlserver_list_covers_the_tsql_grammars_reserved_words() -> None:
    from sqlfluff.core.dialects import dialect_selector

    grammar = {
        w.lower() for w in dialect_selector("tsql").sets("reserved_keywords") if " " not in w
    }
    assert grammar - SQLSERVER == set()
