"""Definitions as a dialect will store them, and the generic parsing of stored defaults."""

from __future__ import annotations

import datetime as dt
import decimal
import re

from ..model.canonical import canonical_predicate
from ..model.catalog import LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveTable
from ..model.constraints import CheckDefinition
from ..model.datatypes import INTEGER_RANGES, WhizbangDataType
from ..model.defaults import (
    NULL_DEFAULT,
    BooleanDefault,
    BytesDefault,
    DateDefault,
    DecimalDefault,
    DefaultValue,
    DoubleDefault,
    IntegerDefault,
    StringDefault,
)
from ..model.definitions import TableDefinition
from .context import RenderContext

__all__ = ["expected_table", "parse_literal_default", "strip_parentheses"]

_INTEGER = re.compile(r"[+-]?\d+")
#: A number as engines print a DECIMAL or DOUBLE default: 0.00, 5., 1e3, -9.007199254740992e15.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTIONAL_KINDS = (WhizbangDataType.DECIMAL, WhizbangDataType.DOUBLE)
#: Binary literals as engines print them: X'00FF' (SQLite, MySQL), 0x00FF (SQL Server),
#: decode('00ff', 'hex') and '\x00ff' (PostgreSQL), unhex('00FF') (the MySQL dialect's).
_HEX_LITERAL = re.compile(
    r"[Xx]'((?:[0-9A-Fa-f]{2})*)'|0[xX]((?:[0-9A-Fa-f]{2})*)"
    r"|(?:decode|unhex)\(\s*'((?:[0-9A-Fa-f]{2})*)'(?:\s*::\s*text)?"
    r"(?:\s*,\s*'hex'(?:\s*::\s*text)?)?\s*\)",
    re.IGNORECASE,
)
_INFINITIES = {"INFINITY": float("inf"), "-INFINITY": float("-inf")}
_CAST = re.compile(r"\s*::\s*[A-Za-z_][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?(\[\])?\s*$")


def strip_parentheses(sql: str) -> str:
    """``((1))`` -> ``1``: drop parentheses that enclose the whole expression."""
    text = sql.strip()
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for position, char in enumerate(text):
            depth += char == "("
            depth -= char == ")"
            if depth == 0 and position < len(text) - 1:
                return text  # "(a) + (b)": the outer pair does not enclose everything
        text = text[1:-1].strip()
    return text


def _unquote(text: str) -> str | None:
    """The value of a single-quoted SQL string (``N'..'``, ``E'..'`` too), else ``None``."""
    escaped = False
    if text[:1] in ("N", "n", "E", "e") and text[1:2] == "'":
        escaped = text[0] in "Ee"
        text = text[1:]
    if len(text) < 2 or text[0] != "'" or text[-1] != "'":
        return None
    body = text[1:-1]
    if re.search(r"(?<!')'(?!')", body.replace("''", "")):
        return None  # a quote in the middle: not one literal
    body = body.replace("''", "'")
    if escaped:
        body = re.sub(r"\\(.)", r"\1", body)
    return body


