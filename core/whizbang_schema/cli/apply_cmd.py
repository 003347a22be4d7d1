"""``whizbang-schema apply``: create what is missing in a live database, all or nothing."""

from __future__ import annotations

import argparse
from typing import Any

from .common import (
    EXIT_OK,
    add_selection_arguments,
    add_target_arguments,
    configuration_from,
    target_of,
    with_options,
)


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "apply",
        help="create the tables in a live database (default: SQLite file whizbang.db here)",
    )
    add_target_arguments(parser)
    add_selection_arguments(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be executed; change nothing"
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..live.apply import apply_schema
    from ..live.connect import dialect_for_target, redact_url
    from ..plugins.registry import get_dialect

    target = target_of(args)
    info = get_dialect(args.dialect or dialect_for_target(target)).info
    configuration = with_options(configuration_from(args), info, args.option)
    # apply_schema renders, and so validates, before connecting: bad input leaves no trace.
    result = apply_schema(target, configuration, dialect=info.name, dry_run=args.dry_run)
    shown = redact_url(target)
    if args.json:
        import json

        def rows(items: tuple[Any, ...]) -> list[dict[str, Any]]:
            return [{"kind": s.kind.value, "name": s.name, "table": s.table} for s in items]

        print(
            json.dumps(
                {
                    "target": shown,
                    "dialect": info.name,
                    "dry_run": result.dry_run,
                    "created": rows(result.created),
                    "existing": rows(result.existing),
                },
                indent=2,
            )
        )
        return EXIT_OK
    if args.dry_run:
        print(f"-- dry run on {shown} ({info.name}): nothing was changed")
        for statement in result.created:
            print(f"{statement.sql};")
        print(
            f"-- would create {len(result.created)}; {len(result.existing)} already exist",
        )
        return EXIT_OK
    verb = {"create_schema": "schema", "create_table": "table", "create_index": "index"}
    for statement in result.created:
        print(
            f"created  {verb.get(statement.kind.value, statement.kind.value):<6} {statement.name}"
        )
    for statement in result.existing:
        print(
            f"exists   {verb.get(statement.kind.value, statement.kind.value):<6} {statement.name}"
        )
    print(
        f"{shown} ({info.name}): {len(result.created)} created, "
        f"{len(result.existing)} already existed"
    )
    return EXIT_OK
