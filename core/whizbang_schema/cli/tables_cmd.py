"""``whizbang-schema tables``: the tables with their column and index counts."""

from __future__ import annotations

import argparse
from typing import Any

from .common import EXIT_OK
from .definitions import load_definitions


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "tables", help="list the canonical tables (or your own) with column and index counts"
    )
    parser.add_argument(
        "--definitions", metavar="MODULE:ATTRIBUTE", help="list your own tables instead"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..tables import ALL_TABLES

    tables = ALL_TABLES
    if args.definitions:
        loaded = load_definitions(args.definitions)
        tables = loaded if isinstance(loaded, tuple) else loaded.tables
    rows = [
        (t.name, len(t.columns), len(t.indexes), ", ".join(t.primary_key) or "-") for t in tables
    ]
    if args.json:
        from .output import emit

        emit(
            {
                "tables": [
                    {"name": n, "columns": c, "indexes": i, "primary_key": list(t.primary_key)}
                    for (n, c, i, _), t in zip(rows, tables, strict=True)
                ]
            }
        )
        return EXIT_OK
    width = max(len("table"), *(len(r[0]) for r in rows))
    print(f"{'table':<{width}}  columns  indexes  primary key")
    for name, columns, indexes, key in rows:
        print(f"{name:<{width}}  {columns:>7}  {indexes:>7}  {key}")
    return EXIT_OK
