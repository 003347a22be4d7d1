"""Properties of partial-index predicates at their trust boundary.

A ``where`` predicate is SQL written by the developer (see :mod:`whizbang_schema.predicate`).
Outside string literals and quoted names, a statement separator, a comment, unbalanced
parentheses or quotes, or a character no engine reads the same way is refused with a
``DefinitionError`` whose field is ``where``. Inside literals and quoted names the very same
characters are data: accepted, rendered unchanged, run by SQLite as written, and read back
without drift.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whizbang_schema import (
    ColumnDefinition,
    DefinitionError,
    IndexDefinition,
    SchemaConfiguration,
    TableDefinition,
    WhizbangDataType,
    apply_schema,
    canonical_predicate,
    connect,
    diff_schema,
    get_dialect,
)
from whizbang_schema.model.definitions import check_name

T = WhizbangDataType

#: Characters that mean something outside a literal, and a few that no engine reads as code.
TRICKY = list(";-/*()'\"#[]$`\\!<>^&|%.,=:?@{}\u00a0\u0663\u00b2\u2028\t\n ")
literal_text = st.text(
    st.one_of(st.sampled_from(TRICKY), st.characters(codec="utf-8", exclude_characters="\x00")),
    max_size=12,
)
odd_names = (
    st.text(
        st.one_of(st.sampled_from(TRICKY), st.characters(codec="utf-8", exclude_characters="\x00")),
        min_size=1,
        max_size=10,
    )
    .filter(lambda name: check_name(name, what="column") is None)
    .filter(lambda name: name.casefold() not in ("id", "n"))
)


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@st.composite
def predicates(draw: st.DrawFn) -> tuple[str, list[str], list[str], str]:
    """A valid predicate over columns ``n`` (INTEGER) and an oddly named STRING column, as
    (column name, tokens, literals used); the tokens joined by spaces are the predicate."""
    name = draw(odd_names)
    column = quoted(name)
    literals: list[str] = []
    conditions: list[list[str]] = []
    for _ in range(draw(st.integers(1, 3))):
        shape = draw(st.sampled_from(["eq", "like", "in", "null", "num", "paren"]))
        if shape in ("eq", "like", "paren"):
            text = literal(draw(literal_text))
            literals.append(text)
            op = {"eq": "=", "like": "LIKE", "paren": "<>"}[shape]
            tokens = [column, op, text]
            conditions.append(["(", *tokens, ")"] if shape == "paren" else tokens)
        elif shape == "in":
            items = [literal(draw(literal_text)) for _ in range(draw(st.integers(1, 3)))]
            literals.extend(items)
            listed = [part for item in items for part in (item, ",")][:-1]
            conditions.append([column, "IN", "(", *listed, ")"])
        elif shape == "null":
            conditions.append([column, "IS", "NOT", "NULL"])
        else:
            conditions.append(["n", draw(st.sampled_from(["=", "<", ">=", "<>"])), "3"])
    tokens = conditions[0]
    for condition in conditions[1:]:
        tokens = [*tokens, draw(st.sampled_from(["AND", "OR"])), *condition]
    return name, tokens, literals, " ".join(tokens)


def table_for(name: str, where: str) -> TableDefinition:
    return TableDefinition(
        "t",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition("n", T.INTEGER),
            ColumnDefinition(name, T.STRING),
        ],
        indexes=[IndexDefinition("idx_t_p", ["n"], where=where)],
    )


@given(predicates())
def test_tricky_characters_inside_literals_and_names_are_data(
    drawn: tuple[str, list[str], list[str], str],
) -> None:
    name, _, literals, where = drawn
    table = table_for(name, where)
    for dialect in ("postgres", "sqlite"):
        sql = get_dialect(dialect).generate_create_table(table, "wh_")
        for text in literals:
            assert text in sql, (dialect, text, sql)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "p.db"
        configuration = SchemaConfiguration(tables=[table])
        apply_schema(str(path), configuration)
        with sqlite3.connect(path) as db:
            (stored,) = db.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'wh_idx_t_p'"
            ).fetchone()
        for text in literals:
            assert text in stored
        database = connect(str(path), read_only=True)
        try:
            with database.transaction():
                result = diff_schema(database, configuration)
        finally:
            database.close()
        assert not result.drift, [str(d) for d in result.drift]
    assert canonical_predicate(canonical_predicate(where)) == canonical_predicate(where)


#: Fragments refused wherever they stand outside a literal, with what the message must say.
OUTSIDE = [
    (";", "statement separator"),
    ("--", "comment"),
    ("/*", "comment"),
    ("(", "unbalanced parentheses"),
    (")", "unbalanced parentheses"),
    ("#", "unexpected character '#'"),
    ("[", "unexpected character '['"),
    ("]", "unexpected character ']'"),
    ("`", "unexpected character '`'"),
    ("$$", "unexpected character '$'"),
    ("\\", "unexpected character"),
    ("{", "unexpected character"),
    ("?", "unexpected character"),
    (":", "unexpected character"),
    ("@", "unexpected character"),
    ("!<", "not portable"),
    ("!>", "not portable"),
    ("^", "not portable"),
    ("\u0663", "unexpected character"),
    ("\u00b2", "unexpected character"),
    ("\u00a0", "not white space"),
    ("\u2028", "not white space"),
    ("\x1c", "not white space"),
    ("\ud800", "surrogate"),
]


@given(predicates(), st.sampled_from(OUTSIDE), st.data())
def test_dangerous_characters_outside_literals_are_refused(
    drawn: tuple[str, list[str], list[str], str], fragment: tuple[str, str], data: st.DataObject
) -> None:
    name, tokens, _, _ = drawn
    text, says = fragment
    position = data.draw(st.integers(0, len(tokens)), label="position")
    glued = data.draw(st.booleans(), label="glued")  # "a;" as well as "a ; b"
    # '$' and letter-like digits continue a name ("n$", "n٣" are names), so those stand apart.
    joiner = "" if glued and text not in ("$$", "\u0663", "\u00b2") else " "
    where = " ".join(tokens[:position]) + joiner + text + joiner + " ".join(tokens[position:])
    with pytest.raises(DefinitionError) as caught:
        table_for(name, where)
    assert caught.value.field == "where", str(caught.value)
    assert says in caught.value.reason, (where, str(caught.value))


@given(predicates(), st.sampled_from(["'", '"']), st.data())
def test_a_lone_quote_outside_literals_is_refused(
    drawn: tuple[str, list[str], list[str], str], quote: str, data: st.DataObject
) -> None:
    # A stray quote changes where every later literal begins and ends, so the message may be
    # about the quote or about what it made of the rest; it is always a refusal of 'where'.
    name, tokens, _, _ = drawn
    position = data.draw(st.integers(0, len(tokens)), label="position")
    where = " ".join([*tokens[:position], quote, *tokens[position:]])
    with pytest.raises(DefinitionError) as caught:
        table_for(name, where)
    assert caught.value.field == "where", str(caught.value)


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("n = N'x'", "not portable"),
        ("n = E'x'", "not portable"),
        ("n = X'00'", "not portable"),
        ("n = U&'x'", "Unicode escape"),
        ('U&"n" = 1', "Unicode escape"),
        ("n = $$x$$", "unexpected character '$'"),
        ("n = $1", "unexpected character '$'"),
        ('n = "', "unbalanced quote"),
        ("n = '", "unbalanced quote"),
        ('"" = 1', "empty quoted name"),
        ("[n] = 1", "unexpected character '['"),
        ("n = 1 # comment", "unexpected character '#'"),
        ("n = 1; DROP TABLE t", "statement separator"),
        ("n = 1 -- comment", "comment"),
        ("n = 1 /* comment */", "comment"),
        ("(n = 1", "never closed"),
        ("n = 1)", "closes nothing"),
        ("n = \u0663", "unexpected character"),
        ("n\u00a0= 1", "not white space"),
        ("n !< 1", "'>='"),
        ("n !> 1", "'<='"),
    ],
)
def test_known_suspects(where: str, says: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        table_for("s", where)
    assert caught.value.field == "where"
    assert says in caught.value.reason


@pytest.mark.parametrize(
    "where",
    [
        "s = 'a''b'",  # a doubled quote inside a literal
        "s = '\\'",  # a backslash is an ordinary character in a portable literal
        "s = 'x; DROP TABLE t; --'",
        "s = '/* not a comment */'",
        "s = '(('",
        "s = '\"'",
        "s = '#[]$$`'",
        "s = '\u0663\u00a0\u00b2'",
        "s <> '' AND n >= 1",
    ],
)
def test_the_same_characters_inside_literals_are_kept(where: str) -> None:
    table = table_for("s", where)
    sql = get_dialect("sqlite").generate_create_table(table, "wh_")
    assert where.split(" ", 2)[2] in sql
    db = sqlite3.connect(":memory:")
    db.executescript(sql)


@pytest.mark.parametrize("name", ['a"b', 'x""y', "a[b]c", "p::int", "q~~r", "s!<t", "u`v`", "w;--"])
def test_the_same_characters_inside_quoted_names_are_kept(name: str) -> None:
    table = table_for(name, f"{quoted(name)} IS NOT NULL")
    for dialect in ("postgres", "sqlite", "sqlserver"):
        sql = get_dialect(dialect).generate_create_table(table, "wh_")
        spelled = get_dialect(dialect).context(SchemaConfiguration()).quote(name)
        assert spelled in sql.rsplit("WHERE", 1)[1], (dialect, sql)
    sqlite3.connect(":memory:").executescript(
        get_dialect("sqlite").generate_create_table(table, "wh_")
    )
