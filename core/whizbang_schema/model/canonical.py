"""Canonical predicates: one spelling per meaning, to compare a definition with a catalog.

Engines print a partial index's predicate back in their own way: PostgreSQL adds parentheses
and casts and turns ``IN (1, 2)`` into ``= ANY (ARRAY[1, 2])``; SQL Server brackets names and
wraps constants; SQLite keeps the text as written. :func:`canonical_predicate` reads any of
these forms and prints one canonical text, so that two predicates meaning the same compare
equal. It is for comparison only; what runs is always the definition's own text.
"""

from __future__ import annotations

import decimal
import functools
import re

from .predicate import Node, Predicate, Token, TokenKind

__all__ = ["canonical_predicate"]

# "= ANY (ARRAY[1, 2])", or with a cast: "= ANY ((ARRAY['a'::text, 'b'::text])::text[])"
_ARRAY = (
    r"\s*\(\s*(?P<open>\()?\s*ARRAY\s*\[(?P<items>[^\]]*)\]\s*(?(open)\))"
    r"\s*(?:::[A-Za-z_ ]+(?:\[\])?)?\s*\)"
)
_NUMERIC_CAST = re.compile(r"\s*::\s*(smallint|integer|bigint|numeric)\b", re.IGNORECASE)
_NUMBER = re.compile(r"'(-?\d+(?:\.\d+)?)'")
_ARRAY_ANY = re.compile(r"=\s*ANY" + _ARRAY, re.IGNORECASE)
_ARRAY_ALL = re.compile(r"<>\s*ALL" + _ARRAY, re.IGNORECASE)
_TYPE_WORDS = frozenset({"varying", "precision", "with", "without", "time", "zone"})
_FLIPPED = {"!=": "<>"}


_CLOSING = {"'": "'", '"': '"', "[": "]", "`": "`"}


