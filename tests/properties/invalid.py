"""Strategies for definitions that cannot be valid: every kind of bad input, with where it is bad.

Each strategy draws a :class:`Bad`: a function that builds the bad input (and, for limits that
depend on a dialect, renders it), the field the error must name, and the error class expected.
The property tests call ``build`` and check what it raises; nothing here calls it.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import strategies as st

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    DefaultValueFunction,
    DefinitionError,
    IdentifierError,
    IndexDefinition,
    OptionError,
    SchemaConfiguration,
    SchemaError,
    TableDefinition,
    UniqueConstraintDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    get_dialect,
)
from whizbang_schema.model.datatypes import INTEGER_RANGES
from whizbang_schema.model.predicate import KEYWORDS

T = WhizbangDataType
#: The types a column takes without parameters (DECIMAL needs DecimalType(p, s)).
ALONE = [t for t in T if t is not T.DECIMAL]
F = DefaultValueFunction
ID = ColumnDefinition("id", T.UUID, primary_key=True)


@attrs.frozen
class Bad:
    """One bad input. ``build()`` must raise ``expected``; a :class:`DefinitionError` must have
    ``field == field`` and name it in its message; any other error must mention ``mentions``."""

    what: str
    build: Callable[[], object] = attrs.field(repr=False)
    field: str | None
    expected: type[SchemaError] = DefinitionError
    mentions: str = ""


# --- building blocks ---------------------------------------------------------------------------

#: Values of the wrong type for anything that must be a str, a bool or a sequence of names.
non_strings: st.SearchStrategy[object] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.binary(max_size=8),
    st.lists(st.text(max_size=3), max_size=3),
    st.tuples(st.text(max_size=3)),
    st.just(T.STRING),
    st.just(object()),
)

#: Values that are not True or False (0 and 1 included: flags are bools, not ints).
non_bools: st.SearchStrategy[object] = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=5),
    st.floats(allow_nan=False),
    st.lists(st.booleans(), max_size=2),
)

#: Plain names, never a predicate keyword (a column called "in" is valid, but not bare in SQL).
ascii_names = st.text(string.ascii_lowercase + "_", min_size=1, max_size=12).filter(
    lambda name: name.upper() not in KEYWORDS
)
surrogates = st.characters(categories=["Cs"])
unicode_spaces = st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2003\u2028\u3000")


@st.composite
def bad_name_strings(draw: st.DrawFn) -> str:
    """A str that cannot be a name: empty, blank, with NUL or a lone surrogate, or padded."""
    base = draw(ascii_names)
    kind = draw(st.sampled_from(["empty", "blank", "nul", "surrogate", "leading", "trailing"]))
    if kind == "empty":
        return ""
    if kind == "blank":
        return "".join(draw(st.lists(unicode_spaces, min_size=1, max_size=4)))
    if kind == "nul":
        cut = draw(st.integers(0, len(base)))
        return base[:cut] + "\x00" + base[cut:]
    if kind == "surrogate":
        cut = draw(st.integers(0, len(base)))
        return base[:cut] + draw(surrogates) + base[cut:]
    space = draw(unicode_spaces)
    return space + base if kind == "leading" else base + space


bad_names = st.one_of(non_strings, bad_name_strings())


def _call(build: Callable[..., object], *args: Any, **kwargs: Any) -> Callable[[], object]:
    return lambda: build(*args, **kwargs)


# --- columns -----------------------------------------------------------------------------------


@st.composite
def bad_columns(draw: st.DrawFn) -> Bad:
    """A ColumnDefinition that cannot be valid, for any reason the model knows."""
    kind = draw(
        st.sampled_from(
            [
                "name",
                "data_type",
                "max_length",
                "max_length_on_non_string",
                "flag",
                "nullable_key",
                "default",
            ]
        )
    )
    name = draw(ascii_names)
    if kind == "name":
        bad = draw(bad_names)
        return Bad(f"column name {bad!r}", _call(ColumnDefinition, bad, T.INTEGER), "name")
    if kind == "data_type":
        bad = draw(
            st.one_of(
                non_strings.filter(lambda v: not isinstance(v, T)),
                st.sampled_from([t.value for t in T] + [t.name for t in T]),
                st.sampled_from(list(F)),
            )
        )
        return Bad(f"data_type {bad!r}", _call(ColumnDefinition, name, bad), "data_type")
    if kind == "max_length":
        bad = draw(
            st.one_of(
                st.booleans(),
                st.integers(max_value=0),
                st.floats(allow_nan=False),
                st.text(max_size=4),
                st.just(10.0),
            )
        )
        return Bad(
            f"max_length {bad!r}",
            _call(ColumnDefinition, name, T.STRING, max_length=bad),
            "max_length",
        )
    if kind == "max_length_on_non_string":
        data_type = draw(st.sampled_from([t for t in T if t not in (T.STRING, T.BYTES)]))
        length = draw(st.integers(1, 10**6))
        return Bad(
            f"max_length on {data_type.name}",
            _call(ColumnDefinition, name, data_type, max_length=length),
            "max_length",
        )
    if kind == "flag":
        flag = draw(st.sampled_from(["primary_key", "nullable", "unique"]))
        value = draw(non_bools)
        return Bad(
            f"{flag}={value!r}", _call(ColumnDefinition, name, T.INTEGER, **{flag: value}), flag
        )
    if kind == "nullable_key":
        data_type = draw(st.sampled_from(ALONE))
        return Bad(
            "nullable primary key",
            _call(ColumnDefinition, name, data_type, primary_key=True, nullable=True),
            "nullable",
        )
    return draw(bad_defaults(name))


@st.composite
def bad_defaults(draw: st.DrawFn, name: str = "c") -> Bad:
    """A default of the wrong kind, type or range for its column, or a bad default value."""
    kind = draw(
        st.sampled_from(
            [
                "string_on",
                "boolean_on",
                "function_on",
                "integer_on",
                "out_of_range",
                "boolean_int",
                "null_on_not_null",
                "too_long",
                "raw",
                "factory",
            ]
        )
    )
    others = ALONE
    default: Any
    if kind == "string_on":
        data_type = draw(st.sampled_from([t for t in others if t is not T.STRING]))
        default = DefaultValue.string(draw(st.text(max_size=5).filter(lambda s: "\x00" not in s)))
    elif kind == "boolean_on":
        data_type = draw(st.sampled_from([t for t in others if t is not T.BOOLEAN]))
        default = DefaultValue.boolean(draw(st.booleans()))
    elif kind == "function_on":
        function = draw(st.sampled_from(list(F)))
        fits = T.UUID if function is F.GUID_NEW else T.TIMESTAMP_TZ
        data_type = draw(st.sampled_from([t for t in others if t is not fits]))
        default = DefaultValue.function(function)
    elif kind == "integer_on":
        data_type = draw(st.sampled_from([T.UUID, T.STRING, T.JSON, T.TIMESTAMP_TZ]))
        default = DefaultValue.integer(draw(st.integers(-5, 5)))
    elif kind == "out_of_range":
        data_type = draw(st.sampled_from(list(INTEGER_RANGES)))
        low, high = INTEGER_RANGES[data_type]
        value = draw(
            st.one_of(
                st.integers(max_value=low - 1),
                st.integers(min_value=high + 1),
                st.sampled_from([low - 1, high + 1, -(2**200), 2**200]),
            )
        )
        default = DefaultValue.integer(value)
    elif kind == "boolean_int":
        data_type = T.BOOLEAN
        default = DefaultValue.integer(draw(st.integers().filter(lambda v: v not in (0, 1))))
    elif kind == "null_on_not_null":
        data_type = draw(st.sampled_from(others))
        key = draw(st.booleans())
        return Bad(
            "DEFAULT NULL on a NOT NULL column",
            _call(
                ColumnDefinition,
                name,
                data_type,
                primary_key=key,
                nullable=False,
                default=DefaultValue.null(),
            ),
            "default",
        )
    elif kind == "too_long":
        length = draw(st.integers(1, 20))
        text = draw(st.text(string.ascii_letters, min_size=length + 1, max_size=length + 5))
        return Bad(
            "string default longer than max_length",
            _call(
                ColumnDefinition,
                name,
                T.STRING,
                max_length=length,
                default=DefaultValue.string(text),
            ),
            "default",
        )
    elif kind == "raw":
        data_type = draw(st.sampled_from(others))
        raw = draw(
            st.one_of(
                st.integers(),
                st.text(max_size=4),
                st.booleans(),
                st.sampled_from(list(F)),
                st.just(DefaultValue()),
            )
        )
        return Bad(
            f"default {raw!r}", _call(ColumnDefinition, name, data_type, default=raw), "default"
        )
    else:  # a factory given the wrong kind of value: refused by the factory itself
        factory, value = draw(
            st.one_of(
                st.tuples(
                    st.just(DefaultValue.integer),
                    st.one_of(st.booleans(), st.floats(), st.text(max_size=3), st.none()),
                ),
                st.tuples(
                    st.just(DefaultValue.string),
                    st.one_of(
                        st.integers(),
                        st.binary(max_size=3),
                        st.none(),
                        st.text(max_size=3).map(lambda s: s + "\x00"),
                        st.builds(lambda s, c: s + c, st.text(max_size=3), surrogates),
                    ),
                ),
                st.tuples(
                    st.just(DefaultValue.boolean),
                    st.one_of(st.integers(), st.text(max_size=3), st.none()),
                ),
                st.tuples(
                    st.just(DefaultValue.function),
                    st.one_of(
                        st.text(max_size=8),
                        st.sampled_from(list(T)),
                        st.none(),
                        st.sampled_from([f.value for f in F]),
                    ),
                ),
            )
        )
        data_type = draw(st.sampled_from(others))
        return Bad(
            f"DefaultValue.{factory.__name__}({value!r})",
            lambda: ColumnDefinition(name, data_type, default=factory(value)),
            "default",
        )
    return Bad(
        f"{default!r} on {data_type.name}",
        _call(ColumnDefinition, name, data_type, default=default),
        "default",
    )


# --- indexes and unique constraints ------------------------------------------------------------


@st.composite
def bad_column_lists(draw: st.DrawFn) -> object:
    """What cannot be the column list of an index or constraint."""
    kind = draw(st.sampled_from(["type", "empty", "element", "duplicate", "unordered"]))
    if kind == "type":
        return draw(
            st.one_of(
                st.text(max_size=5),
                st.binary(max_size=5),
                st.integers(),
                st.none(),
                st.booleans(),
            )
        )
    if kind == "empty":
        return draw(st.sampled_from([[], ()]))
    if kind == "unordered":
        return draw(
            st.one_of(
                st.sets(ascii_names, min_size=1, max_size=3),
                st.frozensets(ascii_names, min_size=1, max_size=3),
                st.dictionaries(ascii_names, st.integers(), min_size=1, max_size=3),
            )
        )
    names = draw(st.lists(ascii_names, min_size=1, max_size=3, unique=True))
    if kind == "element":
        position = draw(st.integers(0, len(names)))
        return [*names[:position], draw(bad_names), *names[position:]]
    twin = draw(st.sampled_from(names))
    twin = "".join(c.upper() if draw(st.booleans()) else c for c in twin)  # maybe case-only
    return [*names, twin]


#: Predicates that must be refused, whatever they stand beside.
BAD_PREDICATES = [
    "",
    "   ",
    "id = 1;",
    "id = 1; DROP TABLE t",
    "id = 1 -- x",
    "id = 1 /* x */",
    "(id = 1",
    "id = 1)",
    "id = 'x",
    'id = "',
    "id = 1 # x",
    "[id] = 1",
    "`id` = 1",
    "id = $$x$$",
    "id = N'x'",
    "id = E'x'",
    "id = U&'x'",
    "id !< 1",
    "id ^ 1 = 0",
    "id = \u0663",
    "id\u00a0= 1",
    "id = 1 AND",
    "id IN ()",
    "EXISTS (SELECT 1)",
    "CASE WHEN id = 1 THEN 1 END = 1",
    "id = '\ud800'",
    "id = 1\x00",
    "(" * 60 + "id = 1" + ")" * 60,
]


@st.composite
def bad_predicates(draw: st.DrawFn) -> object:
    """A ``where`` that is not a safe, portable predicate (or not a str at all)."""
    if draw(st.integers(0, 3)) == 0:
        return draw(non_strings.filter(lambda v: v is not None))
    text = draw(st.sampled_from(BAD_PREDICATES))
    if text.strip() and draw(st.booleans()):
        joiner = draw(st.sampled_from([" AND ", " OR "]))
        text = draw(st.sampled_from(["id IS NULL", "id = 2"])) + joiner + text
    return text


@st.composite
def bad_indexes(draw: st.DrawFn) -> Bad:
    """An IndexDefinition or UniqueConstraintDefinition that cannot be valid on its own."""
    cls = draw(st.sampled_from([IndexDefinition, UniqueConstraintDefinition]))
    kind = draw(
        st.sampled_from(
            ["name", "columns", "unique", "where"]
            if cls is IndexDefinition
            else ["name", "columns"]
        )
    )
    if kind == "name":
        bad = draw(bad_names)
        return Bad(f"{cls.__name__} name {bad!r}", _call(cls, bad, ["id"]), "name")
    if kind == "columns":
        columns = draw(bad_column_lists())
        return Bad(f"{cls.__name__} columns {columns!r}", _call(cls, "ix", columns), "columns")
    if kind == "where":
        where = draw(bad_predicates())
        return Bad(f"where={where!r}", _call(IndexDefinition, "ix", ["id"], where=where), "where")
    value = draw(non_bools)
    return Bad(f"unique={value!r}", _call(IndexDefinition, "ix", ["id"], unique=value), "unique")


# --- tables ------------------------------------------------------------------------------------


def _table(*args: Any, **kwargs: Any) -> Callable[[], object]:
    return _call(TableDefinition, *args, **kwargs)


@st.composite
def bad_tables(draw: st.DrawFn) -> Bad:
    """A TableDefinition that cannot be valid, though each of its parts may be."""
    kind = draw(
        st.sampled_from(
            [
                "name",
                "columns_type",
                "columns_empty",
                "columns_element",
                "duplicate_column",
                "items_type",
                "items_element",
                "duplicate_item",
                "missing_column",
                "predicate_column",
                "bad_column",
                "bad_index",
            ]
        )
    )
    names = draw(st.lists(ascii_names, min_size=1, max_size=4, unique_by=str.casefold))
    columns = [ID.name, *names] if "id" not in [n.casefold() for n in names] else names
    good = [ColumnDefinition(n, T.INTEGER) for n in columns]
    field = draw(st.sampled_from(["indexes", "unique_constraints"]))
    cls = IndexDefinition if field == "indexes" else UniqueConstraintDefinition
    if kind == "name":
        bad = draw(bad_names)
        return Bad(f"table name {bad!r}", _table(bad, good), "name")
    if kind == "columns_type":
        bad = draw(
            st.one_of(
                st.text(max_size=5),
                st.none(),
                st.integers(),
                st.just(ID),
                st.builds(set, st.just(good)),
                st.builds(frozenset, st.just(good)),
            )
        )
        return Bad(f"columns {bad!r}", _table("t", bad), "columns")
    if kind == "columns_empty":
        return Bad("no columns", _table("t", draw(st.sampled_from([[], ()]))), "columns")
    if kind == "columns_element":
        position = draw(st.integers(0, len(good)))
        element = draw(
            st.one_of(
                st.text(max_size=4),
                st.none(),
                st.integers(),
                st.just(IndexDefinition("i", ["id"])),
                st.just(("id", T.UUID)),
            )
        )
        return Bad(
            f"column {element!r}",
            _table("t", [*good[:position], element, *good[position:]]),
            "columns",
        )
    if kind == "duplicate_column":
        twin = draw(st.sampled_from(columns))
        twin = "".join(c.upper() if draw(st.booleans()) else c for c in twin)
        data_type = draw(st.sampled_from(ALONE))
        return Bad(
            f"duplicate column {twin!r}",
            _table("t", [*good, ColumnDefinition(twin, data_type)]),
            "name",
        )
    if kind == "items_type":
        bad = draw(
            st.one_of(
                st.text(min_size=1, max_size=4),
                st.none(),
                st.integers(),
                st.just(cls("ix", [columns[0]])),
                st.builds(lambda c: {c}, st.just(cls("ix", [columns[0]]))),
            )
        )
        return Bad(f"{field}={bad!r}", _table("t", good, **{field: bad}), field)
    if kind == "items_element":
        element = draw(
            st.one_of(
                st.text(max_size=4),
                st.none(),
                st.just(ID),
                st.just(("ix", [columns[0]])),
                st.just(
                    (UniqueConstraintDefinition if cls is IndexDefinition else IndexDefinition)(
                        "ix", [columns[0]]
                    )
                ),
            )
        )
        return Bad(f"{field} element {element!r}", _table("t", good, **{field: [element]}), field)
    if kind == "duplicate_item":
        # Index and constraint names share one namespace per table, compared without case.
        first_field = draw(st.sampled_from(["indexes", "unique_constraints"]))
        first_cls = IndexDefinition if first_field == "indexes" else UniqueConstraintDefinition
        name = draw(ascii_names)
        twin = "".join(c.upper() if draw(st.booleans()) else c for c in name)
        items: dict[str, list[object]] = {"indexes": [], "unique_constraints": []}
        items[first_field].append(first_cls(name, [columns[0]]))
        items[field].append(cls(twin, [columns[-1]]))
        # The table checks indexes first, so the second of the two names is the one refused.
        second = "indexes" if first_field == field == "indexes" else "unique_constraints"
        return Bad(f"duplicate {field} name {twin!r}", _table("t", good, **items), second)
    if kind == "missing_column":
        missing = draw(
            ascii_names.filter(lambda n: n.casefold() not in [c.casefold() for c in columns])
        )
        return Bad(
            f"{field} on missing column {missing!r}",
            _table("t", good, **{field: [cls("ix", [columns[0], missing])]}),
            field,
        )
    if kind == "predicate_column":
        missing = draw(
            ascii_names.filter(lambda n: n.casefold() not in [c.casefold() for c in columns])
        )
        where = draw(
            st.sampled_from([f"{missing} IS NULL", f'"{missing}" = 1', f"{columns[0]} < {missing}"])
        )
        return Bad(
            f"predicate naming missing column {missing!r}",
            _table("t", good, indexes=[IndexDefinition("ix", [columns[0]], where=where)]),
            "indexes",
        )
    inner = draw(bad_columns() if kind == "bad_column" else bad_indexes())
    if kind == "bad_column":
        return Bad(
            f"table with {inner.what}",
            lambda: TableDefinition("t", [*good, inner.build()]),
            inner.field,
        )
    return Bad(
        f"table with {inner.what}",
        lambda: TableDefinition("t", good, indexes=[inner.build()]),
        inner.field,
    )


# --- configurations ----------------------------------------------------------------------------

TABLE = TableDefinition("t", [ID])


@st.composite
def bad_configurations(draw: st.DrawFn) -> Bad:
    """A SchemaConfiguration that cannot be valid."""
    kind = draw(
        st.sampled_from(
            ["prefix", "schema", "verbatim", "tables", "tables_element", "duplicate", "options"]
        )
    )
    if kind == "prefix":
        prefix = draw(
            st.one_of(
                non_strings,
                bad_name_strings().filter(lambda s: s != "" and s.strip() != ""),
                st.lists(unicode_spaces, min_size=1, max_size=3).map("".join),
            )
        )
        return Bad(f"prefix {prefix!r}", _call(SchemaConfiguration, prefix=prefix), "prefix")
    if kind == "schema":
        schema = draw(bad_names.filter(lambda v: v is not None))
        return Bad(f"schema {schema!r}", _call(SchemaConfiguration, schema=schema), "schema")
    if kind == "verbatim":
        value = draw(non_bools)
        return Bad(
            f"verbatim_names={value!r}",
            _call(SchemaConfiguration, verbatim_names=value),
            "verbatim_names",
        )
    if kind == "tables":
        tables = draw(
            st.one_of(
                st.text(max_size=4),
                st.none(),
                st.integers(),
                st.just(TABLE),
                st.just({TABLE}),
                st.just({"t": TABLE}),
            )
        )
        return Bad(f"tables={tables!r}", _call(SchemaConfiguration, tables=tables), "tables")
    if kind == "tables_element":
        element = draw(
            st.one_of(st.text(max_size=4), st.none(), st.integers(), st.just(ID), st.just([TABLE]))
        )
        return Bad(
            f"tables element {element!r}",
            _call(SchemaConfiguration, tables=[TABLE, element]),
            "tables",
        )
    if kind == "duplicate":
        name = draw(ascii_names)
        twin = "".join(c.upper() if draw(st.booleans()) else c for c in name)
        return Bad(
            f"two tables {name!r} and {twin!r}",
            _call(
                SchemaConfiguration,
                tables=[TableDefinition(name, [ID]), TableDefinition(twin, [ID])],
            ),
            "tables",
        )
    options = draw(
        st.one_of(
            non_strings,
            st.just({1: {}}),
            st.just({"sqlite": "uuid=blob"}),
            st.just({"sqlite": {"uuid": "blob", 2: "x"}}),
            st.just({"sqlite": {"uuid": ["blob"]}}),
            st.just({"sqlite": {"uuid": {"blob": 1}}}),
        )
    )
    return Bad(
        f"dialect_options={options!r}",
        _call(SchemaConfiguration, dialect_options=options),
        "dialect_options",
    )


# --- what only rendering can tell --------------------------------------------------------------

#: dialect -> (limit, whether it counts UTF-8 bytes, else characters as UTF-16 counts them)
NAME_LIMITS = {"postgres": (63, True), "sqlserver": (128, False), "mysql": (64, False)}


def _render(dialect: str, configuration: SchemaConfiguration) -> Callable[[], object]:
    return lambda: get_dialect(dialect).render(configuration)


@st.composite
def bad_for_a_dialect(draw: st.DrawFn) -> Bad:
    """A valid definition one dialect cannot render: it must raise, never return SQL."""
    kind = draw(
        st.sampled_from(["long_name", "collision", "varchar", "wide_default", "columns", "option"])
    )
    if kind == "long_name":
        dialect = draw(st.sampled_from(sorted(NAME_LIMITS)))
        limit, in_bytes = NAME_LIMITS[dialect]
        alphabet = st.sampled_from(
            "abcxyz_éß€" + ("" if dialect == "mysql" else "\U0001f600\U0001d518")
        )
        name = draw(st.text(alphabet, min_size=1, max_size=limit + 8))
        size = len(name.encode("utf-8" if in_bytes else "utf-16-le")) // (1 if in_bytes else 2)
        pad = "x" * max(0, limit + 1 - size)
        name = name + pad
        where = draw(st.sampled_from(["table", "column", "index", "prefix"]))
        prefix = ""
        if where == "table":
            table = TableDefinition(name, [ID])
        elif where == "column":
            table = TableDefinition("t", [ID, ColumnDefinition(name, T.INTEGER)])
        elif where == "index":
            table = TableDefinition("t", [ID], indexes=[IndexDefinition(name, ["id"])])
        else:
            table, prefix = TABLE, name
        configuration = SchemaConfiguration(prefix=prefix, tables=[table])
        return Bad(
            f"{where} name of {len(name)} characters on {dialect}",
            _render(dialect, configuration),
            "name",
            IdentifierError,
        )
    if kind == "collision":
        dialect = draw(st.sampled_from([*sorted(NAME_LIMITS), "sqlite"]))
        prefix = draw(st.sampled_from(["", "wh_", "app_"]))
        name = draw(ascii_names)
        twin = "".join(c.upper() if draw(st.booleans()) else c for c in name)
        shape = draw(st.sampled_from(["pkey", "table", "other_table", "verbatim"]))
        if shape == "pkey":  # an index named like the table's primary key constraint
            index = IndexDefinition(f"{twin}_pkey", ["id"])
            tables = [TableDefinition(name, [ID], indexes=[index])]
        elif shape == "table":  # an index named like another table
            tables = [
                TableDefinition(name, [ID]),
                TableDefinition(f"{name}_2", [ID], indexes=[IndexDefinition(twin, ["id"])]),
            ]
        else:  # the same index name on two tables
            tables = [
                TableDefinition("t1", [ID], indexes=[IndexDefinition(name, ["id"])]),
                TableDefinition("t2", [ID], indexes=[IndexDefinition(twin, ["id"])]),
            ]
        configuration = SchemaConfiguration(
            prefix=prefix, tables=tables, verbatim_names=shape == "verbatim"
        )
        return Bad(
            f"{shape} collision of {name!r} on {dialect}", _render(dialect, configuration), "name"
        )
    if kind == "wide_default":  # fits max_length in characters, not NVARCHAR's UTF-16 units
        wide = draw(st.integers(1, 6))
        narrow = draw(st.integers(0, 6))
        length = draw(st.integers(wide + narrow, 2 * wide + narrow - 1))
        text = "".join(draw(st.permutations("\U0001f600" * wide + "a" * narrow)))
        column = ColumnDefinition(
            "s", T.STRING, max_length=length, default=DefaultValue.string(text)
        )
        return Bad(
            f"{wide} wide characters in a default for NVARCHAR({length})",
            _render("sqlserver", SchemaConfiguration(tables=[TableDefinition("t", [column])])),
            "default",
            UnsupportedFeatureError,
        )
    if kind == "varchar":
        length = draw(st.integers(10_485_761, 10**40))
        table = TableDefinition("t", [ID, ColumnDefinition("s", T.STRING, max_length=length)])
        return Bad(
            f"VARCHAR({length}) on postgres",
            _render("postgres", SchemaConfiguration(tables=[table])),
            "max_length",
            UnsupportedFeatureError,
        )
    if kind == "columns":
        dialect, limit = draw(
            st.sampled_from([("postgres", 1600), ("sqlserver", 1024), ("sqlite", 2000)])
        )
        count = draw(st.integers(limit + 1, limit + 3))
        table = TableDefinition("t", [ColumnDefinition(f"c{i}", T.INTEGER) for i in range(count)])
        return Bad(
            f"{count} columns on {dialect}",
            _render(dialect, SchemaConfiguration(tables=[table])),
            "columns",
            UnsupportedFeatureError,
        )
    dialect = draw(st.sampled_from(["sqlite", "postgres", "sqlserver", "mysql"]))
    info = get_dialect(dialect).info
    known = [o.name for o in info.options]
    key = draw(st.one_of(st.sampled_from(known), ascii_names)) if known else draw(ascii_names)
    value = draw(st.one_of(st.text(max_size=6), st.integers(), st.booleans(), st.none()))
    option = next((o for o in info.options if o.name == key), None)
    if option is not None:
        try:
            option.check(dialect, value)
        except OptionError:
            pass
        else:
            value = ["not", "an", "option value"]  # unhashable: refused when configured
    configuration = lambda: SchemaConfiguration(  # noqa: E731
        tables=[TABLE], dialect_options={dialect: {key: value}}
    )
    if isinstance(value, list):
        return Bad(f"{dialect} option {key}={value!r}", configuration, "dialect_options")
    return Bad(
        f"{dialect} option {key}={value!r}",
        lambda: get_dialect(dialect).render(configuration()),
        None,
        OptionError,
        repr(key),
    )


#: Every kind of bad input.
bad_inputs: st.SearchStrategy[Bad] = st.one_of(
    bad_columns(),
    bad_defaults(),
    bad_indexes(),
    bad_tables(),
    bad_configurations(),
    bad_for_a_dialect(),
)
