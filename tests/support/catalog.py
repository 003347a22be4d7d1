"""Read tables back from the engines' catalogs, independently of the library under test."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import attrs


@attrs.frozen
class LiveColumn:
    name: str
    type: str
    nullable: bool
    default: str | None


@attrs.frozen
class LiveIndex:
    name: str
    columns: tuple[str, ...]
    unique: bool
    predicate: str | None


def normalize_predicate(text: str | None) -> str | None:
    """Fold the spelling differences engines introduce when they print a predicate back."""
    if text is None:
        return None
    text = text.replace("!=", "<>").replace('"', "").replace("[", "").replace("]", "")
    return re.sub(r"[\s()]", "", text).lower()


def postgres_columns(conn: Any, table: str, schema: str = "public") -> list[LiveColumn]:
    rows = conn.execute(
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid)
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE c.relname = %s AND n.nspname = %s AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
        """,
        (table, schema),
    ).fetchall()
    return [LiveColumn(r[0], r[1], r[2], r[3]) for r in rows]


def postgres_indexes(conn: Any, table: str, schema: str = "public") -> dict[str, LiveIndex]:
    rows = conn.execute(
        """
        SELECT i.relname, ix.indisunique, pg_get_expr(ix.indpred, ix.indrelid),
               ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
                      ORDER BY k.ord)
          FROM pg_index ix
          JOIN pg_class i ON i.oid = ix.indexrelid
          JOIN pg_class t ON t.oid = ix.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE t.relname = %s AND n.nspname = %s
        """,
        (table, schema),
    ).fetchall()
    return {r[0]: LiveIndex(r[0], tuple(r[3]), r[1], r[2]) for r in rows}


def postgres_primary_key(
    conn: Any, table: str, schema: str = "public"
) -> tuple[str, tuple[str, ...]] | None:
    row = conn.execute(
        """
        SELECT con.conname,
               ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                      ORDER BY k.ord)
          FROM pg_constraint con
          JOIN pg_class t ON t.oid = con.conrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE con.contype = 'p' AND t.relname = %s AND n.nspname = %s
        """,
        (table, schema),
    ).fetchone()
    return None if row is None else (row[0], tuple(row[1]))


def sqlite_columns(conn: sqlite3.Connection, table: str) -> list[LiveColumn]:
    rows = conn.execute(f'PRAGMA table_xinfo("{table}")').fetchall()
    # cid, name, type, notnull, dflt_value, pk, hidden
    return [LiveColumn(r[1], r[2], not r[3], r[4]) for r in rows]


def sqlite_primary_key(conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
    rows = conn.execute(f'PRAGMA table_xinfo("{table}")').fetchall()
    return tuple(r[1] for r in sorted((r for r in rows if r[5]), key=lambda r: r[5]))


def sqlite_indexes(conn: sqlite3.Connection, table: str) -> dict[str, LiveIndex]:
    found = {}
    for _seq, name, unique, origin, partial in conn.execute(f'PRAGMA index_list("{table}")'):
        columns = tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")').fetchall())
        predicate = None
        if partial:
            (sql,) = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
            ).fetchone()
            predicate = sql[sql.upper().rindex(" WHERE ") + 7 :]
        found[name] = LiveIndex(name, columns, bool(unique), predicate)
        del origin
    return found