def _pieces(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``("code" | "string" | "name", piece)`` runs.

    String literals are kept as written. Quoted names (``"n"``, SQL Server's ``[n]``, MySQL's
    `` `n` ``) become ``"n"``, so that nothing inside them is taken for code: a column called
    ``a[b]`` or ``x::y`` is a name, not a bracket or a cast.
    """
    pieces: list[tuple[str, str]] = []
    i, start, n = 0, 0, len(text)
    while i < n:
        opening = text[i]
        closing = _CLOSING.get(opening)
        if closing is None or (opening == "[" and text.startswith("[]", i)):
            i += 1  # "[]" is the array suffix of a PostgreSQL cast, not a name
            continue
        pieces.append(("code", text[start:i]))
        j = i + 1
        while j < n:
            if text[j] == closing and text[j + 1 : j + 2] == closing:
                j += 2  # a doubled closing character stands for itself
            elif text[j] == closing:
                break
            else:
                j += 1
        raw = text[i : j + 1]
        if opening == "'":
            pieces.append(("string", raw))
        else:
            inner = raw[1:-1].replace(closing * 2, closing)
            pieces.append(("name", '"' + inner.replace('"', '""') + '"'))
        i = start = j + 1
    pieces.append(("code", text[start:]))
    return pieces


def _strip_casts(code: str) -> str:
    """Remove PostgreSQL ``::type`` casts, e.g. ``::character varying(20)[]``."""
    out: list[str] = []
    i = 0
    while i < len(code):
        if code.startswith("::", i):
            i += 2
            words = 0
            while True:
                match = re.match(r'\s*("[^"]+"|[A-Za-z_][A-Za-z0-9_]*)', code[i:])
                if match is None or (words and match.group(1).lower() not in _TYPE_WORDS):
                    break
                i += match.end()
                words += 1
            match = re.match(r"\s*\(\s*\d+\s*(,\s*\d+\s*)?\)", code[i:])
            if match:
                i += match.end()
            if code.startswith("[]", i):
                i += 2
        else:
            out.append(code[i])
            i += 1
    return "".join(out)


def _portable(text: str) -> str:
    """Rewrite the engines' own spellings into the portable grammar."""
    # PostgreSQL's arrays first, before brackets mean names (an array of strings holding
    # a ']' is not a predicate anyone writes in an index).
    text = _ARRAY_ANY.sub(lambda m: f"IN ({m.group('items')})", text)
    text = _ARRAY_ALL.sub(lambda m: f"NOT IN ({m.group('items')})", text)
    parts = []
    pieces = _pieces(text)
    cast_to_name = False
    for position, (kind, piece) in enumerate(pieces):
        following = pieces[position + 1] if position + 1 < len(pieces) else ("code", "")
        if kind == "string":
            number = _NUMBER.fullmatch(piece)
            if number and following[0] == "code" and _NUMERIC_CAST.match(following[1]):
                piece = number.group(1)  # PostgreSQL prints -5 as '-5'::integer
            parts.append(piece)
            continue
        if kind == "name":
            if not cast_to_name:  # a quoted type name in a cast, e.g. 'x'::"char", goes
                parts.append(piece)
            cast_to_name = False
            continue
        cast_to_name = following[0] == "name" and piece.rstrip().endswith("::")
        piece = _strip_casts(piece)
        if following[0] == "string":
            piece = re.sub(r"\bN$", "", piece)  # N'...' national string literals
        piece = piece.replace("!~~", " NOT LIKE ").replace("~~", " LIKE ")
        piece = piece.replace("!<", ">=").replace("!>", "<=")  # SQL Server's own spellings
        parts.append(piece)
    return "".join(parts)


def _number(text: str) -> str:
    """A number by its exact value, in plain notation: ``2.5e3``, ``2500`` and ``2500.0`` are
    one number (PostgreSQL prints the first as ``'2500'::numeric``), ``-0.0`` is ``0``, and
    30 digits stay 30 digits (a float would round them together)."""
    value = decimal.Decimal(text)
    if value.is_zero():
        return "0"
    exact = decimal.Context(prec=max(28, len(value.as_tuple().digits)))
    return f"{value.normalize(exact):f}"


def _literal(token: Token) -> str:
    if token.kind is TokenKind.NUMBER:
        return _number(token.text)
    if token.kind is TokenKind.KEYWORD:
        return token.value.lower() if token.value in ("TRUE", "FALSE") else token.value
    return token.text


def _column(token: Token) -> str:
    name = token.value if token.kind is TokenKind.QUOTED else token.value.lower()
    return '"' + name.replace('"', '""') + '"'


def _expanded(node: Node) -> Node:
    """IN and BETWEEN as the comparisons they stand for, as SQL Server prints them back."""
    kind = node[0]
    if kind == "in":  # a OR of equalities (NOT IN: an AND of <>)
        negated, left, items = node[1], node[2], node[3]
        tests = tuple(("cmp", "<>" if negated else "=", left, item) for item in items)
        return tests[0] if len(tests) == 1 else ("and" if negated else "or", tests)
    if kind == "between":
        negated, value, low, high = node[1:]
        if negated:
            return ("or", (("cmp", "<", value, low), ("cmp", ">", value, high)))
        return ("and", (("cmp", ">=", value, low), ("cmp", "<=", value, high)))
    return node


_NEGATED_COMPARISONS = {"=": "<>", "<>": "=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


def _negated(node: Node) -> Node | None:
    """``NOT node`` without the NOT, as engines print it back (``a IS NOT NULL``, ``a <> 1``,
    De Morgan's laws through AND and OR), or ``None`` where NOT must stay. Each rewrite means
    the same in SQL's three-valued logic (NOT of unknown is unknown)."""
    node = _expanded(node)
    kind = node[0]
    if kind == "not":
        inner: Node = node[1]
        return inner
    if kind == "cmp" and node[1] in _NEGATED_COMPARISONS:
        return ("cmp", _NEGATED_COMPARISONS[node[1]], node[2], node[3])
    if kind in ("is", "distinct", "like"):
        return (kind, not node[1], *node[2:])
    if kind in ("and", "or"):
        return ("or" if kind == "and" else "and", tuple(("not", item) for item in node[1]))
    return None


def _simplified(node: Node) -> Node:
    """``node`` with IN and BETWEEN expanded and NOT pushed down as far as it goes."""
    node = _expanded(node)
    while node[0] == "not":
        negated = _negated(node[1])
        if negated is None:
            break
        node = _expanded(negated)
    return node


def _print(node: Node) -> str:
    node = _simplified(node)
    kind = node[0]
    if kind in ("or", "and"):
        items: list[str] = []
        for item in node[1]:  # flatten a AND (b AND c), and an IN inside an OR
            item = _simplified(item)
            text = _print(item)
            if item[0] == kind:
                text = text[1:-1]
            items.append(text)
        return "(" + f" {kind.upper()} ".join(items) + ")"
    if kind == "not":
        return f"(NOT {_print(node[1])})"
    if kind == "cmp":
        op = _FLIPPED.get(node[1], node[1])
        return f"({_print(node[2])} {op} {_print(node[3])})"
    if kind == "is":
        return f"({_print(node[2])} IS {'NOT ' if node[1] else ''}{node[3]})"
    if kind == "distinct":
        return f"({_print(node[2])} IS {'NOT ' if node[1] else ''}DISTINCT FROM {_print(node[3])})"
    if kind == "like":
        escape = f" ESCAPE {_print(node[4])}" if node[4] is not None else ""
        return f"({_print(node[2])} {'NOT ' if node[1] else ''}LIKE {_print(node[3])}{escape})"
    if kind == "binary":
        return f"({_print(node[2])} {node[1]} {_print(node[3])})"
    if kind == "unary":
        inner = node[2]
        if node[1] == "-" and inner[0] == "literal" and inner[1].kind is TokenKind.NUMBER:
            number = _literal(inner[1])
            return number if number == "0" else "-" + number
        return f"({node[1]}{_print(inner)})"
    if kind == "literal":
        return _literal(node[1])
    if kind == "column":
        return _column(node[1])
    if kind == "call":
        return f"{node[1].value.lower()}({', '.join(_print(a) for a in node[2])})"
    raise AssertionError(node)


@functools.lru_cache(maxsize=4096)
def canonical_predicate(text: str) -> str:
    """One canonical spelling of a predicate written by us or printed back by an engine.

    Raises :class:`~whizbang_schema.DefinitionError` if it is not a predicate of the portable
    grammar even after the engines' own spellings are undone.
    """
    return _print(Predicate.parse(_portable(text)).tree)
