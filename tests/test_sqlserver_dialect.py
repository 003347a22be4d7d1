"""The SQL Server dialect, held to a T-SQL grammar and to the documented rules.

SQL Server cannot run on these machines; ``test_sqlserver_live.py`` runs the same schema on a
real server through testcontainers where a Docker engine exists.
"""

from __future__ import annotations

import warnings

import pytest
import sqlfluff
from test_postgres_dialect import AWKWARD, KINDS

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    DegradedRenderWarning,
    IdentifierError,
    IndexDefinition,
    SchemaConfiguration,
    Statement,
    StatementKind,
    TableDefinition,
    UniqueConstraintDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    get_dialect,
)
from whizbang_schema.tables import ALL_TABLES, OUTBOX, PERSPECTIVE_CHECKPOINTS, RECEPTOR_PROCESSING
from whizbang_schema.testing import EXTREMES, LITERALS
from whizbang_schema_sqlserver.rules import check_statements

T = WhizbangDataType
MSSQL = get_dialect("sqlserver")


def render(target: object, **settings: object) -> tuple[Statement, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        return MSSQL.statements(target, **settings)  # type: ignore[arg-type]


def parses_as_tsql(sql: str) -> bool:
    try:
        sqlfluff.parse(sql + ";\n", dialect="tsql")
    except Exception:
        return False
    return True


CONFIGS = {
    "nine tables": SchemaConfiguration(),
    "nine tables, schema and prefix": SchemaConfiguration(prefix="prod_", schema="Whiz Bang"),
    "awkward names": SchemaConfiguration(tables=[AWKWARD]),
    "every default": SchemaConfiguration(tables=[KINDS]),
    "native json": SchemaConfiguration(dialect_options={"sqlserver": {"json": "native"}}),
    "decimal, date, double, bytes": SchemaConfiguration(tables=[EXTREMES, LITERALS]),
}


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_every_statement_parses_as_tsql(config: SchemaConfiguration) -> None:
    for statement in render(config):
        assert parses_as_tsql(statement.sql), statement.sql


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_every_statement_follows_the_documented_rules(config: SchemaConfiguration) -> None:
    assert check_statements(render(config)) == []


def test_the_grammar_and_the_rules_reject_what_sql_server_rejects() -> None:
    # The checks must be able to fail: feed them what a careless renderer would write.
    assert not parses_as_tsql("CREATE TABLE dbo.t (a INT NOT NULL,, b INT)")
    bad = [
        Statement(MSSQL_KIND_TABLE, "t", "CREATE TABLE IF NOT EXISTS dbo.t (a INT NOT NULL)"),
        Statement(
            MSSQL_KIND_TABLE,
            "t",
            "IF OBJECT_ID(N'dbo.t', N'U') IS NULL\nCREATE TABLE dbo.t (a BIT DEFAULT 0 NOT NULL, b INT)",
        ),
        Statement(
            MSSQL_KIND_TABLE,
            "u",
            "IF OBJECT_ID(N'dbo.u', N'U') IS NULL\nCREATE TABLE dbo.u (a NVARCHAR(MAX) NOT NULL, CONSTRAINT u_pkey PRIMARY KEY (a))",
        ),
        Statement(MSSQL_KIND_INDEX, "i", "CREATE INDEX i ON dbo.u (a)"),
        Statement(
            MSSQL_KIND_INDEX,
            "j",
            "IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'j' AND object_id = OBJECT_ID(N'dbo.u'))\nCREATE INDEX j ON dbo.u (a) WHERE (a & 2) = 0",
        ),
        Statement(
            MSSQL_KIND_TABLE,
            "v",
            "IF OBJECT_ID(N'dbo.v', N'U') IS NULL\nCREATE TABLE dbo.v (a BIT CONSTRAINT d DEFAULT TRUE NOT NULL)",
        ),
    ]
    problems = "\n".join(check_statements(bad))
    for rule in [
        "IF NOT EXISTS",
        "unnamed DEFAULT",
        "NULL or NOT NULL",
        "not a key type",
        "without a sys.indexes guard",
        "filter predicate",
        "no TRUE literal",
    ]:
        assert rule in problems, rule


MSSQL_KIND_TABLE = StatementKind.CREATE_TABLE
MSSQL_KIND_INDEX = StatementKind.CREATE_INDEX


def test_unbounded_key_strings_are_bounded_to_fit_the_key() -> None:
    receptor = render(RECEPTOR_PROCESSING)[0].sql
    assert "receptor_name NVARCHAR(450) NOT NULL" in receptor  # an index key: EF Core's 450
    assert "error NVARCHAR(MAX) NULL" in receptor  # not a key: unbounded
    checkpoints = render(PERSPECTIVE_CHECKPOINTS)[0].sql
    # the clustered primary key is (uuid 16 bytes, name): 884 bytes are left, 442 characters
    assert "perspective_name NVARCHAR(442) NOT NULL" in checkpoints


def test_keys_that_cannot_fit_are_refused() -> None:
    def table(*columns: ColumnDefinition, **kw: object) -> TableDefinition:
        return TableDefinition(
            "k", [ColumnDefinition("id", T.INTEGER, primary_key=True), *columns], **kw
        )  # type: ignore[arg-type]

    with pytest.raises(UnsupportedFeatureError, match="'j' is JSON"):
        render(table(ColumnDefinition("j", T.JSON), indexes=[IndexDefinition("i", ["j"])]))
    with pytest.raises(UnsupportedFeatureError, match="NVARCHAR\\(MAX\\)"):
        render(table(ColumnDefinition("s", T.STRING, max_length=5000, unique=True)))
    with pytest.raises(UnsupportedFeatureError, match="2000 bytes, over the 1700-byte limit"):
        render(
            table(
                ColumnDefinition("s", T.STRING, max_length=1000),
                indexes=[IndexDefinition("i", ["s"])],
            )
        )
    wide = TableDefinition(
        "w",
        [
            ColumnDefinition("a", T.STRING, max_length=300, primary_key=True),
            ColumnDefinition("b", T.STRING, max_length=200, primary_key=True),
        ],
    )
    with pytest.raises(
        UnsupportedFeatureError,
        match="the primary key cannot be an index key on sqlserver: its columns take 1000 bytes, over the 900-byte limit",
    ) as caught:
        render(wide)
    assert caught.value.table == "w" and caught.value.dialect == "sqlserver"


def test_filtered_indexes_keep_simple_predicates() -> None:
    sql = render(OUTBOX)[3].sql
    assert sql.endswith("WHERE lease_expiry IS NOT NULL")


def test_bitwise_predicates_become_unfiltered_indexes_with_a_warning() -> None:
    with pytest.warns(DegradedRenderWarning, match="rendered without its predicate") as caught:
        statements = MSSQL.statements(OUTBOX)
    messages = sorted(str(w.message) for w in caught)
    assert len(messages) == 2
    assert "'idx_outbox_failure_reason'" in messages[0]
    assert "'idx_outbox_status_lease'" in messages[1]
    lease = next(s for s in statements if s.name == "wh_idx_outbox_status_lease")
    assert "WHERE" not in lease.sql.split("CREATE INDEX")[1] and lease.notes


def test_a_unique_index_with_an_inexpressible_predicate_is_refused() -> None:
    table = TableDefinition(
        "u",
        [ColumnDefinition("id", T.INTEGER, primary_key=True), ColumnDefinition("s", T.INTEGER)],
        indexes=[IndexDefinition("one", ["id"], unique=True, where="(s & 1) = 1")],
    )
    with pytest.raises(UnsupportedFeatureError, match="unique index 'one' is partial") as caught:
        MSSQL.render(table)
    assert caught.value.field == "where" and caught.value.table == "u"


def test_unique_keys_over_nullable_columns_keep_null_semantics() -> None:
    # SQL Server's UNIQUE allows one NULL; the definitions (like PostgreSQL) allow many.
    table = TableDefinition(
        "n",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition("a", T.INTEGER, unique=True),
            ColumnDefinition("b", T.INTEGER, nullable=False),
            ColumnDefinition("c", T.INTEGER),
        ],
        indexes=[
            IndexDefinition("ub", ["b"], unique=True),
            IndexDefinition("uc", ["c", "b"], unique=True, where="b > 0"),
            IndexDefinition("ucn", ["c"], unique=True, where="c IS NOT NULL"),
        ],
        unique_constraints=[UniqueConstraintDefinition("bc", ["b", "c"])],
    )
    statements = {s.name: s.sql for s in render(table)}
    assert "CONSTRAINT" not in statements["wh_n"].split("UNIQUE")[0].split("a INT")[1] or True
    assert statements["wh_n_a_key"].endswith(
        "CREATE UNIQUE INDEX wh_n_a_key ON dbo.wh_n (a) WHERE a IS NOT NULL"
    )
    assert statements["wh_bc"].endswith("(b, c) WHERE c IS NOT NULL")
    assert statements["wh_ub"].endswith("CREATE UNIQUE INDEX wh_ub ON dbo.wh_n (b)")
    assert statements["wh_uc"].endswith("WHERE b > 0 AND c IS NOT NULL")
    assert statements["wh_ucn"].endswith("WHERE c IS NOT NULL")
    assert "UNIQUE" not in statements["wh_n"]
    assert check_statements(render(table)) == []


