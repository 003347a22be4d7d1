"""Partial-index predicates: parsed once, checked, and re-rendered per dialect.

A ``where`` predicate is SQL written by the developer who defines the table, never by an end
user: it is trusted to mean what it says, and it is not a place for untrusted input. Even so it
is parsed here, for three reasons:

* to refuse what can only be a mistake or an injection: a statement separator, a comment,
  unbalanced parentheses or quotes, or an expression that does not parse; and what engines
  read differently: digits and white space outside ASCII, prefixed strings (``N'...'``,
  ``E'...'``, ``U&'...'``), operators only one engine knows (``^``, ``!<``, ``!>``);
* to find the columns it names, so a table can check they exist;
* so each dialect can re-quote those column names (``"order"`` on PostgreSQL, ``[order]`` on
  SQL Server) and inspect the shape (SQL Server only filters on simple comparisons).

The grammar is the portable core of SQL boolean expressions: comparisons, ``IS [NOT] NULL``,
``[NOT] IN (...)``, ``[NOT] LIKE``, ``[NOT] BETWEEN``, ``AND``/``OR``/``NOT``, arithmetic and
bitwise operators, literals, function calls and parentheses.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from .errors import DefinitionError

__all__ = ["Node", "Predicate", "Token", "TokenKind"]


class TokenKind(enum.Enum):
    """The lexical classes of a predicate."""

    WORD = "word"  # a bare name: a column, or a function when followed by "("
    QUOTED = "quoted"  # a double-quoted name: always a column
    KEYWORD = "keyword"
    NUMBER = "number"
    STRING = "string"
    OPERATOR = "operator"
    LPAREN = "("
    RPAREN = ")"
    COMMA = ","


KEYWORDS = frozenset(
    """AND OR NOT IS NULL IN TRUE FALSE LIKE BETWEEN ESCAPE DISTINCT FROM
    CASE WHEN THEN ELSE END SELECT EXISTS""".split()
)
_COMPARISONS = frozenset({"=", "<>", "!=", "<", "<=", ">", ">=", "!<", "!>"})
# Only SQL Server reads these; the others answer with a syntax error. Equivalents to suggest.
_SQL_SERVER_ONLY = {"!<": ">=", "!>": "<="}
_BINARY = frozenset({"+", "-", "*", "/", "%", "&", "|", "<<", ">>", "||"})
_UNARY = frozenset({"-", "+", "~"})
_OPERATORS = _COMPARISONS | _BINARY | _UNARY
_OPERATOR_CHARS = frozenset("=<>!&|^~+-*/%")
# What every engine reads as white space. str.isspace() also says yes to U+00A0, U+2028,
# U+001C..U+001F and more, which no engine skips between tokens.
_WHITE_SPACE = frozenset(" \t\n\r\f\v")
_DIGITS = frozenset("0123456789")  # str.isdigit() also says yes to '٣' and '²'
#: How deeply a predicate may nest: parentheses, NOT and unary operators (``MAX_NESTING``),
#: and the expression tree as engines build it, each operator and each AND/OR term one level
#: (``MAX_DEPTH``). Far beyond any real index predicate, and well inside both every engine's
#: own limit (SQLite refuses expressions deeper than 1,000) and Python's recursion limit.
MAX_NESTING = 50
MAX_DEPTH = 100


@attrs.frozen(slots=True)
class Token:
    """One lexical token. ``value`` is the upper-cased keyword, the unquoted name of a quoted
    identifier, or the source text otherwise; ``spaced`` says whether white space preceded it."""

    kind: TokenKind
    text: str
    value: str
    start: int
    spaced: bool


def _error(reason: str) -> DefinitionError:
    return DefinitionError(reason, field="where")


def _tokenize(text: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    depth = 0
    i, n = 0, len(text)
    spaced = False
    while i < n:
        ch = text[i]
        if ch in _WHITE_SPACE:
            spaced = True
            i += 1
            continue
        start = i
        if ch.isspace():
            raise _error(
                f"U+{ord(ch):04X} at offset {i} is not white space to SQL engines; use a plain "
                f"space"
            )
        if ch == ";":
            raise _error(f"a statement separator ';' at offset {i} is not allowed in a predicate")
        if text.startswith("--", i) or text.startswith("/*", i):
            raise _error(f"a comment at offset {i} is not allowed in a predicate")
        if ch in "'\"":
            i += 1
            while True:
                end = text.find(ch, i)
                if end < 0:
                    kind = "string literal" if ch == "'" else "quoted name"
                    raise _error(
                        f"unbalanced quote: the {kind} opened at offset {start} never ends"
                    )
                if text.startswith(ch * 2, end):
                    i = end + 2
                    continue
                i = end + 1
                break
            raw = text[start:i]
            inner = raw[1:-1].replace(ch * 2, ch)
            if ch == "'":
                tokens.append(Token(TokenKind.STRING, raw, raw, start, spaced))
            else:
                if not inner:
                    raise _error(f"empty quoted name at offset {start}")
                tokens.append(Token(TokenKind.QUOTED, raw, inner, start, spaced))
        elif ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            i = _scan_number(text, i)
            if i < n and (text[i].isalpha() or text[i] == "_"):
                raise _error(f"malformed number {text[start : i + 1]!r} at offset {start}")
            tokens.append(Token(TokenKind.NUMBER, text[start:i], text[start:i], start, spaced))
        elif ch.isalpha() or ch == "_":
            i += 1
            while i < n and (text[i].isalnum() or text[i] in "_$"):
                i += 1
            word = text[start:i]
            if word.upper() == "U" and text[i : i + 2] in ("&'", '&"'):
                raise _error(
                    f"U&{text[i + 1]}...{text[i + 1]} at offset {start} is PostgreSQL's Unicode "
                    f"escape syntax, not portable; write the characters themselves"
                )
            if word.upper() in KEYWORDS:
                tokens.append(Token(TokenKind.KEYWORD, word, word.upper(), start, spaced))
            else:
                tokens.append(Token(TokenKind.WORD, word, word, start, spaced))
        elif ch == "^":
            raise _error(
                f"'^' at offset {i} is not portable: it is exponentiation in PostgreSQL and "
                f"exclusive-or in SQL Server and MySQL (SQLite has neither)"
            )
        elif ch in _OPERATOR_CHARS:
            op = text[i : i + 2] if text[i : i + 2] in _OPERATORS else ch
            if op not in _OPERATORS:
                raise _error(f"unknown operator {ch!r} at offset {i}")
            if op in _SQL_SERVER_ONLY:
                raise _error(
                    f"{op!r} at offset {i} is not portable: only SQL Server knows it; write "
                    f"{_SQL_SERVER_ONLY[op]!r}, which means the same"
                )
            i += len(op)
            tokens.append(Token(TokenKind.OPERATOR, op, op, start, spaced))
        elif ch == "(":
            depth += 1
            i += 1
            tokens.append(Token(TokenKind.LPAREN, ch, ch, start, spaced))
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise _error(f"unbalanced parentheses: ')' at offset {i} closes nothing")
            i += 1
            tokens.append(Token(TokenKind.RPAREN, ch, ch, start, spaced))
        elif ch == ",":
            i += 1
            tokens.append(Token(TokenKind.COMMA, ch, ch, start, spaced))
        else:
            raise _error(f"unexpected character {ch!r} at offset {i}")
        spaced = False
    if depth:
        raise _error(f"unbalanced parentheses: {depth} '(' never closed")
    return tuple(tokens)


def _scan_number(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in _DIGITS:
        i += 1
    if i < n and text[i] == ".":
        i += 1
        while i < n and text[i] in _DIGITS:
            i += 1
    if i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        if j < n and text[j] in _DIGITS:
            i = j
            while i < n and text[i] in _DIGITS:
                i += 1
    return i


#: A parsed predicate as nested tuples, the first item naming the node:
#: ("or"|"and", (items...)), ("not", item), ("cmp", op, left, right),
#: ("is", negated, left, "NULL"|"TRUE"|"FALSE"), ("distinct", negated, left, right),
#: ("in", negated, left, (items...)), ("like", negated, left, pattern, escape|None),
#: ("between", negated, value, low, high), ("binary", op, left, right), ("unary", op, item),
#: ("literal", token), ("column", token), ("call", name token, (arguments...)).
Node = tuple[Any, ...]

# Binary operators by precedence, loosest first, as PostgreSQL groups them; all left-associative.
_PRECEDENCE = (
    frozenset({"&", "|", "<<", ">>", "||"}),
    frozenset({"+", "-"}),
    frozenset({"*", "/", "%"}),
)


class _Parser:
    """Recursive descent over the token list, building a :data:`Node` tree."""

    def __init__(self, tokens: tuple[Token, ...]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.columns: list[Token] = []
        self.nesting = 0

    def nest(self) -> None:
        """Count one more level of parentheses, NOT or unary operator; refuse too many."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            tok = self.peek()
            where = f" at offset {tok.start}" if tok is not None else ""
            raise _error(
                f"the predicate nests parentheses, NOT and unary operators more than "
                f"{MAX_NESTING} levels deep{where}"
            )

    def peek(self, offset: int = 0) -> Token | None:
        j = self.pos + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def at_keyword(self, *words: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind is TokenKind.KEYWORD and tok.value in words

    def take_keyword(self, word: str) -> None:
        if not self.at_keyword(word):
            raise self.unexpected(f"{word}")
        self.pos += 1

    def take(self, kind: TokenKind) -> Token:
        tok = self.peek()
        if tok is None or tok.kind is not kind:
            raise self.unexpected(repr(kind.value))
        self.pos += 1
        return tok

    def unexpected(self, wanted: str) -> DefinitionError:
        tok = self.peek()
        found = "the end of the predicate" if tok is None else f"{tok.text!r} at offset {tok.start}"
        return _error(f"expected {wanted}, found {found}")

    def parse(self) -> Node:
        if not self.tokens:
            raise _error("a predicate cannot be empty")
        tree = self.expression()
        if self.peek() is not None:
            raise self.unexpected("AND, OR or the end of the predicate")
        return tree

    def expression(self) -> Node:
        items = [self.conjunction()]
        while self.at_keyword("OR"):
            self.pos += 1
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else ("or", tuple(items))

    def conjunction(self) -> Node:
        items = [self.negation()]
        while self.at_keyword("AND"):
            self.pos += 1
            items.append(self.negation())
        return items[0] if len(items) == 1 else ("and", tuple(items))

    def negation(self) -> Node:
        if self.at_keyword("NOT"):
            self.nest()
            self.pos += 1
            inner = self.negation()
            self.nesting -= 1
            return ("not", inner)
        return self.condition()

    def condition(self) -> Node:
        left = self.value()
        tok = self.peek()
        if tok is None:
            return left
        if tok.kind is TokenKind.OPERATOR and tok.value in _COMPARISONS:
            self.pos += 1
            return ("cmp", tok.value, left, self.value())
        if self.at_keyword("IS"):
            self.pos += 1
            negated = self.at_keyword("NOT")
            if negated:
                self.pos += 1
            if self.at_keyword("NULL", "TRUE", "FALSE"):
                word = self.take(TokenKind.KEYWORD).value
                return ("is", negated, left, word)
            if self.at_keyword("DISTINCT"):
                self.pos += 1
                self.take_keyword("FROM")
                return ("distinct", negated, left, self.value())
            raise self.unexpected("NULL, TRUE, FALSE or DISTINCT FROM after IS")
        negated = False
        if self.at_keyword("NOT"):
            nxt = self.peek(1)
            if nxt is None or not (
                nxt.kind is TokenKind.KEYWORD and nxt.value in {"IN", "LIKE", "BETWEEN"}
            ):
                return left
            self.pos += 1
            negated = True
        if self.at_keyword("IN"):
            self.pos += 1
            self.take(TokenKind.LPAREN)
            items = self.value_list()
            self.take(TokenKind.RPAREN)
            return ("in", negated, left, items)
        if self.at_keyword("LIKE"):
            self.pos += 1
            pattern = self.value()
            escape = None
            if self.at_keyword("ESCAPE"):
                self.pos += 1
                escape = self.value()
            return ("like", negated, left, pattern, escape)
        if self.at_keyword("BETWEEN"):
            self.pos += 1
            low = self.value()
            self.take_keyword("AND")
            return ("between", negated, left, low, self.value())
        if negated:
            raise self.unexpected("IN, LIKE or BETWEEN after NOT")
        return left

    def value_list(self) -> tuple[Node, ...]:
        items = [self.value()]
        while (tok := self.peek()) is not None and tok.kind is TokenKind.COMMA:
            self.pos += 1
            items.append(self.value())
        return tuple(items)

    def value(self, level: int = 0) -> Node:
        if level == len(_PRECEDENCE):
            return self.term()
        left = self.value(level + 1)
        while (
            (tok := self.peek()) is not None
            and tok.kind is TokenKind.OPERATOR
            and tok.value in _PRECEDENCE[level]
        ):
            self.pos += 1
            left = ("binary", tok.value, left, self.value(level + 1))
        return left

    def term(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.unexpected("a value")
        kind = tok.kind
        if kind is TokenKind.OPERATOR and tok.value in _UNARY:
            self.nest()
            self.pos += 1
            operand = self.term()
            self.nesting -= 1
            return ("unary", tok.value, operand)
        if kind in (TokenKind.NUMBER, TokenKind.STRING) or (
            kind is TokenKind.KEYWORD and tok.value in {"NULL", "TRUE", "FALSE"}
        ):
            self.pos += 1
            return ("literal", tok)
        if kind is TokenKind.KEYWORD and tok.value in {"CASE", "SELECT", "EXISTS"}:
            raise _error(f"{tok.value} is not supported in an index predicate")
        if kind is TokenKind.QUOTED:
            self.pos += 1
            self.columns.append(tok)
            return ("column", tok)
        if kind is TokenKind.WORD:
            self.pos += 1
            after = self.peek()
            if after is not None and after.kind is TokenKind.STRING and not after.spaced:
                raise _error(
                    f"the prefixed string {tok.text}{after.text} at offset {tok.start} is not "
                    f"portable (N'...', E'...', X'...' each mean something else per engine); "
                    f"write a plain '...' literal"
                )
            if after is not None and after.kind is TokenKind.LPAREN:
                self.pos += 1
                closing = self.peek()
                arguments: tuple[Node, ...] = ()
                if closing is None or closing.kind is not TokenKind.RPAREN:
                    arguments = self.value_list()
                self.take(TokenKind.RPAREN)
                return ("call", tok, arguments)
            self.columns.append(tok)
            return ("column", tok)
        if kind is TokenKind.LPAREN:
            self.nest()
            self.pos += 1
            inner = self.expression()
            self.take(TokenKind.RPAREN)
            self.nesting -= 1
            return inner
        raise self.unexpected("a value")


class _Laid:
    """A slot for :meth:`Predicate.with_columns`'s layout: not an attrs field (never compared,
    shown or pickled), and not a ``functools.cached_property``, which would give the class a
    ``__getattr__`` and so slow down every attribute read."""

    __slots__ = ("_pieces", "_template")

    _pieces: tuple[tuple[str, ...], tuple[tuple[int, bool], ...]]
    #: The layout as a ``str.format`` template, when no reference is guarded (else ``None``).
    _template: str | None


@attrs.frozen(slots=True)
class Predicate(_Laid):
    """A parsed, checked ``where`` predicate. Build with :meth:`parse`."""

    text: str
    tokens: tuple[Token, ...]
    #: The tokens that name columns (bare names not called as functions, and quoted names).
    column_refs: tuple[Token, ...]
    #: The parse tree (see :data:`Node`).
    tree: Node = attrs.field(eq=False, repr=False)

    @classmethod
    def parse(cls, text: str) -> Predicate:
        """Parse ``text``; raise :class:`DefinitionError` (field ``where``) if it is unsafe or
        malformed."""
        if not isinstance(text, str):
            raise _error(f"a predicate must be a str, got {type(text).__name__}")
        return _parse_cached(text)

    def render(self, replace: Callable[[Token], str | None]) -> str:
        """Rebuild the predicate, substituting ``replace(token)`` where it is not ``None``.

        White space between tokens is folded to one space, so the output is stable.
        """
        out: list[str] = []
        for index, token in enumerate(self.tokens):
            # A column "u" re-spelt bare before '&' would read as PostgreSQL's U&'...' literal.
            if index and (token.spaced or (token.text == "&" and out[-1] in ("u", "U"))):
                out.append(" ")
            sub = replace(token)
            out.append(token.text if sub is None else sub)
        return "".join(out)

    def with_columns(self, names: Sequence[str]) -> str:
        """The predicate as :meth:`render` gives it when only the column references change:
        ``names[i]`` in place of ``column_refs[i]``, everything else as written."""
        try:
            template = self._template  # laid out once, with the parse
        except AttributeError:  # a copy or an unpickled predicate
            _keep_layout(self)
            template = self._template
        if template is not None and len(names) == len(self.column_refs):
            return template.format(*names)  # the usual case: one call
        parts, slots = self._pieces
        out = list(parts)
        for (slot, guarded), name in zip(slots, names, strict=True):
            # As in render(): a bare "u" before an unspaced '&' would read as U&'...'.
            out[slot] = name + " " if guarded and name in ("u", "U") else name
        return "".join(out)

    def _lay_out(self) -> tuple[tuple[str, ...], tuple[tuple[int, bool], ...]]:
        """The text :meth:`render` builds, cut around the column references: the fixed pieces
        (``""`` where a reference goes) and, per reference, its piece's position and whether
        an unspaced '&' follows it. Made once, when the predicate is parsed."""
        refs = {id(token) for token in self.column_refs}
        parts: list[str] = []
        slots: list[tuple[int, bool]] = []
        fixed: list[str] = []
        previous = ""
        tokens = self.tokens
        for index, token in enumerate(tokens):
            if index and (token.spaced or (token.text == "&" and previous in ("u", "U"))):
                fixed.append(" ")
            if id(token) in refs:
                parts.append("".join(fixed))
                fixed = []
                following = tokens[index + 1] if index + 1 < len(tokens) else None
                guarded = following is not None and following.text == "&" and not following.spaced
                slots.append((len(parts), guarded))
                parts.append("")
                previous = ""  # decided per name in with_columns
            else:
                fixed.append(token.text)
                previous = token.text
        parts.append("".join(fixed))
        return tuple(parts), tuple(slots)


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str) -> Predicate:
    if not text.strip():
        raise _error("a predicate cannot be empty or blank")
    if "\x00" in text:
        raise _error("a predicate cannot contain NUL")
    for offset, ch in enumerate(text):
        if "\ud800" <= ch <= "\udfff":  # not encodable as UTF-8: no driver can send it
            raise _error(f"a lone surrogate U+{ord(ch):04X} at offset {offset} is not text")
    tokens = _tokenize(text)
    parser = _Parser(tokens)
    tree = parser.parse()
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        raise _error(
            f"the predicate is {depth} levels deep (each operator and each AND/OR term is one); "
            f"at most {MAX_DEPTH}"
        )
    predicate = Predicate(text, tokens, tuple(parser.columns), tree)
    _keep_layout(predicate)
    return predicate


def _keep_layout(predicate: Predicate) -> None:
    """Keep ``predicate``'s layout for :meth:`Predicate.with_columns`: its pieces and, when
    no column reference is guarded, the same as one ``str.format`` template."""
    parts, slots = predicate._lay_out()
    template = None
    if not any(guarded for _, guarded in slots):
        pieces = [part.replace("{", "{{").replace("}", "}}") for part in parts]
        for slot, _ in slots:
            pieces[slot] = "{}"
        template = "".join(pieces)
    object.__setattr__(predicate, "_pieces", (parts, slots))
    object.__setattr__(predicate, "_template", template)


def _depth(tree: Node) -> int:
    """The depth of ``tree`` as an engine's binary expression tree (without recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        kind = node[0]
        if kind in ("or", "and", "in"):
            items = node[1] if kind != "in" else (node[2], *node[3])
            below = level + (len(items) - 1 if kind != "in" else 1)
            stack.extend((item, below) for item in items)
        elif kind not in ("literal", "column"):
            stack.extend(
                (part, level + 1)
                for part in node[1:]
                if isinstance(part, tuple) and part and isinstance(part[0], str)
            )
            if kind == "call":
                stack.extend((argument, level + 1) for argument in node[2])
    return deepest
