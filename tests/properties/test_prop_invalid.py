"""Properties of bad definitions: refused with a SchemaError naming the field, before any SQL.

Every strategy in :mod:`tests.properties.invalid` draws input that cannot be valid. Building it
(or, for limits that depend on the dialect, rendering it) must raise a
:class:`~whizbang_schema.SchemaError` subclass whose message names the offending field, never
return SQL and never raise anything else (a TypeError or UnicodeEncodeError is a defect). And
``apply`` on a live SQLite database must leave it as it was.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.properties.invalid import (
    ID,
    Bad,
    bad_columns,
    bad_configurations,
    bad_defaults,
    bad_for_a_dialect,
    bad_indexes,
    bad_inputs,
    bad_tables,
)
from whizbang_schema import (
    ColumnDefinition,
    DefinitionError,
    IndexDefinition,
    SchemaConfiguration,
    SchemaError,
    TableDefinition,
    WhizbangDataType,
    apply_schema,
)


def assert_refused(bad: Bad) -> SchemaError:
    try:
        result = bad.build()
    except SchemaError as exc:
        error = exc
    else:
        pytest.fail(f"{bad.what}: accepted; returned {result!r:.300}")
    assert isinstance(error, bad.expected), f"{bad.what}: {type(error).__name__}: {error}"
    message = str(error)
    assert message.strip(), bad.what
    if isinstance(error, DefinitionError) and bad.field is not None:
        assert error.field == bad.field, f"{bad.what}: field {error.field!r}: {error}"
        assert f"field {bad.field!r}" in message, f"{bad.what}: {message}"
    if bad.mentions:
        assert bad.mentions in message, f"{bad.what}: {message}"
    return error


@given(bad_columns())
def test_bad_columns_are_refused_naming_the_field(bad: Bad) -> None:
    assert_refused(bad)


@given(bad_defaults())
def test_bad_defaults_are_refused_naming_the_field(bad: Bad) -> None:
    assert_refused(bad)


@given(bad_indexes())
def test_bad_indexes_and_constraints_are_refused_naming_the_field(bad: Bad) -> None:
    assert_refused(bad)


@given(bad_tables())
def test_bad_tables_are_refused_naming_the_field(bad: Bad) -> None:
    assert_refused(bad)


@given(bad_configurations())
def test_bad_configurations_are_refused_naming_the_field(bad: Bad) -> None:
    assert_refused(bad)


@given(bad_for_a_dialect())
def test_what_a_dialect_cannot_hold_raises_instead_of_rendering(bad: Bad) -> None:
    assert_refused(bad)


# --- apply on a live SQLite database -----------------------------------------------------------

T = WhizbangDataType
GOOD = (
    TableDefinition("alpha", [ID, ColumnDefinition("n", T.INTEGER)]),
    TableDefinition(
        "beta",
        [ID, ColumnDefinition("s", T.STRING, max_length=20)],
        indexes=[IndexDefinition("idx_beta_s", ["s"], where="s <> ''")],
    ),
)
TOO_WIDE_FOR_SQLITE = TableDefinition(
    "wide", [ColumnDefinition(f"c{i}", T.INTEGER) for i in range(2001)]
)


@st.composite
def bad_schemas(draw: st.DrawFn) -> tuple[str, Callable[[], SchemaConfiguration]]:
    """A configuration, good tables and one bad part, as a function that builds it."""
    position = draw(st.integers(0, len(GOOD)))
    kind = draw(st.sampled_from(["construction", "too_wide", "option"]))
    if kind == "too_wide":
        tables = [*GOOD[:position], TOO_WIDE_FOR_SQLITE, *GOOD[position:]]
        return "2,001 columns", lambda: SchemaConfiguration(tables=tables)
    if kind == "option":
        options = draw(
            st.sampled_from(
                [{"uuid": "binary"}, {"strict": "yes"}, {"colour": "red"}, {"uuid": 16}]
            )
        )
        return f"sqlite options {options}", lambda: SchemaConfiguration(
            tables=GOOD, dialect_options={"sqlite": options}
        )
    bad = draw(st.one_of(bad_columns(), bad_indexes(), bad_tables()))

    def build() -> SchemaConfiguration:
        part = bad.build()  # raises
        table = part if isinstance(part, TableDefinition) else TableDefinition("bad", [ID])
        return SchemaConfiguration(tables=[*GOOD[:position], table, *GOOD[position:]])

    return bad.what, build


def _catalog(path: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


@given(bad_schemas(), st.booleans())
def test_apply_to_sqlite_leaves_the_database_untouched(
    bad: tuple[str, Callable[[], SchemaConfiguration]], exists: bool
) -> None:
    what, build = bad
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "live.db"
        if exists:
            with sqlite3.connect(path) as db:
                db.execute("CREATE TABLE sentinel (x INTEGER)")
            before = _catalog(path)
        with pytest.raises(SchemaError):
            apply_schema(str(path), build())
        if exists:
            assert _catalog(path) == before, what
        else:
            assert not path.exists(), f"{what}: a database file was created"


@given(bad_inputs)
def test_any_bad_input_is_a_schema_error(bad: Bad) -> None:
    # All the kinds at once, so the thorough profile also tries them in one mixed stream.
    assert_refused(bad)
