"""SQL Server migration plans (issue 17), which cannot run here: the statements every change
kind renders, held to a golden file (reviewed against the documentation of ALTER TABLE ...
ALTER COLUMN, DROP INDEX and sp_rename), to the T-SQL grammar and to the dialect's rules."""

from __future__ import annotations

import warnings
from pathlib import Path

import attrs
import pytest
import sqlfluff
from test_migration_plan import V1, V2

from whizbang_schema import DegradedRenderWarning, SchemaConfiguration, Statement, get_dialect
from whizbang_schema_sqlserver.rules import check_statements

GOLDEN = Path(__file__).parent / "golden" / "sqlserver_plan.sql"

#: The columns of V1 -> V2 whose type, nullability or default change.
CHANGED = ("note", "label", "qty", "status", "region", "flag", "prio", "kind")


def plan_statements() -> list[Statement]:
    dialect = get_dialect("sqlserver")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        before = dialect.context(SchemaConfiguration(tables=V1))
        context = dialect.context(SchemaConfiguration(tables=V2))
        orders = V2[0]
        stored = before.expected_table(V1[0])
        # As after the declared rename, with the NOT NULL column added as nullable first.
        stored = attrs.evolve(
            stored,
            columns=[
                *(
                    attrs.evolve(c, name="new_name") if c.name == "old_name" else c
                    for c in stored.columns
                ),
                attrs.evolve(context.expected_table(orders).columns[-1], nullable=True),
            ],
        )
        out = [
            *context.render_rename("table", "wh_legacy", "wh_legacy", "wh_archive"),
            *context.render_rename("column", "wh_orders", "old_name", "new_name"),
            *context.render_add_column(orders, attrs.evolve(orders.column("added"), nullable=True)),
            *context.render_alter_table(orders, stored, (*CHANGED, "added"), ("wh_uq_code",)),
        ]
        indexes = {i.name: i for i in stored.indexes}
        for index in orders.indexes:
            name = context.index_name(orders, index)
            out.extend(context.render_change_index(orders, indexes.get(name), index))
        out.extend(context.render_drop("column", "wh_orders", "gone"))
    return out


def script(statements: list[Statement]) -> str:
    return "".join(f"-- {', '.join(s.hazards) or 'no hazard'}\n{s.sql};\n" for s in statements)


def test_sqlserver_plan_matches_the_golden_file(request: pytest.FixtureRequest) -> None:
    text = script(plan_statements())
    if request.config.getoption("--update-golden"):
        GOLDEN.write_text(text, encoding="utf-8", newline="\n")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_sqlserver_plan_follows_the_grammar_and_the_rules() -> None:
    statements = plan_statements()
    # The tables as the plan leaves them, so that the rules know each column's type.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        tables = [
            s
            for s in get_dialect("sqlserver").statements(SchemaConfiguration(tables=V2))
            if s.kind.value == "create_table"
        ]
    assert check_statements([*tables, *statements]) == []
    for statement in statements:
        sqlfluff.parse(statement.sql + ";\n", dialect="tsql")  # raises on a parse error


def test_sqlserver_alter_column_drops_and_restores_what_depends_on_the_column() -> None:
    sql = [s.sql for s in plan_statements()]
    alter = next(i for i, s in enumerate(sql) if "ALTER COLUMN status" in s)
    drop_default = sql.index("ALTER TABLE dbo.wh_orders DROP CONSTRAINT wh_orders_status_default")
    add_default = next(i for i, s in enumerate(sql) if "DEFAULT N'new' FOR status" in s)
    assert drop_default < alter < add_default
    # idx_qty covers qty, whose type changes: dropped before, created again after.
    drop_index = sql.index("DROP INDEX wh_idx_qty ON dbo.wh_orders")
    alter_qty = next(i for i, s in enumerate(sql) if "ALTER COLUMN qty INT NULL" in s)
    create_index = next(i for i, s in enumerate(sql) if "CREATE INDEX wh_idx_qty" in s)
    assert drop_index < alter_qty < create_index


def test_the_rules_catch_an_alter_column_that_would_silently_become_nullable() -> None:
    from whizbang_schema import StatementKind

    bad = [
        Statement(StatementKind.ALTER_COLUMN, "c", "ALTER TABLE dbo.t ALTER COLUMN c INT"),
        Statement(
            StatementKind.ADD_CONSTRAINT, "d", "ALTER TABLE dbo.t ADD CONSTRAINT d DEFAULT 1"
        ),
        Statement(StatementKind.DROP_INDEX, "i", "DROP INDEX t.i"),
    ]
    problems = check_statements(bad)
    assert len(problems) == 3 and all("rule 11" in p for p in problems), problems