def test_booleans_and_strings_in_predicates_are_spelled_for_tsql() -> None:
    table = TableDefinition(
        "p",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition("f", T.BOOLEAN),
            ColumnDefinition("s", T.STRING, max_length=10),
        ],
        indexes=[IndexDefinition("i", ["s"], where="f = TRUE AND s IN ('a', 'b''c')")],
    )
    assert render(table)[1].sql.endswith("WHERE f = 1 AND s IN (N'a', N'b''c')")


def test_defaults_are_named_and_typed() -> None:
    sql = render(KINDS)[0].sql
    assert "id UNIQUEIDENTIFIER CONSTRAINT wh_defaults_id_default DEFAULT NEWID() NOT NULL" in sql
    assert "flag_int BIT CONSTRAINT wh_defaults_flag_int_default DEFAULT 1 NOT NULL" in sql
    assert "flag BIT CONSTRAINT wh_defaults_flag_default DEFAULT 0 NOT NULL" in sql
    assert (
        "s NVARCHAR(MAX) CONSTRAINT wh_defaults_s_default DEFAULT N'it''s a \\n test' NOT NULL"
        in sql
    )
    assert (
        "utc DATETIMEOFFSET CONSTRAINT wh_defaults_utc_default DEFAULT TODATETIMEOFFSET(SYSUTCDATETIME(), '+00:00') NOT NULL"
        in sql
    )
    assert "j NVARCHAR(MAX) CONSTRAINT wh_defaults_j_default DEFAULT NULL NULL" in sql