def parse_literal_default(sql: str, data_type: WhizbangDataType | None) -> DefaultValue | None:
    """Read NULL, a number, a quoted string or TRUE/FALSE, as any engine prints them back.

    Casts (``'x'::text``) and enclosing parentheses are dropped; on a BOOLEAN column 0 and 1
    read as false and true, which is what they mean there.
    """
    text = strip_parentheses(_CAST.sub("", strip_parentheses(sql)))
    upper = text.upper()
    if upper == "NULL":
        return NULL_DEFAULT
    if upper in ("TRUE", "FALSE"):
        return BooleanDefault(upper == "TRUE")
    value = _unquote(text)
    if value is not None and data_type is WhizbangDataType.STRING:
        return StringDefault(value)
    number = value if value is not None else text
    if _INTEGER.fullmatch(number):
        integer = int(number)
        if data_type is WhizbangDataType.BOOLEAN and integer in (0, 1):
            return BooleanDefault(bool(integer))
        if data_type in INTEGER_RANGES or data_type is WhizbangDataType.DECIMAL:
            return IntegerDefault(integer)
    if data_type in _FRACTIONAL_KINDS and _NUMBER.fullmatch(number):
        # A whole number however printed: MariaDB prints DEFAULT 0 of a DECIMAL(18,2) as 0.00
        # and DEFAULT -9007199254740992 of a DOUBLE as -9.007199254740992e15.
        exact = decimal.Decimal(number)
        if data_type is WhizbangDataType.DOUBLE:
            # The float the engine stores, however many digits it prints (PostgreSQL writes
            # 1e300 out as a 301-digit numeric; MariaDB as 1e300).
            return _double(float(number))
        if exact == exact.to_integral_value():
            return IntegerDefault(int(exact))
        return DecimalDefault(exact)
    if data_type is WhizbangDataType.DOUBLE and number.upper() in _INFINITIES:
        return DoubleDefault(_INFINITIES[number.upper()])  # PostgreSQL's 'Infinity'
    if data_type is WhizbangDataType.DATE and value is not None:
        try:
            return DateDefault(dt.date.fromisoformat(value))
        except ValueError:
            pass
    if data_type is WhizbangDataType.BYTES:
        parsed = parse_bytes_literal(text)
        if parsed is not None:
            return parsed
    if value is not None:
        return StringDefault(value)
    return None


def _double(value: float) -> DefaultValue:
    """A DOUBLE default read back: whole numbers a float holds exactly as integers (what
    ``DefaultValue.integer`` on a DOUBLE means), anything else as the float."""
    if value.is_integer() and abs(value) <= 2**53:
        return IntegerDefault(int(value))
    return DoubleDefault(value)


def parse_bytes_literal(text: str) -> BytesDefault | None:
    """A binary literal as any engine prints it back (``X'..'``, ``0x..``, PostgreSQL's
    ``decode('..', 'hex')`` or ``'\\x..'``), else ``None``."""
    hexed = _HEX_LITERAL.fullmatch(text.strip())
    if hexed is not None:
        digits = next(group for group in hexed.groups() if group is not None)
        return BytesDefault(bytes.fromhex(digits))
    quoted = _unquote(strip_parentheses(_CAST.sub("", text)))
    if quoted is not None and quoted.startswith("\\x"):
        try:
            return BytesDefault(bytes.fromhex(quoted[2:]))
        except ValueError:
            return None
    return None


def _live_column(context: RenderContext, table: TableDefinition, index: int) -> LiveColumn:
    column = table.columns[index]
    sql_type = context.render_type(column, table)
    parsed = context.parse_type(sql_type)
    default_sql = context.render_default(column, table)
    default = (
        None
        if default_sql is None
        else context.parse_default(default_sql, None if parsed is None else parsed.kind)
    )
    return LiveColumn(column.name, sql_type, parsed, column.nullable, default_sql, default)


def expected_table(context: RenderContext, table: TableDefinition) -> LiveTable:
    """``table`` as the dialect of ``context`` will store it (see ``expected_table`` hook)."""
    indexes = []
    for index in table.indexes:
        predicate_sql = None
        if index.where is not None and context.capabilities.partial_indexes:
            predicate_sql = context.render_predicate(table, index)
        indexes.append(
            LiveIndex(
                context.index_name(table, index),
                index.columns,
                index.unique,
                None if predicate_sql is None else canonical_predicate(predicate_sql),
                predicate_sql,
            )
        )
    return LiveTable(
        context.table_name(table),
        [_live_column(context, table, i) for i in range(len(table.columns))],
        table.primary_key,
        indexes,
        [LiveIndex(name, columns, True) for name, columns in context.unique_elements(table)],
        [
            LiveForeignKey(
                context.foreign_key_name(table, fk),
                fk.columns,
                context.referenced_table_name(fk),
                fk.references_columns,
                fk.on_delete,
                fk.on_update,
            )
            for fk in table.foreign_keys
        ],
        [_live_check(context, table, check) for check in table.checks],
    )


def _live_check(
    context: RenderContext, table: TableDefinition, check: CheckDefinition
) -> LiveCheck:
    sql = context.render_check(table, check)
    return LiveCheck(context.check_name(table, check), canonical_predicate(sql), sql)
