"""The definitions a command works on: the user's own (``--definitions MODULE:ATTRIBUTE``),
narrowed and adjusted by the flags and the environment; and where in the user's own code a
definition went wrong."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.definitions import TableDefinition
from .common import PREFIX_VARIABLE, CommandError, Terminated, UsageError

if TYPE_CHECKING:
    from ..model.configuration import SchemaConfiguration


def load_definitions(spec: str) -> SchemaConfiguration | tuple[TableDefinition, ...]:
    """Load ``module:attribute`` (or ``path/to/file.py:attribute``)."""
    from ..model.configuration import SchemaConfiguration

    module_name, sep, attribute = spec.rpartition(":")
    if not sep or not module_name or not attribute:
        raise UsageError(f"--definitions takes MODULE:ATTRIBUTE, got {spec!r}")
    module = _import(module_name)
    try:
        value = getattr(module, attribute)
    except AttributeError:
        raise CommandError(f"module {module_name!r} has no attribute {attribute!r}") from None
    except Exception as exc:  # a module __getattr__ of the user's that fails
        # "from exc": --debug's traceback then shows the user's own frames.
        raise CommandError(f"reading {spec} failed: {type(exc).__name__}: {exc}") from exc
    if isinstance(value, (SchemaConfiguration, TableDefinition)):
        return value if isinstance(value, SchemaConfiguration) else (value,)
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        try:
            items = list(value)
        except Exception as exc:  # the user's iterable fails part-way
            raise CommandError(f"reading {spec} failed: {type(exc).__name__}: {exc}") from exc
        if items and all(isinstance(item, TableDefinition) for item in items):
            return tuple(items)
    raise CommandError(
        f"{spec} is {_describe(value)}, not a TableDefinition, an iterable of "
        f"TableDefinitions or a SchemaConfiguration"
    )


def _describe(value: object) -> str:
    if isinstance(value, (list, tuple, set)) and not value:
        return f"an empty {type(value).__name__}"
    return f"a {type(value).__name__}"


def _import(name: str) -> Any:
    try:
        if name.endswith(".py"):
            path = Path(name)
            if not path.is_file():
                problem = "is not a file" if path.exists() else "does not exist"
                raise CommandError(f"definitions file {name!r} {problem}")
            spec = importlib.util.spec_from_file_location(path.stem, path)
            if spec is None or spec.loader is None:
                raise CommandError(f"cannot load definitions file {name!r}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
        if os.getcwd() not in sys.path and "" not in sys.path:
            sys.path.insert(0, os.getcwd())
        return importlib.import_module(name)
    except CommandError:
        raise
    except ModuleNotFoundError as exc:
        if exc.name == name or (exc.name and name.startswith(exc.name + ".")):
            raise CommandError(
                f"cannot import definitions module {name!r}: no such module"
            ) from None
        raise CommandError(f"importing {name!r} failed: {type(exc).__name__}: {exc}") from exc
    except (KeyboardInterrupt, Terminated):
        raise  # Ctrl-C or SIGTERM while importing: the command stops (exit 130 or 143)
    except BaseException as exc:  # SyntaxError, SystemExit, anything a module may raise
        error = CommandError(
            f"importing {name!r} failed: {type(exc).__name__}: {exc}{_user_line(exc)}"
        )
        for attribute in ("table", "column", "field", "reason"):  # for --json
            setattr(error, attribute, getattr(exc, attribute, None))
        if error.table is None:
            error.table = _enclosing_table(*_last_user_frame(exc))
        raise error from exc


def _user_line(exc: BaseException) -> str:
    """`` (at FILE, line N)``: the last line of the user's own code the error passed through.

    A column or index is checked when it is built, before the table it goes into exists, so
    its error cannot name the table: the line that built it can.
    """
    where, line = _last_user_frame(exc)
    if not where or isinstance(exc, SyntaxError):
        return ""
    table = _enclosing_table(where, line) if getattr(exc, "table", "") is None else None
    with contextlib.suppress(ValueError):
        relative = os.path.relpath(where)
        where = where if relative.startswith("..") else relative
    named = f"table {table!r}, " if table else ""
    return f" ({named}at {where}, line {line})"


def _last_user_frame(exc: BaseException) -> tuple[str, int]:
    import traceback

    package = str(Path(__file__).resolve().parents[1])
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if not frame.filename.startswith(("<", package)) and "importlib" not in frame.filename
    ]
    return (frames[-1].filename, frames[-1].lineno or 0) if frames else ("", 0)


def _enclosing_table(path: str, line: int) -> str | None:
    # The name of the TableDefinition(...) call written around ``line``, when it is a literal.
    import ast

    if not path:
        return None
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    found = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0]
        if (
            called == "TableDefinition"
            and node.lineno <= line <= (node.end_lineno or node.lineno)
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            found = first.value  # ast.walk goes outside in: the innermost call wins
    return found


def configuration_from(args: argparse.Namespace) -> SchemaConfiguration:
    """The configuration the flags describe."""
    from ..model.configuration import SchemaConfiguration

    base = SchemaConfiguration()
    tables: tuple[TableDefinition, ...] = base.tables
    if args.definitions:
        loaded = load_definitions(args.definitions)
        if isinstance(loaded, SchemaConfiguration):
            base, tables = loaded, loaded.tables
        else:
            tables = loaded
    if args.table:
        by_name = {t.name: t for t in tables}
        missing = [name for name in args.table if name not in by_name]
        if missing:
            raise UsageError(
                f"no table named {missing[0]!r}; tables: {', '.join(by_name) or 'none'}"
            )
        tables = tuple(by_name[name] for name in dict.fromkeys(args.table))
    # An empty variable counts as unset (as for the URL); "--prefix ''" asks for no prefix.
    prefix = args.prefix if args.prefix is not None else os.environ.get(PREFIX_VARIABLE) or None
    return SchemaConfiguration(
        prefix=base.prefix if prefix is None else prefix,
        schema=base.schema if args.schema is None else args.schema,
        tables=tables,
        verbatim_names=base.verbatim_names if args.verbatim_names is None else True,
        dialect_options={name: dict(options) for name, options in base.dialect_options},
    )
