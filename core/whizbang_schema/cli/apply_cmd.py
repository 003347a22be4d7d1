"""``whizbang-schema apply``: bring a live database up to the definitions, additively."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import (
    EXIT_NO,
    EXIT_OK,
    add_selection_arguments,
    add_target_arguments,
    plural,
    say_hints,
    shown_target,
    target_of,
    with_options,
)
from .definitions import configuration_from


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "apply",
        help="create what is missing in a live database: tables, nullable or defaulted "
        "columns, indexes (default: SQLite file whizbang.db here); exit 1 if something needs "
        "your decision",
    )
    add_target_arguments(parser)
    add_selection_arguments(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be executed; change nothing"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..live.apply import apply_schema
    from ..live.connect import dialect_for_target
    from ..plugins.registry import get_dialect
    from .progress import progress_for

    target = target_of(args)
    info = get_dialect(args.dialect or dialect_for_target(target)).info
    configuration = with_options(configuration_from(args), info, args.option)
    # apply_schema renders, and so validates, before connecting: bad input leaves no trace.
    progress = None if args.dry_run else progress_for(args.quiet)
    try:
        result = apply_schema(
            target,
            configuration,
            dialect=info.name,
            dry_run=args.dry_run,
            progress=progress,
            lock_timeout=args.lock_timeout,
        )
    finally:
        if progress is not None:
            progress.close()
    shown = shown_target(target)
    code = EXIT_NO if result.refused else EXIT_OK
    if args.json:
        from .output import difference_row, emit, refusal_row, statement_rows

        emit(
            {
                "target": shown,
                "dialect": info.name,
                "dry_run": result.dry_run,
                "created": statement_rows(result.created),
                "existing": statement_rows(result.existing),
                "refused": [refusal_row(d, why) for d, why in result.refused],
                "extras": [difference_row(d) for d in result.extras],
                "hints": list(result.hints),
            }
        )
    elif args.dry_run:
        print(f"-- dry run on {shown} ({info.name}): nothing was changed")
        for statement in result.created:
            print(f"{statement.sql};")
        for difference, why in result.refused:
            print(f"-- refused: {difference}: {why}")
        print(
            f"-- would create {len(result.created)}; {len(result.existing)} already exist",
        )
    else:
        verb = {
            "create_schema": "schema",
            "create_table": "table",
            "create_index": "index",
            "add_column": "column",
        }
        for statement in result.created:
            kind = verb.get(statement.kind.value, statement.kind.value)
            where = f"{statement.table}." if statement.kind.value == "add_column" else ""
            print(f"created  {kind:<6} {where}{statement.name}")
        for statement in result.existing:
            kind = verb.get(statement.kind.value, statement.kind.value)
            print(f"exists   {kind:<6} {statement.name}")
        for difference, why in result.refused:
            print(f"refused: {difference}: {why}")
        print(
            f"{shown} ({info.name}): {len(result.created)} created, "
            f"{len(result.existing)} already existed"
            + (f", {len(result.refused)} left for you" if result.refused else "")
        )
    say_hints(args, result.hints)
    if result.refused:
        print(
            f"whizbang-schema: error: {plural(len(result.refused), 'difference')} "
            f"{'needs' if len(result.refused) == 1 else 'need'} your decision (see 'refused')",
            file=sys.stderr,
        )
    return code
