"""Filtered indexes: SQL Server accepts only a narrow predicate grammar.

From the CREATE INDEX documentation::

    <filter_predicate> ::= <conjunct> [ AND <conjunct> ]...
    <conjunct>         ::= column IN (constant, ...) | column <comparison_op> constant
    <comparison_op>    ::= IS | IS NOT | = | <> | != | > | >= | !> | < | <= | !<

No OR, NOT, parentheses, functions, arithmetic or bitwise operators, no column-to-column
comparison, and NULL only after IS / IS NOT.

Each constant must also have the column's type ("Create filtered indexes", limitations: a
conversion on the left of the comparison, i.e. of the column, is an error; on the right it is
allowed). A number against an NVARCHAR column converts the column (int outranks nvarchar in
"Data type precedence"), and so does a decimal against an INT column or an integer beyond
2,147,483,647 (a DECIMAL constant, "Constants") against a BIGINT one. Such an integer that
the column can hold is written ``CONVERT(BIGINT, n)``, the documented remedy; other
mismatches are refused (a number against a string or UUID column has no equivalent).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from whizbang_schema import (
    INTEGER_RANGES,
    ColumnDefinition,
    Predicate,
    TableDefinition,
    Token,
    TokenKind,
    WhizbangDataType,
    canonical_predicate,
)

COMPARISONS = frozenset({"=", "<>", "!=", ">", ">=", "!>", "<", "<=", "!<"})

#: The largest integer constant T-SQL types as INT; a larger one is DECIMAL ("Constants").
INT_CONSTANT_MAX: Final = 2**31 - 1

_SQL_TYPES: Final = {
    WhizbangDataType.BIG_INT: "BIGINT",
    WhizbangDataType.INTEGER: "INT",
    WhizbangDataType.SMALL_INT: "SMALLINT",
}
_GUID = re.compile(r"\{?[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}?")
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?(?: ?(?:Z|[+-]\d{2}:\d{2}))?"
)
_TEXT_TYPES: Final = (
    WhizbangDataType.STRING,
    WhizbangDataType.JSON,
    WhizbangDataType.UUID,
    WhizbangDataType.TIMESTAMP_TZ,
)

# Enum members read once (``TokenKind.WORD`` is a lookup through the enum's metaclass, several
# times slower than a global's): asked per token of every predicate rendered.
_COMMA: Final = TokenKind.COMMA
_KEYWORD: Final = TokenKind.KEYWORD
_LPAREN: Final = TokenKind.LPAREN
_NUMBER: Final = TokenKind.NUMBER
_OPERATOR: Final = TokenKind.OPERATOR
_QUOTED: Final = TokenKind.QUOTED
_RPAREN: Final = TokenKind.RPAREN
_STRING: Final = TokenKind.STRING
_WORD: Final = TokenKind.WORD
_BOOLEAN: Final = WhizbangDataType.BOOLEAN


def _constant_length(tokens: tuple[Token, ...], at: int, boolean: bool) -> int:
    """How many tokens the constant at ``at`` spans (0 if there is none)."""
    if at >= len(tokens):
        return 0
    token = tokens[at]
    if token.kind in (_NUMBER, _STRING):
        return 1
    if token.kind is _KEYWORD and token.value in ("TRUE", "FALSE"):
        return 1 if boolean else 0
    if (
        token.kind is _OPERATOR
        and token.value in ("-", "+")
        and at + 1 < len(tokens)
        and tokens[at + 1].kind is _NUMBER
    ):
        return 2
    return 0


def conjuncts(predicate: Predicate) -> list[tuple[Token, ...]]:
    """Split a predicate's tokens on AND."""
    return [part.tokens for part in _parts(predicate)]


class _Part:
    """One conjunct of a predicate, as far as it does not depend on the table: its tokens,
    its text (for messages), the words after its first token, and its shape problem when it
    has one whatever the table (it does not start with a name: ``(b & 2) = 0``)."""

    __slots__ = ("shape_problem", "text", "tokens", "words")

    def __init__(self, predicate: Predicate, tokens: tuple[Token, ...]) -> None:
        self.tokens = tokens
        self.text = (
            predicate.text[tokens[0].start : tokens[-1].start + len(tokens[-1].text)]
            if tokens
            else "(empty)"
        )
        self.words = [t.value if t.kind is _KEYWORD else t.text for t in tokens[1:]]
        # What _constant_groups refuses before it looks at the table.
        self.shape_problem = (
            _shape_problem(self.text)
            if len(tokens) < 2 or tokens[0].kind not in (_QUOTED, _WORD)
            else None
        )


_NULL_TESTS: Final = (["IS", "NULL"], ["IS", "NOT", "NULL"])

