"""Item 1: the outbox (CREATE TABLE and its six indexes), one table at a time.

Four figures for whizbang-schema, because its renderer caches and a single number would
hide which case you are in:

* **warm**: the same ``OUTBOX`` object rendered again and again; every render after the first
  is answered by the statement cache (keyed on the frozen definition and the registry's
  generation, so a plugin registered later still takes effect).
* **equal copy**: each render gets a new table object, equal to the outbox but not the same
  object (as when definitions are rebuilt); the cache still answers, by equality with the
  cached tables of the same name.
* **new table**, *a table no cache has seen*: a copy of the outbox under a new name, never
  rendered, so no statement cache can answer and every decision is asked for it; the render
  context of the configuration (settings, resolved options, names quoted so far) is in hand,
  as SQLAlchemy's dialect object keeps its quoted names from one compile to the next. What
  each further table of a code generator costs.
* **cold**: as *new table*, after ``clear_caches()`` has emptied every render cache of the
  dialect (contexts, quoted names, tables): the context is rebuilt and every name is quoted
  afresh. What survives depends on the dialect and its plugins alone (the resolved decisions,
  the compiled bare-name pattern) or was computed when the definitions were built (parsed
  predicates, the primary key).

SQLAlchemy compiles ``CreateTable`` plus one ``CreateIndex`` per index, every time.
"""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import sqla
from timing import median, time_each

from whizbang_schema import SchemaWarning, TableDefinition, get_dialect
from whizbang_schema.tables import OUTBOX

DIALECTS = ("postgres", "sqlite", "sqlserver")


def _copy(table: TableDefinition, name: str | None = None) -> TableDefinition:
    """An equal (or, with ``name``, renamed) table sharing no object with ``table``."""
    return TableDefinition(
        name or table.name,
        [attrs.evolve(c) for c in table.columns],
        indexes=[attrs.evolve(i) for i in table.indexes],
        unique_constraints=[attrs.evolve(u) for u in table.unique_constraints],
    )


def run(*, quick: bool) -> list[dict[str, Any]]:
    rounds, per_round = (3, 100) if quick else (15, 200)
    rows = []
    with warnings.catch_warnings():
        # SQL Server renders two outbox indexes unfiltered and warns each time; the warning
        # is part of the work, its display is not.
        warnings.simplefilter("ignore", SchemaWarning)
        for name in DIALECTS:
            rows.append(_one(name, rounds, per_round))
    return rows


def _one(name: str, rounds: int, per_round: int) -> dict[str, Any]:
    dialect = get_dialect(name)
    sa_dialect = sqla.sa_dialect(name)
    _, sa_tables = sqla.build_all([OUTBOX], name)
    sa_outbox = sa_tables[0]
    guard = sqla.if_not_exists(name)
    assert dialect.render(OUTBOX) == dialect.render(_copy(OUTBOX))

    def cold(table: TableDefinition) -> object:
        dialect.clear_caches()
        return dialect.render(table)

    samples: dict[str, list[int]] = {
        "warm": [],
        "equal": [],
        "new": [],
        "cold": [],
        "sqlalchemy": [],
    }
    serial = 0
    for _ in range(rounds):  # interleaved, so that a noisy moment hits every contender
        copies = [_copy(OUTBOX) for _ in range(per_round)]
        new, fresh = [], []
        for _ in range(per_round):
            serial += 1
            new.append(_copy(OUTBOX, f"outbox_{serial:06d}"))
            fresh.append(_copy(OUTBOX, f"outbox_{serial:06d}_c"))
        dialect.render(OUTBOX)
        samples["warm"] += time_each(lambda _: dialect.render(OUTBOX), range(per_round))
        samples["equal"] += time_each(dialect.render, copies)
        samples["new"] += time_each(dialect.render, new)
        samples["cold"] += time_each(cold, fresh)
        samples["sqlalchemy"] += time_each(
            lambda _: sqla.compile_ddl(sa_outbox, sa_dialect, if_not_exists=guard),
            range(per_round),
        )
    dialect.clear_caches()
    return {
        "dialect": name,
        "samples": sum(len(v) for v in samples.values()),
        **{key: median(values) for key, values in samples.items()},
    }
