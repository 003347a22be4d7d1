"""Canonical predicates: one spelling per meaning, to compare a definition with a catalog.

Engines print a partial index's predicate back in their own way: PostgreSQL adds parentheses
and casts and turns ``IN (1, 2)`` into ``= ANY (ARRAY[1, 2])``; SQL Server brackets names and
wraps constants; SQLite keeps the text as written. :func:`canonical_predicate` reads any of
these forms and prints one canonical text, so that two predicates meaning the same compare
equal. It is for comparison only; what runs is always the definition's own text.
"""

from __future__ import annotations

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
_FLIPPED = {"!=": "<>", "!<": ">=", "!>": "<="}


_CLOSING = {"'": "'", '"': '"', "`": "`", "[": "]"}


def _pieces(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(kind, piece)`` runs: ``"string"`` literals, ``"name"`` quoted
    identifiers (``"a"``, ``[a]`` and `` `a` `` all given as ``"a"``) and ``"code"``.

    One pass, so a quote character inside another kind of quoting (``"a`b"``, ``[a"b]``) is
    just a character of that name.
    """
    pieces: list[tuple[str, str]] = []
    i, start = 0, 0
    while i < len(text):
        opening = text[i]
        closing = _CLOSING.get(opening)
        if closing is None or (opening == "[" and text.startswith("[]", i)):
            i += 1  # "[]" is the array suffix of a PostgreSQL cast, not a name
            continue
        pieces.append(("code", text[start:i]))
        j = i + 1
        while j < len(text):
            if text[j] == closing and text[j + 1 : j + 2] == closing:
                j += 2
            elif text[j] == closing:
                break
            else:
                j += 1
        raw = text[i : j + 1]
        if opening == "'":
            pieces.append(("string", raw))
        else:
            name = raw[1:-1].replace(closing * 2, closing)
            pieces.append(("name", '"' + name.replace('"', '""') + '"'))
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
    for position, (kind, piece) in enumerate(pieces):
        if kind == "name":
            if not pieces[position - 1][1].rstrip().endswith("::"):
                parts.append(piece)  # (else a quoted type name, as in ::"char": dropped)
            continue
        if kind == "string":
            following = pieces[position + 1][1] if position + 1 < len(pieces) else ""
            number = _NUMBER.fullmatch(piece)
            if number and _NUMERIC_CAST.match(following):
                piece = number.group(1)  # PostgreSQL prints -5 as '-5'::integer
            parts.append(piece)
            continue
        piece = _strip_casts(piece)
        piece = re.sub(r"\bN$", "", piece)  # N'...' national string literals
        piece = piece.replace("!~~", " NOT LIKE ").replace("~~", " LIKE ")
        parts.append(piece)
    return "".join(parts)


def _literal(token: Token) -> str:
    if token.kind is TokenKind.NUMBER:
        number = float(token.text)
        return (
            str(int(number))
            if number.is_integer() and "e" not in token.text.lower()
            else repr(number)
        )
    if token.kind is TokenKind.KEYWORD:
        return token.value.lower() if token.value in ("TRUE", "FALSE") else token.value
    return token.text


def _column(token: Token) -> str:
    name = token.value if token.kind is TokenKind.QUOTED else token.value.lower()
    return '"' + name.replace('"', '""') + '"'


def _desugar(node: Node) -> Node:
    """``IN`` as a OR of equalities (``NOT IN``: a AND of ``<>``), as SQL Server prints it,
    and ``BETWEEN`` as a AND of two comparisons (``NOT BETWEEN``: a OR), as PostgreSQL does;
    so that an enclosing AND or OR flattens them as the engines do."""
    kind = node[0]
    if kind == "in":
        negated, left, items = node[1], node[2], node[3]
        tests = tuple(("cmp", "<>" if negated else "=", left, item) for item in items)
        return tests[0] if len(tests) == 1 else ("and" if negated else "or", tests)
    if kind == "between":
        negated, value, low, high = node[1:]
        if negated:
            return ("or", (("cmp", "<", value, low), ("cmp", ">", value, high)))
        return ("and", (("cmp", ">=", value, low), ("cmp", "<=", value, high)))
    return node


def _print(node: Node) -> str:
    node = _desugar(node)
    kind = node[0]
    if kind in ("or", "and"):
        items: list[str] = []
        for item in node[1]:  # flatten a AND (b AND c)
            item = _desugar(item)
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
            return "-" + _literal(inner[1])
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
