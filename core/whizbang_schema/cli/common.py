"""What the commands share: exit codes, the flags every command takes, building a
configuration from flags and environment, parsing dialect options."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..model.capabilities import DialectInfo, OptionValue

if TYPE_CHECKING:  # imported where used: 'dialects' starts without the nine tables
    from ..model.configuration import SchemaConfiguration

# As diff(1) and grep(1) have it: 0 yes / done, 1 the answer is "no", 2 trouble of any kind.
EXIT_OK = 0
EXIT_NO = 1  # drift found, or something left for a person to decide
EXIT_ERROR = 2  # bad usage, bad definitions, unreachable server, refused statement, ...
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM

URL_VARIABLE = "WHIZBANG_SCHEMA_URL"
PREFIX_VARIABLE = "WHIZBANG_SCHEMA_PREFIX"


class UsageError(Exception):
    """The command was called wrongly (exit 2)."""


class CommandError(Exception):
    """The command could not do its job (exit 2). ``table``, ``column``, ``field`` and
    ``reason`` locate a definition error met while importing the user's module."""

    table: str | None = None
    column: str | None = None
    field: str | None = None
    reason: str | None = None


class Terminated(BaseException):
    """SIGTERM arrived (exit 143); raised from the signal handler like KeyboardInterrupt."""


DEFAULT_DATABASE = "whizbang.db"


def add_global_arguments(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--debug, --quiet, --strict and --json: accepted before the command and after it.

    On the subcommands their default is SUPPRESS, so that a flag given before the command is
    not reset by the subcommand's parser.
    """
    default: Any = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show tracebacks of errors (your own modules' frames included)",
        **default,
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no warnings and no progress on stderr",
        **default,
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 2)", **default
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (docs/json/); errors too",
        **default,
    )


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """--database PATH | --url URL, and --dialect."""
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--database", metavar="PATH", help=f"a SQLite database file (default {DEFAULT_DATABASE})"
    )
    target.add_argument(
        "--url",
        help=f"a database URL, e.g. postgresql://user@host/db (default: ${URL_VARIABLE})",
    )
    parser.add_argument("--dialect", help="the dialect, when the URL scheme does not tell")
    parser.add_argument(
        "--lock-timeout",
        metavar="SECONDS",
        type=_lock_timeout,
        default=10.0,
        help="give up waiting for a lock (the schema lock, or one a statement needs) after "
        "SECONDS, naming the holder where the engine can tell (default 10; 0 waits forever)",
    )


def _lock_timeout(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"takes 0 (wait forever) or more seconds, got {text!r}")
    return seconds


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def target_of(args: argparse.Namespace) -> str:
    """The target the flags name: --url, else --database, else $WHIZBANG_SCHEMA_URL, else
    whizbang.db here."""
    if args.url is not None and not _URL.match(args.url):
        # Taken as a SQLite path, "--url garbage" would create a database file "garbage".
        raise UsageError(
            f"--url takes a URL such as postgresql://user@host/db, got {args.url!r}; "
            f"for a SQLite file use --database PATH"
        )
    if args.url or args.database:
        return str(args.url or args.database)
    from_environment = os.environ.get(URL_VARIABLE, "")
    if from_environment and not _URL.match(from_environment):
        raise UsageError(
            f"${URL_VARIABLE} takes a URL such as postgresql://user@host/db, got "
            f"{shown_target(from_environment)!r}"
        )
    return from_environment or DEFAULT_DATABASE


def shown_target(target: str) -> str:
    """``target`` with any password hidden."""
    from .. import redact_url

    return str(redact_url(target))


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """--prefix, --schema, --table, --definitions, --verbatim-names, --option."""
    parser.add_argument(
        "--prefix",
        help=f"prefix of every table, index and constraint name (default: ${PREFIX_VARIABLE}, "
        f"else the definitions' own, else wh_)",
    )
    parser.add_argument("--schema", help="schema to create the tables in")
    parser.add_argument(
        "--table",
        action="append",
        metavar="TABLE",
        help="only this table (repeatable; default: all)",
    )
    parser.add_argument(
        "--definitions",
        metavar="MODULE:ATTRIBUTE",
        help="your own tables: a TableDefinition, an iterable of them, or a SchemaConfiguration, "
        "from an importable module or a .py file (default: the nine canonical tables)",
    )
    parser.add_argument(
        "--verbatim-names",
        action="store_true",
        default=None,
        help="keep index and constraint names unprefixed, as the C# original created them",
    )
    parser.add_argument(
        "--option",
        action="append",
        metavar="KEY=VALUE",
        default=[],
        help="a dialect option, e.g. uuid=blob for sqlite (repeatable; see 'dialects')",
    )


def with_options(
    configuration: SchemaConfiguration, info: DialectInfo, given: list[str]
) -> SchemaConfiguration:
    """Add ``--option KEY=VALUE`` flags for dialect ``info`` to ``configuration``."""
    if not given:
        return configuration
    options: dict[str, OptionValue] = configuration.options_for(info.name)
    known = {option.name: option for option in info.options}
    for item in given:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--option takes KEY=VALUE, got {item!r}")
        option = known.get(key)
        if option is None:
            listed = ", ".join(sorted(known)) or "none"
            raise UsageError(f"{info.name} has no option {key!r}; its options: {listed}")
        options[key] = _convert(info.name, key, raw, option.default)
    merged = {name: dict(opts) for name, opts in configuration.dialect_options}
    merged[info.name] = dict(options)
    import attrs

    return attrs.evolve(configuration, dialect_options=merged)


def _convert(dialect: str, key: str, raw: str, default: OptionValue) -> OptionValue:
    if isinstance(default, bool):
        lowered = raw.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise UsageError(f"{dialect} option {key!r} is true or false, got {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise UsageError(
                f"{dialect} option {key!r} takes a whole number, got {raw!r}"
            ) from None
    return raw


def plural(count: int, noun: str) -> str:
    """``1 difference``, ``2 differences``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def say_hints(args: argparse.Namespace, hints: Iterable[str]) -> None:
    """Advice on stderr, one line each (not with --quiet; in --json it is in the object)."""
    if args.quiet:
        return
    for hint in hints:
        print(f"whizbang-schema: hint: {hint}", file=sys.stderr)