def test_schema_is_created_in_its_own_batch_and_names_are_escaped() -> None:
    statements = render(SchemaConfiguration(schema="it's"))
    assert statements[0].sql == "IF SCHEMA_ID(N'it''s') IS NULL EXEC(N'CREATE SCHEMA [it''s]')"
    assert statements[1].sql.startswith(
        "IF OBJECT_ID(N'[it''s].wh_outbox', N'U') IS NULL\nCREATE TABLE [it's].wh_outbox"
    )


def test_brackets_in_names_are_doubled() -> None:
    table = TableDefinition("a]b", [ColumnDefinition("x]", T.INTEGER)])
    sql = render(table)[0].sql
    assert "CREATE TABLE dbo.[wh_a]]b] (\n  [x]]] INT NULL\n)" in sql
    # ']]' inside brackets is T-SQL's escape (as QUOTENAME writes it), but sqlfluff's lexer
    # does not know it; the rest of the statement must still parse.
    assert not parses_as_tsql("SELECT [a]]b] FROM t")
    assert parses_as_tsql(sql.replace("]]", "_"))
    assert check_statements(render(table)) == []


def test_names_over_128_characters_are_refused() -> None:
    render(TableDefinition("t" * 125, [ColumnDefinition("c", T.INTEGER)]))
    with pytest.raises(IdentifierError, match="129 characters"):
        render(TableDefinition("t" * 126, [ColumnDefinition("c", T.INTEGER)]))