#: The conjuncts of the predicates seen, whether each predicate is plain (see :func:`plain`)
#: and whether it only tests columns for NULL (see :func:`null_tests_only`), by identity (a
#: predicate is parsed once per text and immutable, so copies of a table share it); the
#: predicate is kept so that its id stays its own.
_split: dict[int, tuple[Predicate, tuple[_Part, ...], bool, bool]] = {}


def _found(predicate: Predicate) -> tuple[Predicate, tuple[_Part, ...], bool, bool]:
    found = _split.get(id(predicate))
    if found is None or found[0] is not predicate:
        found = _split_predicate(predicate)
    return found


def _parts(predicate: Predicate) -> tuple[_Part, ...]:
    return _found(predicate)[1]


def plain(predicate: Predicate) -> bool:
    """Whether SQL Server writes ``predicate`` as it is, but for its column names: no number
    (which :func:`typed_constants` may type), no string (written ``N'...'``) and no TRUE or
    FALSE (written 1 and 0)."""
    return _found(predicate)[2]


def null_tests_only(predicate: Predicate) -> bool:
    """Whether every conjunct of ``predicate`` is ``column IS [NOT] NULL``: then SQL Server
    filters by it on any table it was checked against (its column names are the table's),
    as written but for the column names, and :func:`analyse` needs the table only for the
    columns it covers."""
    return _found(predicate)[3]


def _split_predicate(predicate: Predicate) -> tuple[Predicate, tuple[_Part, ...], bool, bool]:
    groups: list[list[Token]] = [[]]
    is_plain = True
    for token in predicate.tokens:
        kind = token.kind
        if kind is _KEYWORD and token.value == "AND":
            groups.append([])
            continue
        if (
            kind is _NUMBER
            or kind is _STRING
            or (kind is _KEYWORD and token.value in ("TRUE", "FALSE"))
        ):
            is_plain = False
        groups[-1].append(token)
    parts = tuple(_Part(predicate, tuple(group)) for group in groups)
    refs = {id(token) for token in predicate.column_refs}
    null_tests = all(
        part.tokens and id(part.tokens[0]) in refs and part.words in _NULL_TESTS for part in parts
    )
    found = (predicate, parts, is_plain, null_tests)
    if len(_split) >= 4096:
        _split.clear()
    _split[id(predicate)] = found
    return found


def _constant_groups(
    part: _Part, table: TableDefinition
) -> tuple[ColumnDefinition, list[tuple[Token, ...]]] | None:
    """The column and the constants of a conjunct of the accepted shape, or ``None``."""
    tokens = part.tokens
    if len(tokens) < 2:
        return None
    first_token = tokens[0]
    kind = first_token.kind
    if kind is _QUOTED:
        column = table.resolve_column(first_token.value, quoted=True)
    elif kind is _WORD:
        column = table.resolve_column(first_token.value)
    else:
        return None
    if column is None:
        return None
    if part.words in _NULL_TESTS:
        return column, []
    boolean = column.data_type is _BOOLEAN
    first = tokens[1]
    if first.kind is _OPERATOR and first.value in COMPARISONS:
        if _constant_length(tokens, 2, boolean) != len(tokens) - 2:
            return None
        return column, [tokens[2:]]
    if first.kind is _KEYWORD and first.value == "IN":
        if len(tokens) < 4 or tokens[2].kind is not _LPAREN:
            return None
        groups = []
        at = 3
        while True:
            size = _constant_length(tokens, at, boolean)
            if not size:
                return None
            groups.append(tokens[at : at + size])
            at += size
            if at >= len(tokens):
                return None
            if tokens[at].kind is _COMMA:
                at += 1
                continue
            if tokens[at].kind is _RPAREN and at == len(tokens) - 1:
                return column, groups
            return None
    return None


def _integer(constant: tuple[Token, ...]) -> int | None:
    """The value of an integer constant (sign and digits), or ``None``."""
    digits = constant[-1]
    if digits.kind is not _NUMBER or not digits.text.isdigit():
        return None
    return -int(digits.text) if constant[0].text == "-" else int(digits.text)


