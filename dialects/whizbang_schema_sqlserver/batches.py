"""The rendered script as ``sqlcmd`` and SSMS run it: the SET options first, ``GO`` after each
statement.

"CREATE INDEX" (required SET options): a filtered index is created, and the table it is on
takes every later INSERT, UPDATE, DELETE and MERGE, only with ANSI_NULLS, ANSI_PADDING,
ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL and QUOTED_IDENTIFIER ON and
NUMERIC_ROUNDABORT OFF. The ODBC ``sqlcmd`` runs with QUOTED_IDENTIFIER OFF unless ``-I``
("sqlcmd utility"), so the script sets them all itself. ``GO`` is a batch separator of the
client tools, not T-SQL: it is only in the script text; :meth:`SQLServerDialect.statements`
and ``apply`` never send it, and ``apply`` sets the same options on its connection.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Final

from whizbang_schema import Statement, StatementKind, UnsupportedFeatureError

#: The session options filtered indexes need, as one batch (without the terminating ';').
SESSION_OPTIONS: Final = (
    "SET ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL, "
    "QUOTED_IDENTIFIER ON;\nSET NUMERIC_ROUNDABORT OFF"
)

#: What the script says first, for the person who runs it (and their own code's writes).
HEADER: Final = (
    "-- Filtered indexes need these SET options when they are created, and for every later\n"
    '-- INSERT, UPDATE, DELETE and MERGE on their tables ("CREATE INDEX", required SET options).\n'
)

#: The client tools' batch separator, on a line of its own.
BATCH_SEPARATOR: Final = "GO\n"


def batch_script(statements: Iterable[Statement]) -> str:
    """The SET block, then each statement as its own batch (``;`` and a ``GO`` line), with
    a blank line before each schema and table, as :func:`~whizbang_schema.render_script`."""
    out = [_PREAMBLE]
    for statement in statements:
        sql = statement.sql
        # One character first (a fast scan): most statements hold no "g" at all, and a new
        # text is not worth a place in _holds_go's cache.
        if ("g" in sql or "G" in sql) and _holds_go(sql):
            raise UnsupportedFeatureError(
                f"{statement.name!r} holds a line that reads GO (in a string or a name), where "
                f"sqlcmd and SSMS would end the batch: apply it (statements never hold GO), "
                f"or change the text",
                dialect="sqlserver",
                table=statement.table or statement.name,
            )
        if statement.kind in _GROUP_STARTS:
            out.append("\n")
        out.append(sql)
        out.append(_END)
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _holds_go(sql: str) -> bool:
    """Whether a line of ``sql`` reads GO. Kept per text (a cached statement's text is the
    same object each render). Only the lines with a "go" in them are tried (found a letter
    at a time: the regular expression, or even a two-letter ``in``, scans the whole text a
    character at a time, several microseconds for a table's text)."""
    for letter in "gG":
        at = sql.find(letter)
        while at >= 0:
            if sql[at + 1 : at + 2] in ("o", "O"):
                start = sql.rfind("\n", 0, at) + 1
                end = sql.find("\n", at)
                if _GO_LINE.match(sql, start, len(sql) if end < 0 else end) is not None:
                    return True
            at = sql.find(letter, at + 1)
    return False


_GO_LINE: Final = re.compile(r"^[ \t]*GO[ \t]*(?:\d+[ \t]*)?$", re.IGNORECASE | re.MULTILINE)
_PREAMBLE: Final = f"{HEADER}{SESSION_OPTIONS};\n{BATCH_SEPARATOR}"
_END: Final = f";\n{BATCH_SEPARATOR}"
_GROUP_STARTS: Final = frozenset({StatementKind.CREATE_SCHEMA, StatementKind.CREATE_TABLE})