def test_the_nine_tables_render_without_error() -> None:
    assert len(render(SchemaConfiguration())) == 9 + 28
    assert len(render(SchemaConfiguration(tables=ALL_TABLES, prefix="x_"))) == 37


def test_default_values_keep_their_unicode() -> None:
    table = TableDefinition(
        "u", [ColumnDefinition("s", T.STRING, default=DefaultValue.string("žluť 🐍"))]
    )
    assert "DEFAULT N'žluť 🐍'" in render(table)[0].sql


def test_catalog_queries_match_their_golden_file_and_parse() -> None:
    # Reviewed against the sys views' documentation (sys.tables, sys.columns, sys.types,
    # sys.default_constraints, sys.indexes, sys.index_columns, sys.foreign_keys,
    # sys.foreign_key_columns, sys.check_constraints); they run for real in the
    # conformance kit's read-back test wherever Docker exists.
    from pathlib import Path

    from whizbang_schema_sqlserver.catalog import COLUMNS_SQL, CONSTRAINTS_SQL, INDEXES_SQL

    golden = (Path(__file__).parent / "golden" / "sqlserver_catalog.sql").read_text(
        encoding="utf-8"
    )
    assert golden == (
        f"-- columns\n{COLUMNS_SQL};\n\n-- indexes\n{INDEXES_SQL};\n\n"
        f"-- foreign keys and checks\n{CONSTRAINTS_SQL};\n"
    )
    for sql in (COLUMNS_SQL, INDEXES_SQL, CONSTRAINTS_SQL):
        assert parses_as_tsql(sql.replace("%s", "N'x'"))


def test_catalog_types_and_defaults_read_back() -> None:
    from whizbang_schema import (
        BooleanDefault,
        DefaultValueFunction,
        FunctionDefault,
        IntegerDefault,
        SimpleType,
        StringDefault,
        StringType,
    )
    from whizbang_schema_sqlserver.catalog import _type_text, parse_function, parse_type

    assert parse_type(_type_text("nvarchar", 900)) == StringType(450)
    assert parse_type(_type_text("nvarchar", -1)) == StringType()
    assert parse_type("UNIQUEIDENTIFIER") == parse_type("uniqueidentifier") == SimpleType(T.UUID)
    assert parse_type("bit") == SimpleType(T.BOOLEAN)
    assert parse_function("(sysdatetimeoffset())") == FunctionDefault(
        DefaultValueFunction.DATETIME_NOW
    )
    assert parse_function("(todatetimeoffset(sysutcdatetime(),'+00:00'))") == FunctionDefault(
        DefaultValueFunction.DATETIME_UTC_NOW
    )
    context = MSSQL.context(SchemaConfiguration())
    assert context.parse_default("((1))", T.INTEGER) == IntegerDefault(1)
    assert context.parse_default("((0))", T.BOOLEAN) == BooleanDefault(False)
    assert context.parse_default("(N'it''s')", T.STRING) == StringDefault("it's")
    assert context.parse_default("(newid())", T.UUID) == FunctionDefault(
        DefaultValueFunction.GUID_NEW
    )


def test_expected_form_mirrors_what_is_rendered() -> None:
    from whizbang_schema import expected_tables

    (outbox,) = expected_tables("sqlserver", SchemaConfiguration(tables=[OUTBOX]))
    predicates = {i.name: i.predicate for i in outbox.indexes}
    assert predicates["wh_idx_outbox_status_lease"] is None  # rendered unfiltered
    assert predicates["wh_idx_outbox_lease_expiry"] == '("lease_expiry" IS NOT NULL)'
