"""A fingerprint of the catalog a migration plan starts from.

A plan is written against one state of the database and may run hours later; it runs only if
the tables it reads are still exactly as they were. Each table is hashed from what its catalog
says as stored (names, SQL types, nullability, default SQL, keys, indexes and predicates as
printed), not from what a dialect makes of them, so the fingerprint does not move when the
library's reading of a type improves. Per-table hashes say which tables changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from ..model.catalog import LiveIndex, LiveTable

__all__ = ["catalog_fingerprint", "changed_tables", "table_hashes"]


def _index(index: LiveIndex) -> list[object]:
    return [index.name, list(index.columns), index.unique, index.predicate_sql]


def _table(table: LiveTable) -> list[object]:
    return [
        table.name,
        [[c.name, c.sql_type, c.nullable, c.default_sql] for c in table.columns],
        list(table.primary_key),
        sorted((_index(i) for i in table.indexes), key=lambda i: str(i[0])),
        sorted((_index(u) for u in table.unique_constraints), key=lambda i: str(i[0])),
    ]


def table_hashes(tables: Sequence[LiveTable]) -> dict[str, str]:
    """Stored table name -> SHA-256 (hex) of its canonical catalog entry, in name order."""
    out = {}
    for table in sorted(tables, key=lambda t: t.name):
        text = json.dumps(_table(table), separators=(",", ":"), ensure_ascii=True)
        out[table.name] = hashlib.sha256(text.encode()).hexdigest()
    return out


def catalog_fingerprint(hashes: Mapping[str, str]) -> str:
    """One SHA-256 over every table's hash (``sha256:<hex>``)."""
    text = "\n".join(f"{name}\t{value}" for name, value in sorted(hashes.items()))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def changed_tables(planned: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """What differs between the tables a plan was written for and those found now, one line
    per table: changed, dropped or new."""
    out = []
    for name in sorted(set(planned) | set(now)):
        before, after = planned.get(name), now.get(name)
        if before == after:
            continue
        if before is None:
            out.append(f"table {name} appeared")
        elif after is None:
            out.append(f"table {name} is gone")
        else:
            out.append(f"table {name} changed (columns, keys or indexes)")
    return out
