"""Regressions: bad input that once escaped as the wrong exception, or as wrong SQL.

Each test names, in one comment line, what used to go wrong. The property tests in
``tests/properties/test_prop_invalid.py`` found most of them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    DefinitionError,
    DialectNotFoundError,
    IdentifierError,
    IndexDefinition,
    OptionError,
    SchemaConfiguration,
    TableDefinition,
    UniqueConstraintDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    apply_schema,
    canonical_predicate,
    connect,
    diff_schema,
    get_dialect,
)
from whizbang_schema.cli import main

T = WhizbangDataType
ID = ColumnDefinition("id", T.UUID, primary_key=True)


def where_error(predicate: str) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        IndexDefinition("i", ["a"], where=predicate)
    assert caught.value.field == "where"
    return caught.value


# --- predicates ------------------------------------------------------------------------------


def test_non_ascii_digits_are_not_numbers() -> None:
    # '٣' and '²' passed str.isdigit and were emitted as numbers, which no engine reads.
    assert "'٣'" in str(where_error("a = \u0663"))
    assert "'²'" in str(where_error("a = \u00b2"))
    assert "'٣'" in str(where_error("a = 1\u0663"))


def test_unicode_white_space_is_not_a_separator() -> None:
    # U+00A0 and U+001C passed str.isspace and were taken as white space between tokens.
    assert "U+00A0" in str(where_error("a\u00a0= 1"))
    assert "U+001C" in str(where_error("a =\x1c1"))
    IndexDefinition("i", ["a"], where="a\t=\n1\r\fAND\va = 2")  # ASCII white space is fine


def test_sql_server_only_comparisons_are_refused() -> None:
    # '!<' and '!>' were accepted and rendered for PostgreSQL and SQLite, which refuse them.
    assert "'>='" in str(where_error("a !< 1"))
    assert "'<='" in str(where_error("a !> 1"))


def test_engines_spelling_of_not_less_still_reads_back() -> None:
    # (kept working by the fix above) a catalog printing '!<' still compares equal to '>='.
    assert canonical_predicate("[a] !< (1)") == canonical_predicate("a >= 1")


@pytest.mark.parametrize(
    "predicate",
    ["(" * 5000 + "a = 1" + ")" * 5000, "NOT " * 5000 + "a = 1", "a = " + "- " * 5000 + "1"],
    ids=["parentheses", "not", "unary minus"],
)
def test_deep_nesting_is_refused_not_a_recursion_error(predicate: str) -> None:
    # Deeply nested predicates raised RecursionError from the parser.
    assert "levels deep" in str(where_error(predicate))


def test_long_operator_chains_are_refused() -> None:
    # 'a + a + ... ' with thousands of terms parsed, then broke canonical_predicate's printer.
    assert "levels deep" in str(where_error("a = " + " + ".join(["1"] * 3000)))
    assert "levels deep" in str(where_error(" AND ".join(["a = 1"] * 3000)))
    IndexDefinition("i", ["a"], where="a IN (" + ", ".join(["1"] * 3000) + ")")  # flat: fine


def test_lone_surrogate_in_a_predicate_is_refused() -> None:
    # A lone surrogate in a string literal was accepted; encoding the DDL then failed.
    assert "U+D800" in str(where_error("a = '\ud800'"))


# --- names, defaults, configuration ------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: ColumnDefinition("a\udc80", T.INTEGER), "name"),
        (lambda: TableDefinition("t\ud800", [ID]), "name"),
        (lambda: IndexDefinition("i\ud800", ["id"]), "name"),
        (lambda: UniqueConstraintDefinition("u\ud800", ["id"]), "name"),
        (lambda: IndexDefinition("i", ["id\ud800"]), "columns"),
        (lambda: DefaultValue.string("x\udfff"), "default"),
        (lambda: SchemaConfiguration(prefix="p\ud800_"), "prefix"),
        (lambda: SchemaConfiguration(schema="s\ud800"), "schema"),
    ],
    ids=["column", "table", "index", "constraint", "index column", "default", "prefix", "schema"],
)
def test_lone_surrogates_are_refused_at_construction(build: object, field: str) -> None:
    # Lone surrogates were accepted; rendering for PostgreSQL or executing then raised
    # UnicodeEncodeError instead of a SchemaError.
    with pytest.raises(DefinitionError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field and "surrogate" in str(caught.value)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: IndexDefinition("i", {"a", "b"}), "columns"),
        (lambda: UniqueConstraintDefinition("u", {"a": 1}), "columns"),
        (lambda: TableDefinition("t", {ID}), "columns"),
        (lambda: TableDefinition("t", [ID], indexes={IndexDefinition("i", ["id"])}), "indexes"),
        (lambda: SchemaConfiguration(tables=frozenset({TableDefinition("t", [ID])})), "tables"),
    ],
    ids=["index set", "constraint dict", "column set", "index set on table", "table set"],
)
def test_unordered_collections_are_refused(build: object, field: str) -> None:
    # Sets were turned into tuples in hash order, so the DDL changed from run to run.
    with pytest.raises(DefinitionError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field


def test_dialect_options_with_odd_keys_or_values() -> None:
    # A non-str option name beside a str one raised TypeError while sorting; an unhashable
    # value raised TypeError when the configuration was hashed (or rendered).
    for options in ({"sqlite": {"uuid": "blob", 2: 3}}, {"sqlite": {"uuid": ["blob"]}}):
        with pytest.raises(DefinitionError) as caught:
            SchemaConfiguration(dialect_options=options)  # type: ignore[arg-type]
        assert caught.value.field == "dialect_options"


def test_generate_full_schema_with_neither_name_nor_generator() -> None:
    # generate_full_schema(123) raised a bare TypeError, outside the SchemaError family.
    with pytest.raises(DialectNotFoundError, match="generate_create_table"):
        SchemaConfiguration().generate_full_schema(123)  # type: ignore[arg-type]


def test_get_dialect_with_an_unhashable_name() -> None:
    # get_dialect(["sqlite"]) raised TypeError (unhashable list) from a dict lookup.
    with pytest.raises(DialectNotFoundError):
        get_dialect(["sqlite"])  # type: ignore[arg-type]


def test_sql_server_counts_name_length_in_utf16_units() -> None:
    # A 100-emoji name passed the 128-character check, but nvarchar(128) holds 128 UTF-16
    # code units and each emoji takes two: SQL Server would refuse the DDL.
    table = TableDefinition("\U0001f600" * 70, [ColumnDefinition("id", T.UUID)])
    with pytest.raises(IdentifierError, match="counts two"):
        get_dialect("sqlserver").generate_create_table(table, "")
    get_dialect("sqlserver").generate_create_table(
        TableDefinition("\U0001f600" * 64, [ColumnDefinition("id", T.UUID)]), ""
    )


def test_sql_server_string_default_must_fit_in_utf16_units() -> None:
    # A default of three emoji on max_length=3 was rendered as NVARCHAR(3) DEFAULT N'...',
    # but NVARCHAR(3) holds three UTF-16 code units: every row taking the default would fail.
    column = ColumnDefinition(
        "s", T.STRING, max_length=3, default=DefaultValue.string("\U0001f600" * 3)
    )
    with pytest.raises(UnsupportedFeatureError) as caught:
        get_dialect("sqlserver").generate_create_table(TableDefinition("t", [column]), "")
    assert caught.value.field == "default"


def test_backslash_in_a_predicate_string_is_kept_and_runs(tmp_path: Path) -> None:
    # (checked, not a defect) a backslash inside a literal is an ordinary character there.
    table = TableDefinition(
        "t",
        [ID, ColumnDefinition("a", T.STRING)],
        indexes=[IndexDefinition("i", ["a"], where="a <> '\\'")],
    )
    apply_schema(str(tmp_path / "x.db"), SchemaConfiguration(tables=[table]))
    with sqlite3.connect(tmp_path / "x.db") as db:
        (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'wh_i'").fetchone()
    assert sql.endswith("WHERE a <> '\\'")


def test_dialect_options_as_a_tuple_that_is_not_the_frozen_form() -> None:
    # SchemaConfiguration(dialect_options=("ab",)) raised ValueError from dict() instead of
    # DefinitionError: tuples were taken for the already-frozen form without a check.
    for options in (("ab",), (1, 2), (("sqlite", 5),)):
        with pytest.raises(DefinitionError) as caught:
            SchemaConfiguration(dialect_options=options)  # type: ignore[arg-type]
        assert caught.value.field == "dialect_options"


def test_apply_that_fails_to_render_creates_no_sqlite_file(tmp_path: Path) -> None:
    # apply connected first and rendered second, so a schema SQLite refuses (here a bad
    # option) still left an empty database file behind.
    path = tmp_path / "never.db"
    with pytest.raises(OptionError):
        apply_schema(str(path), SchemaConfiguration(dialect_options={"sqlite": {"uuid": "x"}}))
    assert not path.exists()


def test_quoted_names_are_not_rewritten_when_read_back(tmp_path: Path) -> None:
    # canonical_predicate treated text inside double-quoted names as code: "a[b]" became a
    # bracketed name (DefinitionError), "p::int" lost its cast-like tail (so "p::int" and "p"
    # compared equal), and diff_schema failed or missed drift for such columns.
    assert canonical_predicate('"a[b]c" = 1') == '("a[b]c" = 1)'
    assert canonical_predicate('"p::int" = 1') != canonical_predicate('"p" = 1')
    assert canonical_predicate("[a]]b] = N'x'") == canonical_predicate("\"a]b\" = 'x'")
    table = TableDefinition(
        "t",
        [ID, ColumnDefinition("a[b]", T.STRING)],
        indexes=[IndexDefinition("i", ["id"], where='"a[b]" IS NOT NULL')],
    )
    configuration = SchemaConfiguration(tables=[table])
    apply_schema(str(tmp_path / "q.db"), configuration)
    database = connect(str(tmp_path / "q.db"), read_only=True)
    try:
        with database.transaction():
            assert not diff_schema(database, configuration).drift
    finally:
        database.close()


def test_an_in_list_inside_an_or_compares_equal_to_its_expansion() -> None:
    # 'a = 1 OR a IN (2, 3)' printed a nested OR, while SQL Server prints back one flat OR of
    # three equalities: diff would have reported drift on an unchanged index.
    assert canonical_predicate("a = 1 OR a IN (2, 3)") == canonical_predicate(
        "([a]=(1) OR [a]=(2) OR [a]=(3))"
    )


def test_unicode_escape_strings_are_refused_and_never_made() -> None:
    # U&'...' was read as a column U, '&' and a string: PostgreSQL reads a Unicode escape
    # string there. And a quoted column "u" re-spelt bare before '&' could form one.
    assert "Unicode escape" in str(where_error("a = U&'x'"))
    table = TableDefinition(
        "t",
        [ColumnDefinition("u", T.STRING)],
        indexes=[IndexDefinition("i", ["u"], where="\"u\"&'1' = '1'")],
    )
    sql = get_dialect("postgres").generate_create_table(table, "wh_")
    assert "u &'1'" in sql and "u&'" not in sql


def test_prefixed_strings_say_why_they_are_refused() -> None:
    # N'x', E'x' and X'00' were refused with "expected AND, OR or the end of the predicate".
    for predicate in ("a = N'x'", "a = E'x'", "a = X'00'"):
        assert "not portable" in str(where_error(predicate))


# --- the command line ----------------------------------------------------------------------------


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str]:
    try:
        code: object = main(argv)
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err


def test_url_without_a_scheme_is_bad_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # "apply --url garbage" took garbage for a SQLite path: it created a database file named
    # "garbage" in the current directory and exited 0.
    monkeypatch.chdir(tmp_path)
    code, err = run_main(["apply", "--url", "garbage"], capsys)
    assert code == 2 and "--url takes a URL" in err
    assert list(tmp_path.iterdir()) == []


def test_odd_exceptions_from_a_definitions_module_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A module raising a BaseException subclass (not Exception, not SystemExit) on import
    # escaped with a traceback; an iterable or module __getattr__ that raised gave "internal
    # error" (the line reserved for bugs in whizbang-schema).
    (tmp_path / "odd_import.py").write_text("class Odd(BaseException): ...\nraise Odd('x')\n")
    (tmp_path / "odd_values.py").write_text(
        "class Bad:\n    def __iter__(self):\n        raise RuntimeError('iter')\nBAD = Bad()\n"
        "def __getattr__(name):\n    raise RuntimeError('getattr')\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for spec, says in (
        ("odd_import:X", "Odd: x"),
        ("odd_values:BAD", "RuntimeError: iter"),
        ("odd_values:LAZY", "RuntimeError: getattr"),
    ):
        code, err = run_main(["render", "--dialect", "sqlite", "--definitions", spec], capsys)
        assert code == 2 and err.startswith("whizbang-schema: error: ") and says in err, err
        assert err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["render", "--dialect", "sqlite", "-o", "out\x00.sql"],
        ["apply", "--database", "x\x00.db"],
        ["apply", "--url", "sqlite:///x\x00.db"],
        ["apply", "--url", "mysql://root@[::1/x"],
        ["apply", "--url", "mssql://sa@[::1/x"],
    ],
    ids=["NUL in -o", "NUL in --database", "NUL in a sqlite URL", "mysql [::1", "mssql [::1"],
)
def test_unusable_paths_and_urls_are_errors_not_internal_errors(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A NUL in a file name, or an unclosed IPv6 bracket in a MySQL or SQL Server URL, raised
    # ValueError, reported as "internal error" instead of an error line.
    monkeypatch.chdir(tmp_path)
    code, err = run_main(argv, capsys)
    assert code == 2 and err.startswith("whizbang-schema: error: "), err


def test_a_database_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    # A file name whose bytes are not UTF-8 (argv gives it as '\udcff') opened for writing but
    # not read-only (building the file: URI raised UnicodeEncodeError), and printing it back
    # raised UnicodeEncodeError where stdout is strict UTF-8, as in a UTF-8 locale.
    script = Path(sys.executable).parent / "whizbang-schema"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    for command in ("apply", "check", "diff"):
        out = subprocess.run(
            [os.fsencode(script), command.encode(), b"--database", b"\xff.db"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        assert b"\xff.db (sqlite)" in out.stdout
