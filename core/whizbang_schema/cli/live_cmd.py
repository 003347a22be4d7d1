"""``diff``, ``check`` and ``migrate``: compare a live database with the definitions, and
repair what is additive."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import (
    EXIT_ERROR,
    EXIT_OK,
    add_selection_arguments,
    add_target_arguments,
    configuration_from,
    target_of,
    with_options,
)


def register(commands: Any) -> None:
    diff: argparse.ArgumentParser = commands.add_parser(
        "diff", help="compare a live database with the definitions"
    )
    check: argparse.ArgumentParser = commands.add_parser(
        "check", help="exit 1 if a live database drifts from the definitions (for CI)"
    )
    migrate: argparse.ArgumentParser = commands.add_parser(
        "migrate", help="create missing tables, indexes and columns; never drop or rewrite"
    )
    for parser in (diff, check, migrate):
        add_target_arguments(parser)
        add_selection_arguments(parser)
    for parser in (diff, migrate):
        parser.add_argument("--json", action="store_true", help="print JSON")
    migrate.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    diff.set_defaults(run=run_diff)
    check.set_defaults(run=run_check)
    migrate.set_defaults(run=run_migrate)


def _open(args: argparse.Namespace, *, read_only: bool) -> tuple[Any, Any]:
    from ..live.connect import connect
    from ..plugins.registry import get_dialect

    database = connect(target_of(args), dialect=args.dialect, read_only=read_only)
    try:
        configuration = with_options(
            configuration_from(args), get_dialect(database.dialect).info, args.option
        )
    except BaseException:
        database.close()
        raise
    return database, configuration


def _diff(args: argparse.Namespace) -> tuple[Any, str]:
    from ..live.connect import redact_url
    from ..live.introspect import diff_schema

    database, configuration = _open(args, read_only=True)
    try:
        with database.transaction():
            result = diff_schema(database, configuration)
    finally:
        database.close()
    return result, f"{redact_url(target_of(args))} ({database.dialect})"


def run_diff(args: argparse.Namespace) -> int:
    result, where = _diff(args)
    if args.json:
        import json

        print(json.dumps(result.as_dict(), indent=2))
        return EXIT_OK
    for difference in result.drift:
        print(f"drift: {difference}")
    for difference in result.extras:
        print(f"extra: {difference}")
    print(f"{where}: {len(result.drift)} differences, {len(result.extras)} extra objects")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    result, where = _diff(args)
    for difference in result.drift:
        print(f"drift: {difference}")
    for difference in result.extras:
        print(f"extra: {difference} (not a failure)")
    if result.drift:
        print(
            f"{where}: drifts from the definitions ({len(result.drift)} differences)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    print(f"{where}: matches the definitions")
    return EXIT_OK


def run_migrate(args: argparse.Namespace) -> int:
    from ..live.connect import redact_url
    from ..live.migrate import migrate_schema

    database, configuration = _open(args, read_only=args.dry_run)
    try:
        result = migrate_schema(database, configuration, dry_run=args.dry_run)
    finally:
        database.close()
    plan = result.plan
    if args.json:
        import json

        print(
            json.dumps(
                {
                    "dry_run": result.dry_run,
                    "statements": [
                        {"kind": s.kind.value, "name": s.name, "table": s.table, "sql": s.sql}
                        for s in plan.statements
                    ],
                    "refused": [
                        {"difference": str(d), "kind": d.kind, "reason": why}
                        for d, why in plan.refused
                    ],
                    "extras": [str(d) for d in plan.extras],
                },
                indent=2,
            )
        )
    else:
        verb = "would run" if result.dry_run else "ran"
        for statement in plan.statements:
            print(f"{verb}: {statement.sql};")
        for difference, why in plan.refused:
            print(f"refused: {difference}: {why}")
        for difference in plan.extras:
            print(f"extra: {difference} (kept)")
        print(
            f"{redact_url(target_of(args))} ({database.dialect}): {len(plan.statements)} "
            f"statements {verb}, {len(plan.refused)} differences left for you, "
            f"{len(plan.extras)} extra objects kept"
        )
    return EXIT_ERROR if plan.refused else EXIT_OK