def constant_problem(column: ColumnDefinition, constant: tuple[Token, ...]) -> str | None:
    """Why comparing ``column`` with ``constant`` would convert the column (or cannot work),
    or ``None`` when SQL Server can filter by it (perhaps with :func:`typed_constants`)."""
    kind = column.data_type
    last = constant[-1]
    shown = "".join(t.text for t in constant)
    if last.kind is _STRING:
        if kind not in _TEXT_TYPES:
            return f"the string {shown} is not a {kind.name} constant"
        text = last.value[1:-1].replace("''", "'") if last.value.startswith("'") else last.value
        if kind is WhizbangDataType.UUID and not _GUID.fullmatch(text):
            return f"{shown} is not a UNIQUEIDENTIFIER"
        if kind is WhizbangDataType.TIMESTAMP_TZ and not _timestamp(text):
            return f"{shown} is not a DATETIMEOFFSET"
        return None
    if last.kind is _KEYWORD:  # TRUE/FALSE, only accepted on BIT columns
        return None
    value = _integer(constant)
    if kind is _BOOLEAN:
        return None if value in (0, 1) else f"{shown} is not a BIT constant (0 or 1)"
    if kind not in INTEGER_RANGES:
        return (
            f"the number {shown} against a {kind.name} column converts the column, "
            f"which a filtered index does not allow"
        )
    if value is None:
        return (
            f"the decimal {shown} against an integer column converts the column to DECIMAL, "
            f"which a filtered index does not allow"
        )
    low, high = INTEGER_RANGES[kind]
    if not low <= value <= high:
        return f"{shown} is outside the range of {_SQL_TYPES[kind]}"
    return None


def _timestamp(text: str) -> bool:
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    try:
        dt.date.fromisoformat(match.group(1))
    except ValueError:
        return False
    return True


def typed_constants(predicate: Predicate, table: TableDefinition) -> dict[int, str]:
    """Respellings (by token identity) that type the integer constants beyond INT's range
    as their column's type: ``CONVERT(BIGINT, -3000000000)``, the conversion on the right of
    the comparison that a filtered index allows."""
    out: dict[int, str] = {}
    for part in _parts(predicate):
        found = _constant_groups(part, table)
        if found is not None:
            _type_constants(found[0], found[1], out)
    return out


def _type_constants(
    column: ColumnDefinition, groups: list[tuple[Token, ...]], out: dict[int, str]
) -> None:
    sql_type = _SQL_TYPES.get(column.data_type)
    if sql_type is None:
        return
    for constant in groups:
        value = _integer(constant)
        if value is None or abs(value) <= INT_CONSTANT_MAX:
            continue
        for token in constant[:-1]:
            out[id(token)] = ""
        out[id(constant[-1])] = f"CONVERT({sql_type}, {value})"


def _shape_problem(text: str) -> str:
    return (
        f"a filtered index allows only AND-ed 'column <op> constant', "
        f"'column IS [NOT] NULL' and 'column IN (constants)', not {text!r}"
    )


def analyse(
    predicate: Predicate, table: TableDefinition
) -> tuple[str | None, dict[int, str], set[str]]:
    """:func:`filter_problem`, :func:`typed_constants` and :func:`not_null_columns` in one
    pass over the conjuncts: ``(problem, {}, set())`` when SQL Server cannot filter by it."""
    typed: dict[int, str] = {}
    not_null: set[str] = set()
    for part in _parts(predicate):
        if part.shape_problem is not None:  # _constant_groups' None, known without the table
            return part.shape_problem, {}, set()
        found = _constant_groups(part, table)
        if found is None:
            return _shape_problem(part.text), {}, set()
        column, groups = found
        if groups:
            for constant in groups:
                problem = constant_problem(column, constant)
                if problem is not None:
                    return f"{problem} (in {part.text!r})", {}, set()
            _type_constants(column, groups, typed)
        elif len(part.words) == 3:  # IS NOT NULL
            not_null.add(column.name)
    return None, typed, not_null


def filter_problem(predicate: Predicate, table: TableDefinition) -> str | None:
    """Why SQL Server cannot filter an index by ``predicate``, or ``None`` if it can."""
    for part in _parts(predicate):
        found = _constant_groups(part, table)
        if found is None:
            return _shape_problem(part.text)
        column, groups = found
        for constant in groups:
            problem = constant_problem(column, constant)
            if problem is not None:
                return f"{problem} (in {part.text!r})"
    return None


def not_null_columns(predicate: Predicate | None, table: TableDefinition) -> set[str]:
    """Columns the predicate already restricts with ``column IS NOT NULL``."""
    found: set[str] = set()
    if predicate is None:
        return found
    for part in _parts(predicate):
        if part.words == _NULL_TESTS[1]:
            shaped = _constant_groups(part, table)
            if shaped is not None:
                found.add(shaped[0].name)
    return found


# CONVERT(BIGINT, n) as written, or as the server prints it back: CONVERT([bigint],(n),(0)).
_CONVERT = re.compile(
    r"CONVERT\s*\(\s*\[?(?:bigint|int|smallint)\]?\s*,\s*(\(?\s*-?\d+\s*\)?)\s*"
    r"(?:,\s*\(?\s*\d+\s*\)?\s*)?\)",
    re.IGNORECASE,
)


def comparable_predicate(sql: str) -> str:
    """The canonical form of a filter (see :func:`~whizbang_schema.canonical_predicate`),
    with the integer constants that :func:`typed_constants` wrapped unwrapped again."""
    return canonical_predicate(_CONVERT.sub(lambda match: match.group(1), sql))
