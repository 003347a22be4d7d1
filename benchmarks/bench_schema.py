"""Item 2: the synthetic schema (see :mod:`synthetic`) rendered whole, per dialect.

Each measurement renders tables nothing has seen before: whizbang-schema's caches are
emptied and the tables are freshly generated under a new tag, so this is cold rendering
throughout. Time is the whole call (for whizbang-schema including building the
``SchemaConfiguration``, which validates it, and the check that no two objects share a name),
with the garbage collector on: both sides pay for their garbage, and the collector's work
grows with the number of live objects (the definitions, and whizbang-schema's cache);
peak memory is measured in a separate run under :mod:`tracemalloc` (which slows things
down) and counts everything the render allocates and keeps: the output and, for
whizbang-schema, its caches.
"""

from __future__ import annotations

import gc
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import sqla
import synthetic
from timing import median, time_once

from whizbang_schema import SchemaConfiguration, SchemaWarning, get_dialect

DIALECTS = ("postgres", "sqlite", "sqlserver")


def _peak(function: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        result = function()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del result
    return peak


def run(*, quick: bool) -> dict[str, Any]:
    sizes = (100, 1_000) if quick else (1_000, 10_000)
    repeats = 1 if quick else 3
    rows: list[dict[str, Any]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SchemaWarning)
        for name in DIALECTS:
            rows.extend(_dialect(name, sizes, repeats))
    rows.sort(key=lambda row: (row["tables"], DIALECTS.index(row["dialect"])))
    return {"sizes": sizes, "repeats": repeats, "rows": rows}


def _dialect(name: str, sizes: tuple[int, ...], repeats: int) -> list[dict[str, Any]]:
    """Every size of one dialect, the sizes alternating within each repeat, so that the
    growth from the small size to the large one is measured in the same stretch of time."""
    rows = {
        size: {"dialect": name, "tables": size, "whizbang": [], "sqlalchemy": []} for size in sizes
    }
    warm_up: dict[str, Any] = {"whizbang": [], "sqlalchemy": []}
    _sample(name, 50, f"{name[:2]}w", warm_up, memory=False)  # first-use costs, both sides
    for repeat in range(repeats + 1):  # the extra one measures memory
        for size in sizes:
            _sample(name, size, f"{name[:2]}{repeat}s{size}", rows[size], memory=repeat == repeats)
    for row in rows.values():
        for side in ("whizbang", "sqlalchemy"):
            row[side + "_best"] = min(row[side])  # for the growth check: noise only adds
            row[side] = median(row[side])
    return list(rows.values())


def _sample(name: str, size: int, tag: str, row: dict[str, Any], *, memory: bool) -> None:
    dialect = get_dialect(name)
    sa_dialect = sqla.sa_dialect(name)
    guard = sqla.if_not_exists(name)
    tables = synthetic.tables(size, tag=tag)
    _, sa_tables = sqla.build_all(tables, name)

    def whizbang() -> int:
        return len(dialect.statements(SchemaConfiguration(tables=tables)))

    def sqlalchemy() -> int:
        return sqla.compile_all(sa_tables, sa_dialect, if_not_exists=guard)

    dialect.clear_caches()
    if memory:
        row["whizbang_peak"] = _peak(whizbang)
        row["sqlalchemy_peak"] = _peak(sqlalchemy)
    else:
        gc.collect()
        row["whizbang"].append(time_once(whizbang))
        gc.collect()
        row["sqlalchemy"].append(time_once(sqlalchemy))
        row["statements"] = whizbang()
    dialect.clear_caches()
