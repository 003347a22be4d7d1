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
    mode = migrate.add_mutually_exclusive_group()
    mode.add_argument(
        "--plan",
        metavar="FILE",
        help="write the full migration plan (every change, each statement with its hazards, "
        "the catalog's fingerprint) to FILE as JSON ('-': standard output); change nothing",
    )
    mode.add_argument(
        "--execute",
        metavar="FILE",
        help="run the plan in FILE exactly, if the database still matches its fingerprint "
        "(else say what changed and exit 1)",
    )
    migrate.add_argument(
        "--deny",
        action="append",
        default=[],
        metavar="HAZARD",
        type=_hazard,
        help="exit 1 if the plan holds a statement with this hazard (repeatable; for CI): "
        "locks-writes, locks-reads, rewrites-table, scans-table, updates-rows, "
        "may-fail-on-existing-rows, drops-data, not-transactional, renames-object",
    )
    migrate.add_argument(
        "--backfill",
        action="append",
        default=[],
        metavar="[TABLE.]COLUMN=VALUE",
        help="with --plan: the value NULL rows get when COLUMN becomes NOT NULL (else its "
        "default); TABLE as defined or with the prefix (repeatable)",
    )
    migrate.add_argument(
        "--allow-drop",
        action="store_true",
        help="with --plan: also drop tables, columns, indexes and unique keys the definitions "
        "no longer have",
    )
    diff.set_defaults(run=run_diff)
    check.set_defaults(run=run_check)
    migrate.set_defaults(run=run_migrate)


def _hazard(text: str) -> str:
    from ..model.hazards import check_hazard

    try:
        return check_hazard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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


def _say_plan(plan: Any, verb: str) -> None:
    """The plan for people: each change, its statements with their hazards, what is refused."""
    for change in plan.changes:
        for difference in change.differences:
            print(f"change: {difference}")
        for statement in change.statements:
            marks = []
            if statement.check:
                marks.append("check: must return no rows")
            if statement.concurrent:
                marks.append("after the transaction")
            marks.extend(statement.hazards)
            shown = f"  -- {', '.join(marks)}" if marks else ""
            print(f"  {verb}: {statement.sql};{shown}")
    for difference, why in plan.refused:
        print(f"refused: {difference}: {why}")


def _denied(args: argparse.Namespace, plan: Any) -> bool:
    hits = plan.denied(args.deny)
    for statement, hazard in hits:
        print(
            f"whizbang-schema: error: {statement.kind.value} {statement.name!r} is "
            f"{hazard}, which --deny refuses",
            file=sys.stderr,
        )
    return bool(hits)


def _write_plan(args: argparse.Namespace) -> int:
    from ..live.plan import build_plan, parse_backfill
    from ..live.planfile import plan_to_json

    try:
        backfill = parse_backfill(args.backfill)
    except ValueError as exc:
        print(f"whizbang-schema: error: {exc}", file=sys.stderr)
        return 2
    database, configuration = _open(args, read_only=True)
    try:
        with database.transaction():
            plan = build_plan(
                database, configuration, allow_drop=args.allow_drop, backfill=backfill
            )
    finally:
        database.close()
    text = plan_to_json(plan)
    if args.plan == "-":
        sys.stdout.write(text)
    else:
        with open(args.plan, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        _say_plan(plan, "plan")
        target = shown_target(target_of(args))
        print(
            f"{target} ({database.dialect}): {plural(len(plan.changes), 'change')} planned in "
            f"{args.plan}, {plural(len(plan.refused), 'difference')} refused, "
            f"{plural(len(plan.extras), 'extra object')} kept; hazards: "
            f"{', '.join(plan.hazards) or 'none'}"
        )
    denied = _denied(args, plan)
    if plan.refused:
        print(
            f"whizbang-schema: error: {plural(len(plan.refused), 'difference')} cannot be "
            f"planned (see 'refused')",
            file=sys.stderr,
        )
    return EXIT_NO if plan.refused or denied else EXIT_OK


def _execute_plan(args: argparse.Namespace) -> int:
    from ..live.plan_run import PlanRefusedError, execute_plan
    from ..live.planfile import plan_from_json
    from .progress import progress_for

    try:
        with open(args.execute, encoding="utf-8") as source:
            plan = plan_from_json(source.read())
    except OSError as exc:
        print(f"whizbang-schema: error: cannot read {args.execute}: {exc}", file=sys.stderr)
        return 2
    if _denied(args, plan):
        return EXIT_NO
    database, configuration = _open(args, read_only=False)
    progress = progress_for(args.quiet)
    try:
        result = execute_plan(database, configuration, plan, progress=progress)
    except PlanRefusedError as exc:
        print(f"whizbang-schema: error: {exc}", file=sys.stderr)
        return EXIT_NO
    finally:
        if progress is not None:
            progress.close()
        database.close()
    target = shown_target(target_of(args))
    if args.json:
        from .output import emit, statement_rows

        emit(
            {
                "target": target,
                "dialect": database.dialect,
                "dry_run": False,
                "statements": statement_rows(result.ran),
                "refused": [],
                "extras": [],
                "hints": [],
            }
        )
    else:
        for statement in result.ran:
            print(f"ran: {statement.sql};")
        print(
            f"{target} ({database.dialect}): the plan ran, {plural(len(result.ran), 'statement')}"
        )
    return EXIT_OK


def run_migrate(args: argparse.Namespace) -> int:
    from ..live.migrate import migrate_schema
    from .progress import progress_for

    if args.plan is not None:
        return _write_plan(args)
    if args.execute is not None:
        return _execute_plan(args)

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
    full = _full_plan(args) if plan.refused else None
    if args.json:
        from ..live.planfile import plan_to_dict
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
                "plan": None if full is None else plan_to_dict(full),
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
    if full is not None and full.changes and not args.json:
        print("the rest, as migrate --plan FILE would write it (review it, then --execute FILE):")
        _say_plan(full, "would run")
    if plan.refused:
        print(
            f"whizbang-schema: error: {plural(len(plan.refused), 'difference')} left for "
            f"you (see 'refused')",
            file=sys.stderr,
        )
        return EXIT_NO
    return EXIT_OK


def _full_plan(args: argparse.Namespace) -> Any:
    """The plan ``--plan`` would write for what plain ``migrate`` left, so the user starts
    from reviewed SQL rather than from nothing (``None`` if it cannot be made)."""
    from ..live.plan import build_plan
    from ..model.errors import SchemaError

    try:
        database, configuration = _open(args, read_only=True)
        try:
            with database.transaction():
                return build_plan(database, configuration)
        finally:
            database.close()
    except SchemaError:
        return None
