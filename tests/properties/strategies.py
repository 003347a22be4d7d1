"""Hypothesis strategies for VALID definitions, and what each engine may refuse of them.

The strategies draw whole :class:`SchemaConfiguration` values: one or two tables with every
data type, lengths, every default kind that fits its column, composite primary keys, unique
columns and constraints, and indexes with partial predicates from a small typed grammar.
Names come from all of Unicode (no NUL, no lone surrogates, no white space at the ends, which
definitions refuse), with reserved words, quote characters of every dialect, spaces and mixed
case mixed in.

A valid definition can still be more than one engine can hold: a name over its identifier
limit, a key over its byte budget, a partial unique index where the engine cannot filter.
:func:`expected_refusals` says, from the engines' documented limits and independently of the
library's own checks, which refusals are justified; the tests hold the library to exactly
those.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from whizbang_schema import (
    BytesType,
    ColumnDefinition,
    ColumnType,
    DecimalType,
    DefaultValue,
    DefaultValueFunction,
    DefinitionError,
    IdentifierError,
    IndexDefinition,
    SchemaConfiguration,
    StringDefault,
    StringType,
    TableDefinition,
    UniqueConstraintDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    column_type,
)
from whizbang_schema.model.datatypes import INTEGER_RANGES

T = WhizbangDataType
F = DefaultValueFunction

# -- names ----------------------------------------------------------------------------------

#: Words that are reserved somewhere (and "primary", which MySQL keeps for the key's index).
RESERVED = (
    "select",
    "order",
    "user",
    "group",
    "table",
    "key",
    "index",
    "primary",
    "PRIMARY",
    "from",
    "where",
    "default",
    "check",
    "end",
    "Order",
    "NULL",
    "true",
    "rowid",
    "oid",
    "sqlite_master",
    "ctid",
    "xmin",
    "tableoid",
    "CMAX",
)
#: Characters each dialect treats specially inside or around names.
AWKWARD_CHARS = "\"'`[] %_\\.-$#@?;()*,"


def _plain(name: str) -> str:
    return name.strip()


_unicode_char = st.characters(
    codec="utf-8",  # excludes lone surrogates, which no engine can store
    exclude_characters="\x00",
)
# Mostly the Basic Multilingual Plane: MySQL refuses names with other characters.
_bmp_char = st.characters(codec="utf-8", max_codepoint=0xFFFF, exclude_characters="\x00")
_plain_names = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
_mixed_names = st.text(
    st.sampled_from("abcXYZ_019" + AWKWARD_CHARS + "éÉßıİŉǅΣσς中"), min_size=1, max_size=10
)
_unicode_names = st.text(_bmp_char, min_size=1, max_size=8)
_astral_names = st.text(_unicode_char, min_size=1, max_size=6)
_long_names = st.text(st.sampled_from("aaaa____é中"), min_size=25, max_size=64)

_short_names = st.one_of(
    _plain_names, _plain_names, st.sampled_from(RESERVED), _mixed_names, _unicode_names
)
# One name in twenty is long (near and over the identifier limits once the prefix is added),
# one in sixty has characters beyond the Basic Multilingual Plane.
names = (
    st.integers(0, 59)
    .flatmap(lambda i: _long_names if i < 3 else _astral_names if i == 3 else _short_names)
    .map(_plain)
    .filter(bool)
)

PREFIXES = ("wh_", "", "p_", "Ünï-", "x`[\"'_", "wh_%_", "sqlite_")


def _distinct(values: Iterable[str]) -> list[str]:
    """Keep the first of names that are equal ignoring case (definitions refuse the rest)."""
    seen: set[str] = set()
    out = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


# -- columns --------------------------------------------------------------------------------

_LENGTHS = st.one_of(
    st.integers(1, 40),
    st.sampled_from([255, 450, 451, 768, 769, 900, 1000, 4000, 4001, 16383, 16384, 10_485_760]),
)
_default_text = st.text(
    st.one_of(st.sampled_from("'\"\\`%_\n\r\t\x1a\b ;-*/"), _unicode_char), max_size=12
)

_long_default_text = st.builds(
    lambda n, k: "x" * n + "😀" * k, st.integers(420, 800), st.integers(0, 20)
)


def _integers_within(low: int, high: int) -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from([low, high, 0]), st.integers(low, high))


def _integer_default(data_type: WhizbangDataType) -> st.SearchStrategy[DefaultValue]:
    low, high = INTEGER_RANGES[data_type]
    return st.one_of(st.sampled_from([low, high, 0, -1, 1]), st.integers(low, high)).map(
        DefaultValue.integer
    )


#: BYTES lengths: small ones, and SQL Server's VARBINARY(8000) and MySQL's 65,532-byte edges.
_BYTE_LENGTHS = st.one_of(
    st.integers(1, 40), st.sampled_from([255, 256, 900, 901, 3072, 8000, 8001, 65_532, 65_533])
)


@st.composite
def decimal_types(draw: st.DrawFn) -> DecimalType:
    """Every precision (1..38, the edges often) and a scale up to it."""
    precision = draw(
        st.one_of(st.sampled_from([1, 9, 10, 15, 16, 19, 28, 29, 38]), st.integers(1, 38))
    )
    return DecimalType(
        precision, draw(st.one_of(st.sampled_from([0, precision]), st.integers(0, precision)))
    )


#: Finite, normal floats (SQL Server's float has no subnormals: "2.23E-308" is its least).
_FINITE_DOUBLES = st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def _decimal_literals(draw: st.DrawFn, value: DecimalType) -> decimal.Decimal:
    """An exact decimal within ``value``'s precision and scale, 15 digits at most (what
    SQLite's REAL keeps), written with the column's scale or fewer digits after the point."""
    after = draw(st.integers(0, min(value.scale, 15)))
    before = draw(st.integers(0, min(value.precision - value.scale, 15 - after)))
    digits = draw(st.text("0123456789", min_size=before + after, max_size=before + after))
    sign = draw(st.sampled_from(["", "-"]))
    text = f"{sign}{digits[:before] or '0'}.{digits[before:] or '0'}"
    return decimal.Decimal(text)


@st.composite
def column_types(draw: st.DrawFn) -> ColumnType:
    data_type = draw(st.sampled_from(list(T)))
    if data_type is T.DECIMAL:
        return draw(decimal_types())
    if data_type is T.STRING:
        return StringType(draw(st.one_of(st.none(), _LENGTHS)))
    if data_type is T.BYTES:
        return BytesType(draw(st.one_of(st.none(), _BYTE_LENGTHS)))
    return column_type(data_type)


@st.composite
def columns(draw: st.DrawFn, name: str) -> ColumnDefinition:
    value = draw(column_types())
    data_type, max_length = value.kind, value.max_length
    odds = 12 if data_type is T.JSON else 3  # JSON is no key on MySQL or SQL Server
    primary_key = draw(st.integers(0, odds)) == 0
    nullable = False if primary_key else draw(st.booleans())
    options: list[st.SearchStrategy[DefaultValue | None]] = [st.none()]
    if data_type in INTEGER_RANGES:
        options.append(_integer_default(data_type))
    elif isinstance(value, DecimalType):  # whole numbers; SQLite's REAL keeps 15 digits
        bound = 10 ** min(value.precision - value.scale, 15) - 1
        options.append(_integers_within(-bound, bound).map(DefaultValue.integer))
        options.append(_decimal_literals(value).map(DefaultValue.decimal))
    elif data_type is T.DOUBLE:  # every integer a double holds exactly
        options.append(_integers_within(-(2**53), 2**53).map(DefaultValue.integer))
        options.append(_FINITE_DOUBLES.map(DefaultValue.double))
    elif data_type is T.DATE:
        options.append(st.dates().map(DefaultValue.date))  # 0001-01-01..9999-12-31
    elif data_type is T.BYTES:
        size = min(max_length or 40, 40)
        options.append(st.binary(max_size=size).map(DefaultValue.bytes))
    elif data_type is T.BOOLEAN:
        options.append(st.booleans().map(DefaultValue.boolean))
        options.append(st.sampled_from([0, 1]).map(DefaultValue.integer))
    elif data_type is T.STRING:
        text = _default_text
        if max_length is not None:
            text = text.filter(lambda s, n=max_length: len(s) <= n)
        else:  # long enough not to fit the VARCHAR a key column gets on MySQL or SQL Server
            text = st.one_of(text, _long_default_text)
        options.append(text.map(DefaultValue.string))
    elif data_type is T.UUID:
        options.append(st.just(DefaultValue.function(F.GUID_NEW)))
    elif data_type is T.TIMESTAMP_TZ:
        options.append(
            st.sampled_from([F.DATETIME_NOW, F.DATETIME_UTC_NOW]).map(DefaultValue.function)
        )
    if nullable:
        options.append(st.just(DefaultValue.null()))
    default = draw(st.one_of(*options))
    return ColumnDefinition(
        name,
        value,
        primary_key=primary_key,
        nullable=nullable,
        default=default,
        unique=draw(st.integers(0, 2 * odds)) == 0,
    )


# -- predicates -----------------------------------------------------------------------------


@attrs.frozen
class Pred:
    """A predicate as text, and whether SQL Server can filter an index by it (a conjunction
    of ``column <op> constant``, ``column IS [NOT] NULL`` and ``column IN (constants)``)."""

    text: str
    simple: bool
    conjunction: bool  # an AND-chain written without parentheses (or a single atom)


_PRED_KEYWORDS = {
    "AND", "OR", "NOT", "IS", "NULL", "IN", "TRUE", "FALSE", "LIKE", "BETWEEN", "ESCAPE",
    "DISTINCT", "FROM", "CASE", "WHEN", "THEN", "ELSE", "END", "SELECT", "EXISTS",
}  # fmt: skip


def column_ref(name: str, draw: st.DrawFn) -> str:
    """The column as a predicate names it: bare when it can be (in any case), else quoted."""
    bare = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) and name.upper() not in _PRED_KEYWORDS
    if bare and draw(st.booleans()):
        return draw(st.sampled_from([name, name.upper(), name.lower()]))
    return '"' + name.replace('"', '""') + '"'


def _string_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@st.composite
def atoms(draw: st.DrawFn, column: ColumnDefinition, sqlserver: bool = False) -> Pred:
    ref = column_ref(column.name, draw)
    kind = column.data_type
    choices = ["null"]
    if kind in INTEGER_RANGES:
        choices += ["cmp", "in", "not_in", "mask", "between"]
    elif kind is T.STRING:
        choices += ["cmp", "in", "like"]
    elif kind is T.BOOLEAN:
        choices += ["bool"]
    if sqlserver:  # constants whose type decides whether SQL Server can filter (issue 15)
        if kind in INTEGER_RANGES:
            choices += ["decimal"]
        elif kind is T.UUID:
            choices += ["guid"]
    choice = draw(st.sampled_from(choices))
    if choice == "decimal":  # converts the INT column to DECIMAL: no filter on SQL Server
        op = draw(st.sampled_from(["=", "<", ">="]))
        return Pred(f"{ref} {op} {draw(st.integers(-1000, 1000))}.5", False, True)
    if choice == "guid":  # a quoted GUID converts on the constant's side; other text fails
        good = draw(st.booleans())
        text = str(draw(st.uuids())) if good else draw(st.sampled_from(["x", "1", "{}"]))
        return Pred(f"{ref} = {_string_literal(text)}", good, True)
    if choice == "null":
        negated = draw(st.booleans())
        return Pred(f"{ref} IS {'NOT ' if negated else ''}NULL", True, True)
    if choice == "bool":
        return Pred(f"{ref} = {draw(st.sampled_from(['TRUE', 'FALSE']))}", True, True)
    if kind is T.STRING:
        literal = st.text(st.sampled_from("ab'\\%_ é😀"), max_size=4).map(_string_literal)
    else:
        low, high = INTEGER_RANGES[kind]
        literal = st.one_of(st.integers(-1000, 1000), st.integers(low, high)).map(str)
    op = draw(st.sampled_from(["=", "<>", "!=", "<", "<=", ">", ">="]))
    if choice == "cmp":
        return Pred(f"{ref} {op} {draw(literal)}", True, True)
    if choice in ("in", "not_in"):
        items = draw(st.lists(literal, min_size=1, max_size=3))
        negated = choice == "not_in"
        return Pred(f"{ref} {'NOT ' if negated else ''}IN ({', '.join(items)})", not negated, True)
    if choice == "like":
        # No backslash: it is LIKE's escape on PostgreSQL and MySQL, a plain character on
        # SQLite, so a portable pattern cannot hold one (a predicate's own meaning, not tested).
        pattern = st.text(st.sampled_from("ab'%_ é😀"), max_size=4).map(_string_literal)
        return Pred(f"{ref} LIKE {draw(pattern)}", False, True)
    if choice == "between":
        return Pred(f"{ref} BETWEEN {draw(literal)} AND {draw(literal)}", False, False)
    bit = 1 << draw(st.integers(0, 14))
    return Pred(f"({ref} & {bit}) {draw(st.sampled_from(['=', '<>']))} {bit}", False, True)


#: Whether SQL Server can filter by each predicate drawn (the tests look them up by text).
FILTERABLE: dict[str, bool] = {}


def _wrapped(pred: Pred) -> str:
    return f"({pred.text})"


@st.composite
def predicates(
    draw: st.DrawFn,
    table_columns: Sequence[ColumnDefinition],
    depth: int = 2,
    sqlserver: bool = False,
) -> Pred:
    column = draw(st.sampled_from(list(table_columns)))
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return draw(atoms(column, sqlserver))
    shape = draw(st.sampled_from(["and", "and", "or", "not"]))
    if shape == "not":
        inner = draw(predicates(table_columns, depth - 1, sqlserver))
        return Pred(f"NOT {_wrapped(inner)}", False, False)
    parts = draw(st.lists(predicates(table_columns, depth - 1, sqlserver), min_size=2, max_size=3))
    if shape == "and":
        texts = [p.text if p.conjunction else _wrapped(p) for p in parts]
        simple = all(p.simple and p.conjunction for p in parts)
        return Pred(" AND ".join(texts), simple, all(p.conjunction for p in parts))
    return Pred(" OR ".join(_wrapped(p) for p in parts), False, False)


# -- tables ---------------------------------------------------------------------------------


@st.composite
def tables(draw: st.DrawFn, table_name: str, sqlserver: bool = False) -> TableDefinition:
    column_names = _distinct(draw(st.lists(names, min_size=1, max_size=5)))
    cols = [draw(columns(name)) for name in column_names]
    by_name = [c.name for c in cols]
    key = tuple(c.name for c in cols if c.primary_key)
    taken = {key} if key else set()
    taken |= {(c.name,) for c in cols if c.unique}
    # JSON cannot be a key column on MySQL or SQL Server: pick it now and then only.
    keyable = [c.name for c in cols if c.data_type is not T.JSON] or by_name
    column_lists = (
        st.integers(0, 4)
        .flatmap(lambda i: st.sampled_from(by_name if i == 0 else keyable))
        .flatmap(
            lambda first: st.lists(st.sampled_from(by_name), max_size=2).map(
                lambda rest: tuple(dict.fromkeys([first, *rest]))
            )
        )
    )
    item_names = _distinct(draw(st.lists(names, max_size=5)))
    constraints = []
    indexes = []
    for item_name in item_names:
        cols_of = draw(column_lists)
        if draw(st.integers(0, 2)) == 0:
            if cols_of in taken:
                continue  # the same key twice says nothing more (and engines merge them)
            taken.add(cols_of)
            constraints.append(UniqueConstraintDefinition(item_name, cols_of))
        else:
            where = None
            if draw(st.integers(0, 2)) == 0:
                pred = draw(predicates(cols, sqlserver=sqlserver))
                where = pred.text
                FILTERABLE[where] = FILTERABLE.get(where, True) and pred.simple
            indexes.append(
                IndexDefinition(item_name, cols_of, unique=draw(st.booleans()), where=where)
            )
    return TableDefinition(table_name, cols, indexes=indexes, unique_constraints=constraints)


_FIXED_SIZE = [T.BIG_INT, T.UUID, T.TIMESTAMP_TZ, T.INTEGER, T.BOOLEAN, T.STRING]


@st.composite
def wide_tables(draw: st.DrawFn, table_name: str) -> TableDefinition:
    """A table of hundreds of columns near SQL Server's 8,060-byte row (issue 15): blocks of
    one type each, within the 1,024-column limit."""
    blocks = draw(
        st.lists(
            st.tuples(st.sampled_from(_FIXED_SIZE), st.integers(1, 600)), min_size=1, max_size=3
        )
    )
    kinds = [kind for kind, count in blocks for _ in range(count)][:1024]
    return TableDefinition(table_name, [ColumnDefinition(f"c{i}", k) for i, k in enumerate(kinds)])


#: Each dialect's options, drawn with its definitions (the first choice is the default).
OPTIONS: dict[str, dict[str, tuple[object, ...]]] = {
    "sqlite": {"uuid": ("text", "blob"), "strict": (False, True)},
    "postgres": {},
    "mysql": {
        "uuid": ("char36", "binary16", "uuid"),
        "collation": ("utf8mb4_bin", "utf8mb4_unicode_ci"),
    },
    "sqlserver": {"json": ("nvarchar", "native")},
}


@st.composite
def configurations(draw: st.DrawFn, dialect: str = "postgres") -> SchemaConfiguration:
    table_names = _distinct(draw(st.lists(names, min_size=1, max_size=2)))
    options = {name: draw(st.sampled_from(values)) for name, values in OPTIONS[dialect].items()}
    sqlserver = dialect == "sqlserver"
    drawn = [
        draw(wide_tables(name))
        if sqlserver and draw(st.integers(0, 9)) == 0
        else draw(tables(name, sqlserver))
        for name in table_names
    ]
    return SchemaConfiguration(
        prefix=draw(st.sampled_from(PREFIXES)),
        tables=drawn,
        verbatim_names=draw(st.integers(0, 4)) == 0,
        dialect_options={dialect: options},
    )


# -- what an engine may refuse --------------------------------------------------------------


@attrs.frozen
class EngineLimits:
    """An engine's documented limits, as the tests know them (not as the library does)."""

    name: str
    max_bytes: int | None = None
    max_chars: int | None = None
    bmp_only: bool = False
    partial_indexes: bool = True
    #: (primary key bytes, other key bytes, bytes per character, longest key string,
    #:  widths of the fixed types); None: keys are not limited.
    keys: tuple[int, int, int, int, dict[WhizbangDataType, int]] | None = None


