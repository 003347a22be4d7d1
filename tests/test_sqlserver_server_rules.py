"""What a real SQL Server rejects that the grammar and the earlier rule checks let through
(issue 15), one test or more per item, each citing the documentation page it follows.

SQL Server cannot run here: these hold the rendered text to :mod:`whizbang_schema_sqlserver.rules`
and sqlfluff's T-SQL grammar; ``test_sqlserver_live.py`` runs the same on a real server where a
Docker engine answers.
"""

from __future__ import annotations

import uuid
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlfluff

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    DefaultValueFunction,
    DefinitionError,
    DegradedRenderWarning,
    IndexDefinition,
    IntegerDefault,
    SchemaConfiguration,
    Statement,
    StatementKind,
    TableDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    get_dialect,
    render_script,
)
from whizbang_schema.live.diff import diff_tables
from whizbang_schema.live.migrate import plan_migration
from whizbang_schema_sqlserver.batches import SESSION_OPTIONS, batch_script
from whizbang_schema_sqlserver.catalog import (
    UNREADABLE_FILTER,
    parse_decimal_integer,
    prefix_pattern,
    read_indexes,
)
from whizbang_schema_sqlserver.keywords import RESERVED_WORDS
from whizbang_schema_sqlserver.rules import check_script, check_statements

T = WhizbangDataType
MSSQL = get_dialect("sqlserver")
ID = ColumnDefinition("id", T.UUID, primary_key=True)
COLUMNS = (
    ID,
    ColumnDefinition("s", T.STRING, max_length=20),
    ColumnDefinition("n", T.INTEGER),
    ColumnDefinition("small", T.SMALL_INT),
    ColumnDefinition("b", T.BIG_INT),
    ColumnDefinition("u", T.UUID),
    ColumnDefinition("at", T.TIMESTAMP_TZ),
    ColumnDefinition("f", T.BOOLEAN),
)


def table(where: str, *, unique: bool = False) -> TableDefinition:
    return TableDefinition(
        "t", COLUMNS, indexes=[IndexDefinition("i", ("n",), unique=unique, where=where)]
    )


