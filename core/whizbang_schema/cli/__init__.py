"""The ``whizbang-schema`` command line.

Exit status as diff(1) and grep(1) have it: 0 done (no drift); 1 the answer is "no" (drift
found, something left for a person to decide); 2 trouble of any kind (bad usage, a bad
definition, an unreachable server, a missing driver, a statement the server refused), printed
as one line without a traceback (``--debug`` shows it); 130 and 143 interrupted by SIGINT and
SIGTERM. With ``--json`` an error is also a JSON object on stdout, so that ``jq -e`` fails on
an outage. Commands import what they need when they run, so start-up stays quick.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sys
import traceback
import warnings
from collections.abc import Iterator, Sequence
from types import FrameType
from typing import Any, NoReturn

from .common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_NO,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    CommandError,
    Terminated,
    UsageError,
    add_global_arguments,
)

__all__ = ["main"]

PROG = "whizbang-schema"


class _ArgumentError(Exception):
    def __init__(self, message: str, parser: argparse.ArgumentParser) -> None:
        super().__init__(message)
        self.parser = parser


class _Parser(argparse.ArgumentParser):
    """argparse, but its usage errors come back to :func:`main` (which may answer in JSON)."""

    def error(self, message: str) -> NoReturn:
        raise _ArgumentError(message, self)


def build_parser() -> argparse.ArgumentParser:
    from . import apply_cmd, dialects_cmd, live_cmd, render_cmd, tables_cmd

    parser = _Parser(
        prog=PROG,
        description="Render infrastructure tables as DDL for any installed dialect, and apply "
        "them to live databases.",
    )
    add_global_arguments(parser, top=True)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (dialects_cmd, tables_cmd, render_cmd, apply_cmd, live_cmd):
        module.register(commands)
    for command in commands.choices.values():
        add_global_arguments(command, top=False)
    return parser


def _version() -> str:
    from .. import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    _pass_undecodable_bytes_through(sys.stdout)
    flags = arguments[: arguments.index("--")] if "--" in arguments else arguments
    with _sigterm_raises():
        try:
            args = build_parser().parse_args(arguments)
        except _ArgumentError as exc:
            exc.parser.print_usage(sys.stderr)
            return _fail("--json" in flags, "usage", str(exc), None, EXIT_USAGE)
        except Terminated:
            return EXIT_TERMINATED
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from ..model.errors import SchemaError, SchemaWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if args.strict:
            warnings.simplefilter("error", SchemaWarning)
        try:
            code: int = args.run(args)
        except UsageError as exc:
            return _fail(args.json, "usage", _one_line(exc), exc, EXIT_USAGE, args)
        except SchemaWarning as exc:  # --strict
            message = f"{_one_line(exc)} (a warning; --strict makes it an error)"
            return _fail(args.json, "warning", message, exc, EXIT_ERROR, args)
        except (CommandError, SchemaError) as exc:
            _report(caught, args.debug)
            return _fail(args.json, _kind(exc), _hinted(_one_line(exc)), exc, EXIT_ERROR, args)
        except KeyboardInterrupt as exc:
            message = _stopped("interrupted", exc)
            return _fail(args.json, "interrupted", message, None, EXIT_INTERRUPTED)
        except Terminated as exc:
            message = _stopped("terminated", exc)
            return _fail(args.json, "terminated", message, None, EXIT_TERMINATED)
        except BrokenPipeError:
            # The reader went away (``| head``): not an error. Point stdout at nothing so
            # that flushing it at exit does not raise again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
        except Exception as exc:  # a bug: still one line, unless --debug
            _report(caught, args.debug)
            message = (
                f"internal error: {type(exc).__name__}: {_one_line(exc)} "
                f"(run with --debug for the traceback)"
            )
            return _fail(args.json, "internal", message, exc, EXIT_ERROR, args, prefix="")
    _report(caught, not args.quiet)
    return code


def _stopped(word: str, exc: BaseException) -> str:
    # A live database notes what an interrupt kept (MariaDB's DDL, committed batches).
    note = _one_line(exc) if exc.args else ""
    return f"{word}; {note}" if note else word


def _fail(
    json_mode: bool,
    kind: str,
    message: str,
    exc: BaseException | None,
    code: int,
    args: argparse.Namespace | None = None,
    *,
    prefix: str = "error: ",
) -> int:
    if args is not None and args.debug and exc is not None:
        traceback.print_exception(type(exc), exc, exc.__traceback__)
    if json_mode:
        from .output import emit, error_payload

        emit({**_where(args), **error_payload(kind, message, exc)})
    if kind in ("interrupted", "terminated"):
        print(f"{PROG}: {message}", file=sys.stderr)
    else:
        print(f"{PROG}: {prefix}{message}", file=sys.stderr)
    return code


def _where(args: argparse.Namespace | None) -> dict[str, Any]:
    # The target and dialect of a live command that failed, as far as the flags tell them.
    if args is None or not hasattr(args, "url"):
        return {"target": None, "dialect": getattr(args, "dialect", None)}
    from .common import shown_target, target_of

    try:
        target = target_of(args)
    except UsageError:
        return {"target": None, "dialect": args.dialect}
    dialect = args.dialect
    if dialect is None:
        from ..live.connect import dialect_for_target
        from ..model.errors import SchemaError

        with contextlib.suppress(SchemaError):
            dialect = dialect_for_target(target)
    return {"target": shown_target(target), "dialect": dialect}


def _kind(exc: BaseException) -> str:
    from ..model.errors import (
        DatabaseError,
        DefinitionError,
        OptionError,
        PluginError,
        RenderError,
    )

    if isinstance(exc, CommandError) and exc.__cause__ is not None:
        exc = exc.__cause__  # a definitions module that raised a DefinitionError
    for cls, kind in (
        (RenderError, "render"),
        (DefinitionError, "definition"),
        (OptionError, "option"),
        (PluginError, "plugin"),
        (DatabaseError, "database"),
    ):
        if isinstance(exc, cls):
            return kind
    return "command"


_UNKNOWN_DATABASE = re.compile(r"Unknown database '([^']+)'|database \"([^\"]+)\" does not exist")
_EXTRA_HINT = re.compile(r"pip install '([A-Za-z0-9_.-]+)\[([A-Za-z0-9_-]+)\]'")


def _hinted(message: str) -> str:
    """``message`` with what to do next, where the server's own words do not say it."""
    missing = _UNKNOWN_DATABASE.search(message)
    if missing:
        name = missing.group(1) or missing.group(2)
        return f"{message}; create it first (CREATE DATABASE {name}), then run again"
    return _EXTRA_HINT.sub(_requirement, message)