LIMITS = {
    "sqlite": EngineLimits("sqlite"),
    "postgres": EngineLimits("postgres", max_bytes=63),
    "mysql": EngineLimits(
        "mysql",
        max_chars=64,
        bmp_only=True,
        partial_indexes=False,
        keys=(
            3072,
            3072,
            4,
            16383,
            {T.UUID: 144, T.TIMESTAMP_TZ: 8, T.BIG_INT: 8, T.INTEGER: 4, T.SMALL_INT: 2,
             T.BOOLEAN: 1, T.DATE: 3, T.DOUBLE: 8},
        ),
    ),
    "sqlserver": EngineLimits(
        "sqlserver",
        max_chars=128,
        keys=(
            900,
            1700,
            2,
            4000,
            {T.UUID: 16, T.TIMESTAMP_TZ: 10, T.BIG_INT: 8, T.INTEGER: 4, T.SMALL_INT: 2,
             T.BOOLEAN: 1, T.DATE: 3, T.DOUBLE: 8},
        ),
    ),
}  # fmt: skip


def _decimal_bytes(limits: EngineLimits, value: DecimalType) -> int:
    """DECIMAL's storage: SQL Server's four sizes ("decimal and numeric"); MySQL's integer and
    fraction parts apart, 4 bytes per nine digits and ceil(4 d / 9) for d leftover digits
    ("Precision Math")."""
    if limits.name == "sqlserver":
        return next(b for p, b in ((9, 5), (19, 9), (28, 13), (38, 17)) if value.precision <= p)
    return sum(
        4 * (d // 9) + -(-4 * (d % 9) // 9) for d in (value.precision - value.scale, value.scale)
    )


def _width(limits: EngineLimits, column: ColumnDefinition) -> int | None:
    """Key bytes of a non-STRING column, or None where it cannot be a key."""
    assert limits.keys is not None
    if isinstance(column.type, DecimalType):
        return _decimal_bytes(limits, column.type)
    if column.data_type is T.BYTES:  # VARBINARY(n) up to 8,000 / 65,532 bytes; else MAX, BLOB
        longest = 8000 if limits.name == "sqlserver" else 65_532
        length = column.max_length
        return length if length is not None and length <= longest else None
    return limits.keys[4].get(column.data_type)


def _unique_columns(table: TableDefinition) -> list[ColumnDefinition]:
    key = table.primary_key
    return [c for c in table.columns if c.unique and (c.name,) != key]


def stored_names(
    config: SchemaConfiguration, table: TableDefinition, engine: str = ""
) -> list[str]:
    """Every name ``table`` puts in a catalog, as the README documents the naming (on SQL
    Server each DEFAULT is a named object too)."""
    prefix = config.prefix
    verbatim = config.verbatim_names
    full = prefix + table.name
    out = [full, *(c.name for c in table.columns)]
    if table.primary_key:
        out.append(f"{full}_pkey")
    out += [f"{full}_{c.name}_key" for c in _unique_columns(table)]
    out += [u.name if verbatim else prefix + u.name for u in table.unique_constraints]
    out += [i.name if verbatim else prefix + i.name for i in table.indexes]
    if engine == "sqlserver":
        out += [f"{full}_{c.name}_default" for c in table.columns if c.default is not None]
    return out


def _keys(table: TableDefinition) -> list[tuple[str, tuple[str, ...], bool]]:
    keys = []
    if table.primary_key:
        keys.append(("primary key", table.primary_key, True))
    keys += [(f"unique {c.name}", (c.name,), False) for c in _unique_columns(table)]
    keys += [(f"constraint {u.name}", u.columns, False) for u in table.unique_constraints]
    keys += [(f"index {i.name}", i.columns, False) for i in table.indexes]
    return keys


def _key_problems(limits: EngineLimits, table: TableDefinition) -> list[str]:
    assert limits.keys is not None
    pk_bytes, key_bytes, per_char, longest, _widths = limits.keys
    problems = []
    for what, key_columns, primary in _keys(table):
        total, unbounded = 0, 0
        for name in key_columns:
            column = table.column(name)
            if column.data_type is T.STRING:
                if column.max_length is None:
                    unbounded += 1
                elif column.max_length > longest:
                    problems.append(f"{what}: {name} is too long to be a key")
                else:
                    total += per_char * column.max_length
            elif _width(limits, column) is not None:
                total += _width(limits, column) or 0
            else:
                problems.append(f"{what}: {name} is {column.data_type.name}")
        if total + per_char * unbounded > (pk_bytes if primary else key_bytes):
            problems.append(f"{what}: over the key budget")
    return problems


def _key_string_lengths(
    limits: EngineLimits, table: TableDefinition, default: int
) -> dict[str, int]:
    """The length an unbounded STRING key column gets: ``default`` (EF Core's 450 on SQL
    Server, 768 on MySQL), narrowed to what its keys leave room for."""
    assert limits.keys is not None
    pk_bytes, key_bytes, per_char, _longest, _widths = limits.keys
    lengths: dict[str, int] = {}
    for _what, key_columns, primary in _keys(table):
        fixed, unbounded = 0, []
        for name in key_columns:
            column = table.column(name)
            if column.data_type is T.STRING and column.max_length is None:
                unbounded.append(name)
            elif column.data_type is T.STRING:
                fixed += per_char * (column.max_length or 0)
            else:
                fixed += _width(limits, column) or 0
        if unbounded:
            room = ((pk_bytes if primary else key_bytes) - fixed) // (per_char * len(unbounded))
            for name in unbounded:
                lengths[name] = min(lengths.get(name, default), room)
    return lengths


def _default_problems(engine: str, limits: EngineLimits, table: TableDefinition) -> list[str]:
    """String defaults longer than the column's bounded type holds."""
    chosen = _key_string_lengths(limits, table, 768 if engine == "mysql" else 450)
    problems = []
    for column in table.columns:
        if not isinstance(column.default, StringDefault):
            continue
        value = column.default.value
        if engine == "mysql":
            length, size = chosen.get(column.name), len(value)
        else:  # NVARCHAR(n) counts UTF-16 code units; NVARCHAR(MAX) beyond 4,000
            length = column.max_length if column.max_length is not None else chosen.get(column.name)
            length = None if length is not None and length > 4000 else length
            size = len(value.encode("utf-16-le")) // 2
        if length is not None and size > length:
            problems.append(f"{column.name}: a default of {size} in a type of {length}")
    return problems


def _mysql_row_bounds(limits: EngineLimits, table: TableDefinition) -> tuple[int, int]:
    """Lower and upper bounds of a MySQL row's bytes (keyed unbounded strings get a VARCHAR of
    up to 768 characters; other unbounded strings and JSON count a 12-byte pointer)."""
    assert limits.keys is not None
    keyed = {name for _, cols, _ in _keys(table) for name in cols}
    low = (sum(1 for c in table.columns if c.nullable) + 7) // 8
    high = low
    for column in table.columns:
        if column.data_type is T.STRING and column.max_length is not None:
            size = 12 if column.max_length > 16383 else 4 * column.max_length + 2
            low, high = low + size - 1, high + size
        elif column.data_type is T.STRING and column.name in keyed:
            low, high = low + 5, high + 4 * 768 + 2
        elif column.data_type in (T.STRING, T.JSON):
            low, high = low + 12, high + 12
        elif column.data_type is T.BYTES:  # VARBINARY(n): n and 1 or 2 length bytes; LONGBLOB
            size = _width(limits, column)
            size = 12 if size is None else size + (1 if size < 256 else 2)
            low, high = low + size, high + size
        else:
            size = _width(limits, column) or 0
            low, high = low + size, high + size
    return low, high


def _sqlserver_row_bytes(table: TableDefinition) -> int:
    """The smallest row ("Estimate the size of a heap"): fixed-size columns (BIT eight to a
    byte), a null bitmap of 2 + (columns + 7) // 8 bytes and a 4-byte header."""
    assert LIMITS["sqlserver"].keys is not None
    limits = LIMITS["sqlserver"]
    bits = sum(1 for c in table.columns if c.data_type is T.BOOLEAN)
    fixed = sum(
        _width(limits, c) or 0
        for c in table.columns
        if c.data_type is not T.BOOLEAN and c.data_type is not T.BYTES  # VARBINARY: variable
    )
    return fixed + (bits + 7) // 8 + 2 + (len(table.columns) + 7) // 8 + 4


def expected_refusals(
    engine: str, config: SchemaConfiguration
) -> tuple[list[tuple[type[Exception], str]], list[tuple[type[Exception], str]]]:
    """``(must, may)``: refusals the engine's limits make necessary, and ones that are
    justified only in part (a bound this estimate cannot decide exactly)."""
    limits = LIMITS[engine]
    if engine == "mysql" and config.options_for("mysql").get("uuid", "char36") != "char36":
        assert limits.keys is not None  # BINARY(16) and MariaDB's UUID take 16 bytes
        limits = attrs.evolve(limits, keys=(*limits.keys[:4], {**limits.keys[4], T.UUID: 16}))
    must: list[tuple[type[Exception], str]] = []
    may: list[tuple[type[Exception], str]] = []
    # Tables, indexes and key constraints share one namespace on PostgreSQL (and SQL Server
    # for constraints, SQLite for indexes): definitions are portable, so every dialect refuses
    # two objects with one name.
    seen: set[str] = set()
    for table in config.tables:
        for name in (
            stored_names(config, table, engine)[:1]
            + stored_names(config, table, engine)[len(table.columns) + 1 :]
        ):
            if name.casefold() in seen:
                must.append((DefinitionError, f"two objects named {name!r}"))
            seen.add(name.casefold())
    for table in config.tables:
        for name in stored_names(config, table, engine):
            if limits.max_bytes is not None and len(name.encode()) > limits.max_bytes:
                must.append((IdentifierError, f"{name!r} is over {limits.max_bytes} bytes"))
            if limits.max_chars is not None and len(name) > limits.max_chars:
                must.append((IdentifierError, f"{name!r} is over {limits.max_chars} characters"))
            if limits.bmp_only and any(ord(ch) > 0xFFFF for ch in name):
                must.append((IdentifierError, f"{name!r} is outside the BMP"))
        if engine == "sqlserver":
            row = _sqlserver_row_bytes(table)
            if row > 8060:  # "Maximum capacity specifications for SQL Server"
                must.append((UnsupportedFeatureError, f"a row takes at least {row} bytes"))
            for column in table.columns:
                if column.default is not None:
                    name = f"{config.prefix}{table.name}_{column.name}_default"
                    if len(name) > 128:
                        must.append((IdentifierError, f"{name!r} is over 128 characters"))
        if limits.keys is not None:
            must += [(UnsupportedFeatureError, p) for p in _key_problems(limits, table)]
            must += [(UnsupportedFeatureError, p) for p in _default_problems(engine, limits, table)]
        for index in table.indexes:
            if index.where is None or not index.unique:
                continue
            if not limits.partial_indexes:
                must.append((UnsupportedFeatureError, f"unique partial index {index.name}"))
            elif engine == "sqlserver" and not FILTERABLE[index.where]:
                must.append((UnsupportedFeatureError, f"unique index {index.name}: no filter"))
        if engine == "mysql":
            for name in stored_names(config, table)[len(table.columns) + 1 :]:
                if name.casefold() == "primary":
                    must.append((IdentifierError, "MySQL keeps the index name PRIMARY"))
        if engine == "sqlite":
            verbatim = config.verbatim_names
            objects = [config.prefix + table.name]
            objects += [i.name if verbatim else config.prefix + i.name for i in table.indexes]
            for name in objects:
                if name[:7].lower() == "sqlite_":
                    must.append((IdentifierError, f"SQLite keeps names like {name!r}"))
        if engine == "postgres":
            for column in table.columns:
                if column.name in ("ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"):
                    must.append((IdentifierError, f"{column.name} is a system column"))
                if column.data_type is T.STRING and (column.max_length or 0) > 10_485_760:
                    must.append((UnsupportedFeatureError, f"{column.name}: VARCHAR too long"))
        if engine == "mysql":
            for column in table.columns:  # "Precision Math": at most 30 digits of fraction
                if isinstance(column.type, DecimalType) and column.type.scale > 30:
                    must.append((UnsupportedFeatureError, f"{column.name}: scale over 30"))
            low, high = _mysql_row_bounds(limits, table)
            if low > 65535:
                must.append((UnsupportedFeatureError, f"a row takes at least {low} bytes"))
            elif high > 65535:
                may.append((UnsupportedFeatureError, f"a row may take {high} bytes"))
    return must, may


def describe(config: SchemaConfiguration) -> str:
    """A compact, readable form of a configuration for failure messages."""
    lines: list[Any] = [f"prefix={config.prefix!r} verbatim={config.verbatim_names}"]
    lines += [repr(t) for t in config.tables]
    return "\n".join(lines)
