"""``whizbang-schema render``: print (or write) the DDL for one dialect."""

from __future__ import annotations

import argparse
from typing import Any

from .common import EXIT_OK, CommandError, add_selection_arguments, with_options
from .definitions import configuration_from


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "render", help="print the DDL of the tables for one dialect"
    )
    parser.add_argument("--dialect", required=True, help="dialect name (see 'dialects')")
    add_selection_arguments(parser)
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the script to FILE instead of stdout"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from ..plugins.registry import get_dialect
    from ..render.statements import render_script

    dialect = get_dialect(args.dialect)
    configuration = with_options(configuration_from(args), dialect.info, args.option)
    statements = dialect.statements(configuration)
    script = render_script(statements)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="\n") as out:
                out.write(script)
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            strerror = exc.strerror if isinstance(exc, OSError) else None
            raise CommandError(f"cannot write {args.output!r}: {strerror or exc}") from None
    if args.json:
        from .output import emit, statement_rows

        emit({"dialect": dialect.name, "statements": statement_rows(statements)})
    elif not args.output:
        sys.stdout.write(script)
    return EXIT_OK
