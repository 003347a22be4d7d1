"""Item 2: the synthetic schema (see :mod:`synthetic`) rendered whole, per dialect.

Each measurement renders tables nothing has seen before: whizbang-schema's caches are
emptied and the tables are freshly generated under a new tag, so this is cold rendering
throughout. Time is the whole call (for whizbang-schema including building the
``SchemaConfiguration``, which validates it, and the check that no two objects share a name);
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

from whizbang_schema import SchemaConfiguration, SchemaWarning, TableDefinition, get_dialect

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
        for size in sizes:
            for name in DIALECTS:
                rows.append(_one(name, size, repeats))
    return {"sizes": sizes, "repeats": repeats, "rows": rows}


def _one(name: str, size: int, repeats: int) -> dict[str, Any]:
    dialect = get_dialect(name)
    sa_dialect = sqla.sa_dialect(name)
    guard = sqla.if_not_exists(name)
    wb_times: list[int] = []
    sa_times: list[int] = []
    statements = 0
    for repeat in range(repeats + 1):  # the extra one measures memory
        tables = synthetic.tables(size, tag=f"{name[:2]}{repeat}")
        _, sa_tables = sqla.build_all(tables, name)

        def whizbang(tables: tuple[TableDefinition, ...] = tables) -> int:
            return len(dialect.statements(SchemaConfiguration(tables=tables)))

        def sqlalchemy(sa_tables: list[sqla.SaTable] = sa_tables) -> int:
            return sqla.compile_all(sa_tables, sa_dialect, if_not_exists=guard)

        dialect.clear_caches()
        if repeat < repeats:
            gc.collect()
            wb_times.append(time_once(whizbang))
            gc.collect()
            sa_times.append(time_once(sqlalchemy))
            statements = whizbang()
        else:
            wb_peak = _peak(whizbang)
            sa_peak = _peak(sqlalchemy)
        dialect.clear_caches()
    return {
        "dialect": name,
        "tables": size,
        "statements": statements,
        "whizbang": median(wb_times),
        "sqlalchemy": median(sa_times),
        "whizbang_peak": wb_peak,
        "sqlalchemy_peak": sa_peak,
    }
