"""``diff``, ``check`` and ``migrate``: compare a live database with the definitions, and
repair what is additive."""

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
    diff: argparse.ArgumentParser = commands.add_parser(
        "diff", help="compare a live database with the definitions (exit 1 on drift, as diff does)"
    )
    check: argparse.ArgumentParser = commands.add_parser(
        "check",
        help="exit 1 if a live database drifts from the definitions, 2 if it cannot tell (for CI)",
    )
    migrate: argparse.ArgumentParser = commands.add_parser(
        "migrate", help="create missing tables, indexes and columns; never drop or rewrite"
    )
    for parser in (diff, check, migrate):
        add_target_arguments(parser)
        add_selection_arguments(parser)
    migrate.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    diff.set_defaults(run=run_diff)
    check.set_defaults(run=run_check)
    migrate.set_defaults(run=run_migrate)


def _open(args: argparse.Namespace, *, read_only: bool) -> tuple[Any, Any]:
    from ..live.connect import connect
    from ..plugins.registry import get_dialect

    database = connect(
        target_of(args), dialect=args.dialect, read_only=read_only, lock_timeout=args.lock_timeout
    )
    try:
        configuration = with_options(
            configuration_from(args), get_dialect(database.dialect).info, args.option
        )
    except BaseException:
        database.close()
        raise
    return database, configuration


def _diff(args: argparse.Namespace) -> tuple[Any, str, str]:
    from ..live.introspect import diff_schema

    database, configuration = _open(args, read_only=True)
    try:
        with database.transaction():
            result = diff_schema(database, configuration)
    finally:
        database.close()
    return result, shown_target(target_of(args)), database.dialect


def _diff_payload(result: Any, target: str, dialect: str) -> dict[str, Any]:
    from .output import difference_row

    return {
        "target": target,
        "dialect": dialect,
        "matches": not result.drift,
        "drift": [difference_row(d) for d in result.drift],
        "extras": [difference_row(d) for d in result.extras],
        "hints": list(result.hints),
    }


def run_diff(args: argparse.Namespace) -> int:
    """As diff(1): 0 no drift, 1 drift (extras alone are not drift), 2 could not compare."""
    result, target, dialect = _diff(args)
    if args.json:
        from .output import emit

        emit(_diff_payload(result, target, dialect))
    else:
        for difference in result.drift:
            print(f"drift: {difference}")
        for difference in result.extras:
            print(f"extra: {difference}")
        print(
            f"{target} ({dialect}): {plural(len(result.drift), 'difference')}, "
            f"{plural(len(result.extras), 'extra object')}"
        )
    say_hints(args, result.hints)
    return EXIT_NO if result.drift else EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """0 no drift, 1 drift (the differences listed), 2 the check could not be made."""
    result, target, dialect = _diff(args)
    if args.json:
        from .output import emit

        emit(_diff_payload(result, target, dialect))
    else:
        for difference in result.drift:
            print(f"drift: {difference}")
        for difference in result.extras:
            print(f"extra: {difference} (not a failure)")
    say_hints(args, result.hints)
    if result.drift:
        print(
            f"whizbang-schema: error: {target} ({dialect}) drifts from the definitions "
            f"({plural(len(result.drift), 'difference')})",
            file=sys.stderr,
        )
        return EXIT_NO
    if not args.json:
        print(f"{target} ({dialect}): matches the definitions")
    return EXIT_OK


def run_migrate(args: argparse.Namespace) -> int:
    from ..live.migrate import migrate_schema
    from .progress import progress_for

    database, configuration = _open(args, read_only=args.dry_run)
    progress = None if args.dry_run else progress_for(args.quiet)
    try:
        result = migrate_schema(database, configuration, dry_run=args.dry_run, progress=progress)
    finally:
        if progress is not None:
            progress.close()
        database.close()
    plan = result.plan
    target = shown_target(target_of(args))
    if args.json:
        from .output import difference_row, emit, refusal_row, statement_rows

        emit(
            {
                "target": target,
                "dialect": database.dialect,
                "dry_run": result.dry_run,
                "statements": statement_rows(plan.statements),
                "refused": [refusal_row(d, why) for d, why in plan.refused],
                "extras": [difference_row(d) for d in plan.extras],
                "hints": list(result.diff.hints + result.notes),
            }
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
            f"{target} ({database.dialect}): {plural(len(plan.statements), 'statement')} "
            f"{verb}, {plural(len(plan.refused), 'difference')} left for you, "
            f"{plural(len(plan.extras), 'extra object')} kept"
        )
    say_hints(args, result.diff.hints + result.notes)
    if plan.refused:
        print(
            f"whizbang-schema: error: {plural(len(plan.refused), 'difference')} left for "
            f"you (see 'refused')",
            file=sys.stderr,
        )
        return EXIT_NO
    return EXIT_OK
