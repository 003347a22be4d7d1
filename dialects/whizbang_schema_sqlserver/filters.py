"""Filtered indexes: SQL Server accepts only a narrow predicate grammar.

From the CREATE INDEX documentation::

    <filter_predicate> ::= <conjunct> [ AND <conjunct> ]...
    <conjunct>         ::= column IN (constant, ...) | column <comparison_op> constant
    <comparison_op>    ::= IS | IS NOT | = | <> | != | > | >= | !> | < | <= | !<

No OR, NOT, parentheses, functions, arithmetic or bitwise operators, no column-to-column
comparison, and NULL only after IS / IS NOT.
"""

from __future__ import annotations

from whizbang_schema import Predicate, TableDefinition, Token, TokenKind, WhizbangDataType

COMPARISONS = frozenset({"=", "<>", "!=", ">", ">=", "!>", "<", "<=", "!<"})


def _is_column(token: Token, table: TableDefinition) -> bool:
    if token.kind is TokenKind.QUOTED:
        return table.resolve_column(token.value, quoted=True) is not None
    return token.kind is TokenKind.WORD and table.resolve_column(token.value) is not None


def _constant_length(tokens: tuple[Token, ...], at: int, boolean: bool) -> int:
    """How many tokens the constant at ``at`` spans (0 if there is none)."""
    if at >= len(tokens):
        return 0
    token = tokens[at]
    if token.kind in (TokenKind.NUMBER, TokenKind.STRING):
        return 1
    if token.kind is TokenKind.KEYWORD and token.value in ("TRUE", "FALSE"):
        return 1 if boolean else 0
    if (
        token.kind is TokenKind.OPERATOR
        and token.value in ("-", "+")
        and at + 1 < len(tokens)
        and tokens[at + 1].kind is TokenKind.NUMBER
    ):
        return 2
    return 0


def conjuncts(predicate: Predicate) -> list[tuple[Token, ...]]:
    """Split a predicate's tokens on AND."""
    parts: list[list[Token]] = [[]]
    for token in predicate.tokens:
        if token.kind is TokenKind.KEYWORD and token.value == "AND":
            parts.append([])
        else:
            parts[-1].append(token)
    return [tuple(p) for p in parts]


def _conjunct_ok(tokens: tuple[Token, ...], table: TableDefinition) -> bool:
    if len(tokens) < 2 or not _is_column(tokens[0], table):
        return False
    column = table.resolve_column(tokens[0].value, quoted=tokens[0].kind is TokenKind.QUOTED)
    assert column is not None
    boolean = column.data_type is WhizbangDataType.BOOLEAN
    rest = [t.value if t.kind is TokenKind.KEYWORD else t.text for t in tokens[1:]]
    if rest in (["IS", "NULL"], ["IS", "NOT", "NULL"]):
        return True
    first = tokens[1]
    if first.kind is TokenKind.OPERATOR and first.value in COMPARISONS:
        return _constant_length(tokens, 2, boolean) == len(tokens) - 2
    if first.kind is TokenKind.KEYWORD and first.value == "IN":
        if len(tokens) < 4 or tokens[2].kind is not TokenKind.LPAREN:
            return False
        at = 3
        while True:
            size = _constant_length(tokens, at, boolean)
            if not size:
                return False
            at += size
            if at >= len(tokens):
                return False
            if tokens[at].kind is TokenKind.COMMA:
                at += 1
                continue
            return tokens[at].kind is TokenKind.RPAREN and at == len(tokens) - 1
    return False


def filter_problem(predicate: Predicate, table: TableDefinition) -> str | None:
    """Why SQL Server cannot filter an index by ``predicate``, or ``None`` if it can."""
    for part in conjuncts(predicate):
        if not _conjunct_ok(part, table):
            text = (
                predicate.text[part[0].start : part[-1].start + len(part[-1].text)]
                if part
                else "(empty)"
            )
            return (
                f"a filtered index allows only AND-ed 'column <op> constant', "
                f"'column IS [NOT] NULL' and 'column IN (constants)', not {text!r}"
            )
    return None


def not_null_columns(predicate: Predicate | None, table: TableDefinition) -> set[str]:
    """Columns the predicate already restricts with ``column IS NOT NULL``."""
    found: set[str] = set()
    if predicate is None:
        return found
    for part in conjuncts(predicate):
        words = [t.value if t.kind is TokenKind.KEYWORD else t.text for t in part[1:]]
        if part and words == ["IS", "NOT", "NULL"] and _is_column(part[0], table):
            column = table.resolve_column(part[0].value, quoted=part[0].kind is TokenKind.QUOTED)
            assert column is not None
            found.add(column.name)
    return found
