"""The ``whizbang-schema`` command line.

Exit codes: 0 success; 2 bad usage; 1 a definition, dialect, plugin or database error, printed
as one line without a traceback (``--debug`` shows it); 130 interrupted (Ctrl-C). Commands
import what they need when they run, so start-up stays quick.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
import warnings
from collections.abc import Sequence

from .common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CommandError, UsageError

__all__ = ["main"]

PROG = "whizbang-schema"


def build_parser() -> argparse.ArgumentParser:
    from . import apply_cmd, dialects_cmd, live_cmd, render_cmd, tables_cmd

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Render infrastructure tables as DDL for any installed dialect, and apply "
        "them to live databases.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (dialects_cmd, tables_cmd, render_cmd, apply_cmd, live_cmd):
        module.register(commands)
    return parser


def _version() -> str:
    from .. import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    _pass_undecodable_bytes_through(sys.stdout)
    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code: int = args.run(args)
        except UsageError as exc:
            _report(caught, args.debug)
            parser.exit(EXIT_USAGE, f"{PROG}: error: {_one_line(exc)}\n")
        except (CommandError, _schema_error()) as exc:
            _report(caught, args.debug)
            if args.debug:
                traceback.print_exc()
            print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
            return EXIT_ERROR
        except KeyboardInterrupt:
            print(f"{PROG}: interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            # The reader went away (``| head``): not an error. Point stdout at nothing so
            # that flushing it at exit does not raise again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
        except Exception as exc:  # a bug: still one line, unless --debug
            _report(caught, args.debug)
            if args.debug:
                traceback.print_exc()
            print(
                f"{PROG}: internal error: {type(exc).__name__}: {_one_line(exc)} "
                f"(run with --debug for the traceback)",
                file=sys.stderr,
            )
            return EXIT_ERROR
    _report(caught)
    return code


def _pass_undecodable_bytes_through(stream: object) -> None:
    # A file name that is not UTF-8 reaches us from argv as lone surrogates; printing it back
    # ("x.db (sqlite): 9 created") must give the same bytes, not UnicodeEncodeError.
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError):  # closed: nothing will be printed anyway
            reconfigure(errors="surrogateescape")


def _schema_error() -> type[Exception]:
    from ..model.errors import SchemaError

    return SchemaError


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _report(caught: list[warnings.WarningMessage], shown: bool = True) -> None:
    # After an error only its one line is printed (the warnings come back on the run that
    # succeeds); --debug shows them anyway.
    if not shown:
        return
    for warning in caught:
        print(f"{PROG}: warning: {_one_line(warning.message)}", file=sys.stderr)  # type: ignore[arg-type]


__all__ += ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE"]