def _requirement(match: re.Match[str]) -> str:
    # The package is installed from a checkout, not an index: name the driver itself, as the
    # installed distribution's extra lists it, so that the hint works wherever it is run.
    from importlib import metadata

    distribution, extra = match.group(1), match.group(2)
    try:
        requires = metadata.requires(distribution) or []
    except metadata.PackageNotFoundError:
        return match.group(0)
    marker = re.compile(rf"extra\s*==\s*['\"]{re.escape(extra)}['\"]")
    wanted = [r.split(";")[0].strip() for r in requires if marker.search(r)]
    if not wanted:
        return match.group(0)
    return "pip install " + " ".join(f"'{r}'" for r in wanted)


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Handle SIGTERM like Ctrl-C: stop, roll back through the usual ``finally`` blocks,
    exit 143."""

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread (main() called from a test's thread)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _pass_undecodable_bytes_through(stream: object) -> None:
    # A file name that is not UTF-8 reaches us from argv as lone surrogates; printing it back
    # ("x.db (sqlite): 9 created") must give the same bytes, not UnicodeEncodeError.
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError):  # closed: nothing will be printed anyway
            reconfigure(errors="surrogateescape")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _report(caught: list[warnings.WarningMessage], shown: bool = True) -> None:
    # After an error only its one line is printed (the warnings come back on the run that
    # succeeds); --debug shows them anyway. --quiet silences them.
    if not shown:
        return
    for warning in caught:
        message: Any = warning.message
        print(f"{PROG}: warning: {_one_line(message)}", file=sys.stderr)


__all__ += [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_NO",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
]