def statements(target: Any, **settings: Any) -> tuple[Statement, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        return MSSQL.statements(target, **settings)


def index_sql(where: str) -> str:
    return statements(table(where))[-1].sql


# -- 1. SET options and batches ("CREATE INDEX", required SET options; "sqlcmd utility") ------


def test_the_script_sets_the_options_first_and_ends_each_batch_with_go() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        script = MSSQL.render(SchemaConfiguration(schema="s"))
    assert check_script(script) == []
    body = script.split("SET NUMERIC_ROUNDABORT OFF;\nGO\n", 1)[1]
    batches = body.split("GO\n")
    assert batches[-1] == ""
    parts = statements(SchemaConfiguration(schema="s"))
    assert [b.strip() for b in batches[:-1]] == [f"{s.sql};" for s in parts]
    sqlfluff.parse(script, dialect="tsql")  # GO and the SET list are T-SQL script syntax


def test_statements_never_hold_go_and_apply_sets_the_options_itself() -> None:
    parts = statements(SchemaConfiguration())
    assert not any("GO" in s.sql.split() for s in parts)
    assert check_statements(parts) == []
    # What apply sends first on every connection (see SQLServerDialect.connect).
    for option in ("ANSI_NULLS", "ANSI_PADDING", "ANSI_WARNINGS", "ARITHABORT"):
        assert option in SESSION_OPTIONS.split("\n")[0]
    assert "CONCAT_NULL_YIELDS_NULL, QUOTED_IDENTIFIER ON" in SESSION_OPTIONS
    assert SESSION_OPTIONS.endswith("SET NUMERIC_ROUNDABORT OFF")


def test_the_rules_reject_a_script_without_the_options_or_the_separators() -> None:
    parts = statements(SchemaConfiguration())
    assert len(check_script(render_script(parts))) == 2  # the 0.1 script: no SET, no GO
    assert check_script(batch_script(parts)) == []
    glued = batch_script(parts).replace(";\nGO\nIF NOT EXISTS", ";\nIF NOT EXISTS", 1)
    assert check_script(glued) == []  # fewer batches still run; a missing SET does not
    unquoted = batch_script(parts).replace(", QUOTED_IDENTIFIER ON", " ON", 1)
    assert check_script(unquoted) != []
    go = Statement(StatementKind.CREATE_TABLE, "t", "CREATE TABLE t (a INT NULL)\nGO")
    assert any("rule 10" in p for p in check_statements([go]))


def test_a_line_reading_go_inside_a_statement_is_refused_in_the_script() -> None:
    text = ColumnDefinition("s", T.STRING, default=DefaultValue.string("a\ngo\nb"))
    odd = TableDefinition("t", [ID, text])
    assert statements(odd)  # apply sends statements, where GO is plain text
    with pytest.raises(UnsupportedFeatureError, match="reads GO"):
        MSSQL.render(odd)


# -- 2. filter constants ("Create filtered indexes", limitations; "Data type precedence") -------


@pytest.mark.parametrize(
    "where", ["s = 1", "u = 1", "n = 'x'", "n = TRUE", "f = 1", "at > 5", "s IN ('a', 2)"]
)
def test_a_constant_of_another_kind_is_refused_by_every_dialect(where: str) -> None:
    # PostgreSQL refuses these (no text = integer operator...), SQL Server converts the column.
    with pytest.raises(DefinitionError, match="predicate compares"):
        table(where)


def test_postgres_refuses_what_the_definition_now_refuses(postgres: Any) -> None:
    import psycopg

    postgres.execute("CREATE TABLE t (s text, u uuid)")
    for where in ("s = 1", "u = 1"):
        with pytest.raises(psycopg.errors.UndefinedFunction):
            postgres.execute(f"CREATE INDEX i ON t (s) WHERE {where}")


def test_an_integer_beyond_int_is_typed_as_the_column() -> None:
    # 3000000000 is a DECIMAL constant ("Constants"); CONVERT on the right side is allowed.
    assert index_sql("b > 3000000000").endswith("WHERE b > CONVERT(BIGINT, 3000000000)")
    assert index_sql("b IN (-3000000000, 2)").endswith("IN (CONVERT(BIGINT, -3000000000), 2)")
    assert index_sql("n = -2147483648").endswith("WHERE n = CONVERT(INT, -2147483648)")
    assert index_sql("b > 2147483647").endswith("WHERE b > 2147483647")


@pytest.mark.parametrize(
    ("where", "why"),
    [
        ("n > 2.5", "decimal"),
        ("small > 40000", "outside the range of SMALLINT"),
        ("u = 'not a guid'", "not a UNIQUEIDENTIFIER"),
        ("at > 'yesterday'", "not a DATETIMEOFFSET"),
    ],
)
def test_a_constant_sql_server_would_convert_the_column_for_is_not_a_filter(
    where: str, why: str
) -> None:
    with pytest.warns(DegradedRenderWarning, match=why):
        sql = MSSQL.statements(table(where))[-1].sql
    assert "WHERE" not in sql.split("CREATE")[1]  # non-unique: the index covers every row
    with pytest.raises(UnsupportedFeatureError, match=why):
        MSSQL.statements(table(where, unique=True))


def test_constants_of_the_column_type_stay_filters() -> None:
    guid = str(uuid.uuid4())
    where = f"u = '{guid}' AND at >= '2024-01-01T00:00:00+02:00' AND f = FALSE AND s = 'x'"
    sql = index_sql(where)
    assert f"u = N'{guid}'" in sql and "f = 0" in sql
    assert check_statements(statements(table(where))) == []


def test_the_rules_catch_a_constant_that_converts_the_column() -> None:
    create = statements(table("n IS NULL"))[0]
    guard = "IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_i' AND object_id = "
    guard += "OBJECT_ID(N'dbo.wh_t'))\nCREATE INDEX wh_i ON dbo.wh_t (n) WHERE "
    for where, ok in [
        ("b > 3000000000", False),
        ("b > CONVERT(BIGINT, 3000000000)", True),
        ("b > CONVERT(INT, 3000000000)", False),
        ("s = 1", False),
        ("s = N'1'", True),
        ("u = 1", False),
        ("f = 2", False),
        ("n > 2.5", False),
        ("small IN (1, 40000)", False),
    ]:
        index = Statement(StatementKind.CREATE_INDEX, "wh_i", guard + where, table="wh_t")
        problems = check_statements([create, index])
        assert (problems == []) is ok, (where, problems)


# -- 3. migrate with a missing unique-key index --------------------------------------------


def test_migrate_refuses_a_missing_unique_key_index_instead_of_failing() -> None:
    nullable_key = TableDefinition(
        "k", [ID, ColumnDefinition("code", T.STRING, max_length=10, unique=True)]
    )
    config = SchemaConfiguration(tables=[nullable_key])
    context = MSSQL.context(config)
    expected = context.expected_table(nullable_key)
    assert [i.name for i in expected.indexes] == ["wh_k_code_key"]  # the filtered stand-in
    live = attrs.evolve(expected, indexes=())
    diff = diff_tables([expected], [live])
    assert [d.kind for d in diff.drift] == ["missing_index"]
    plan = plan_migration(context, config, diff)
    assert plan.statements == ()
    assert [reason for _, reason in plan.refused] == [
        "adding a unique constraint can fail on existing rows: add it by hand"
    ]


# -- 4. BIGINT defaults beyond INT read back ("Constants": such a literal is DECIMAL) ---------


@pytest.mark.parametrize(
    ("stored", "value"),
    [("((5000000000.))", 5_000_000_000), ("((-5000000000.))", -5_000_000_000), ("((7))", 7)],
)
def test_a_bigint_default_stored_as_a_decimal_reads_back(stored: str, value: int) -> None:
    context = MSSQL.context(SchemaConfiguration())
    assert context.parse_default(stored, T.BIG_INT) == IntegerDefault(value)
    assert parse_decimal_integer("((1.5))") is None
    assert parse_decimal_integer("(N'5.')") is None


# -- 5. ALTER TABLE ... ADD with WITH VALUES ("ALTER TABLE", column_definition) ---------------


def test_an_added_nullable_column_with_a_default_fills_existing_rows() -> None:
    context = MSSQL.context(SchemaConfiguration())
    target = TableDefinition("t", COLUMNS)
    nullable = ColumnDefinition("c", T.INTEGER, default=DefaultValue.integer(3))
    (added,) = context.render_add_column(target, nullable)
    assert added.sql == (
        "ALTER TABLE dbo.wh_t ADD c INT NULL CONSTRAINT wh_t_c_default DEFAULT 3 WITH VALUES"
    )
    required = ColumnDefinition("r", T.INTEGER, nullable=False, default=DefaultValue.integer(3))
    plain = ColumnDefinition("p", T.INTEGER)
    null_default = ColumnDefinition("z", T.INTEGER, default=DefaultValue.null())
    others = [context.render_add_column(target, c)[0] for c in (required, plain, null_default)]
    assert not any("WITH VALUES" in s.sql for s in others)  # NOT NULL ones are filled anyway
    # sqlfluff's T-SQL grammar lacks WITH VALUES (documented in ALTER TABLE): the rules read it.
    assert check_statements([added, *others]) == []
    without = attrs.evolve(added, sql=added.sql.removesuffix(" WITH VALUES"))
    assert any("rule 9" in p for p in check_statements([without]))


# -- 6. the catalog's LIKE pattern ("LIKE": '[' opens a character class) -----------------------


def test_the_prefix_pattern_escapes_brackets_too() -> None:
    assert prefix_pattern("a[b]_%!") == "a![b]!_!%!!%"
    assert prefix_pattern("wh_") == "wh!_%"


# -- 7. rows over 8,060 bytes ("Maximum capacity specifications for SQL Server") -------------


def _wide(count: int, kind: WhizbangDataType = T.BIG_INT) -> TableDefinition:
    return TableDefinition("w", [ColumnDefinition(f"c{i}", kind) for i in range(count)])


def test_a_row_over_8060_bytes_is_refused() -> None:
    # 991 BIGINT: 7,928 + 2 + 124 (null bitmap) + 4 (header) = 8,058 bytes ("Estimate the size
    # of a heap"); 992: 8,066.
    assert check_statements(statements(_wide(991))) == []
    with pytest.raises(UnsupportedFeatureError, match="8066 bytes"):
        MSSQL.statements(_wide(992))
    with pytest.raises(UnsupportedFeatureError, match="8060"):
        MSSQL.statements(_wide(1024))
    assert statements(_wide(1024, T.BOOLEAN))  # eight BIT columns share a byte
    assert statements(_wide(1000, T.STRING))  # variable-size columns can leave the row


def test_the_rules_catch_a_row_over_8060_bytes() -> None:
    create = statements(_wide(991))[0]
    wider = attrs.evolve(create, sql=create.sql.replace("c0 BIGINT", "c0 UNIQUEIDENTIFIER"))
    assert any("rule 8" in p for p in check_statements([wider]))


# -- 8. filter_definition without VIEW DEFINITION ("sys.indexes") ----------------------------


def test_a_filter_the_login_cannot_read_is_reported_as_unreadable() -> None:
    rows = [
        ("wh_t", "wh_i", False, False, False, True, None, "n"),  # has_filter, no definition
        ("wh_t", "wh_j", False, False, False, False, None, "n"),
        ("wh_t", "wh_k", False, False, False, True, "([n]>(1))", "n"),
    ]
    _, indexes, _ = read_indexes(rows)
    unreadable, plain, readable = indexes["wh_t"]
    assert unreadable.predicate == unreadable.predicate_sql == UNREADABLE_FILTER
    assert plain.predicate is None
    assert readable.predicate is not None and readable.predicate != UNREADABLE_FILTER
    config = SchemaConfiguration(tables=[table("n > 1")])
    expected = MSSQL.context(config).expected_table(table("n > 1"))
    live = attrs.evolve(expected, indexes=(attrs.evolve(unreadable, name="wh_i"),))
    (difference,) = diff_tables([expected], [live]).drift
    assert difference.kind == "index_predicate"
    assert "cannot read" in str(difference)


def test_a_typed_constant_reads_back_as_the_server_prints_it() -> None:
    where = "b > 3000000000"
    expected = MSSQL.context(SchemaConfiguration()).expected_table(table(where))
    printed = "([b]>CONVERT([bigint],(3000000000),(0)))"  # sys.indexes.filter_definition
    _, indexes, _ = read_indexes([("wh_t", "wh_i", False, False, False, True, printed, "n")])
    assert indexes["wh_t"][0].predicate == expected.indexes[0].predicate


# -- 9. ODBC reserved words ("Reserved keywords"), NEWSEQUENTIALID, JSON -----------------------


ODBC_ONLY = """ada avg bit_length char_length character_length count extract fortran include
insensitive lower max min octet_length overlaps pascal position sqlca sqlcode sqlerror
substring sum translate trim upper""".split()


def test_the_odbc_reserved_words_are_quoted() -> None:
    assert set(ODBC_ONLY) <= RESERVED_WORDS
    named = TableDefinition("t", [ID, *(ColumnDefinition(w, T.INTEGER) for w in ODBC_ONLY)])
    create = statements(named)[0].sql
    assert all(f"[{w}] INT NULL" in create for w in ODBC_ONLY)


def test_a_new_uuid_key_default_can_be_sequential() -> None:
    new = DefaultValue.function(DefaultValueFunction.GUID_NEW)
    keyed = TableDefinition(
        "q", [attrs.evolve(ID, default=new), ColumnDefinition("other", T.UUID, default=new)]
    )
    options = {"sqlserver": {"key_uuid": "sequential"}}
    sequential = statements(keyed, dialect_options=options)[0].sql
    assert "id UNIQUEIDENTIFIER CONSTRAINT wh_q_id_default DEFAULT NEWSEQUENTIALID()" in sequential
    assert "other UNIQUEIDENTIFIER CONSTRAINT wh_q_other_default DEFAULT NEWID()" in sequential
    assert "NEWSEQUENTIALID" not in statements(keyed)[0].sql  # NEWID() stays the default
    context = MSSQL.context(SchemaConfiguration())
    assert context.parse_default("(newsequentialid())", T.UUID) == new


def test_json_is_unchecked_text_as_documented() -> None:
    sql = statements(TableDefinition("j", [ID, ColumnDefinition("doc", T.JSON)]))[0].sql
    assert "doc NVARCHAR(MAX) NULL" in sql and "ISJSON" not in sql
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for documented in ("ISJSON", "NEWSEQUENTIALID", "QUOTED_IDENTIFIER", "WITH VALUES"):
        assert documented in readme
