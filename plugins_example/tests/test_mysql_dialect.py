"""The example MySQL/MariaDB dialect against a real MariaDB server."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import uuid
import warnings
from pathlib import Path
from typing import Any

import pytest

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    DegradedRenderWarning,
    IdentifierError,
    IndexDefinition,
    SchemaConfiguration,
    TableDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    apply_schema,
    get_dialect,
)
from whizbang_schema.tables import ALL_TABLES, PERSPECTIVE_CHECKPOINTS, RECEPTOR_PROCESSING

T = WhizbangDataType
MYSQL = get_dialect("mysql")


def render(target: object, **settings: object) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        return MYSQL.render(target, **settings)  # type: ignore[arg-type]


def columns(conn: Any, table: str) -> list[tuple[Any, ...]]:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLLATION_NAME FROM "
            "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s "
            "ORDER BY ORDINAL_POSITION",
            (table,),
        )
        return list(cursor.fetchall())


def indexes(conn: Any, table: str) -> dict[str, tuple[bool, tuple[str, ...]]]:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s ORDER BY INDEX_NAME, SEQ_IN_INDEX",
            (table,),
        )
        found: dict[str, tuple[bool, tuple[str, ...]]] = {}
        for name, non_unique, column, sub_part in cursor.fetchall():
            assert sub_part is None, f"{name} indexes only a prefix of {column}"
            unique, cols = found.get(name, (not non_unique, ()))
            found[name] = (unique, (*cols, column))
        return found


def test_nine_tables_apply_twice_with_every_index(mysql_url: str, mysql: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        first = apply_schema(mysql_url)
        second = apply_schema(mysql_url)
    assert len(first.created) == 9
    assert second.created == ()
    assert len(second.existing) == 9
    for table in ALL_TABLES:
        found = indexes(mysql, "wh_" + table.name)
        assert found.pop("PRIMARY") == (True, table.primary_key)
        assert found == {"wh_" + i.name: (i.unique, i.columns) for i in table.indexes}


def test_columns_types_and_collation(mysql_url: str, mysql: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        apply_schema(mysql_url, SchemaConfiguration(tables=ALL_TABLES[:1]))
    rows = {r[0]: r[1:] for r in columns(mysql, "wh_outbox")}
    assert rows["message_id"] == ("char(36)", "NO", "utf8mb4_bin")
    assert rows["destination"] == ("varchar(500)", "NO", "utf8mb4_bin")
    assert rows["created_at"][0] == "datetime(6)"
    assert rows["is_event"][0] == "tinyint(1)"
    assert rows["error"][0] == "longtext"


def test_unbounded_key_strings_fit_innodbs_key_limit(mysql_url: str, mysql: Any) -> None:
    apply_schema(
        mysql_url, SchemaConfiguration(tables=[RECEPTOR_PROCESSING, PERSPECTIVE_CHECKPOINTS])
    )
    receptor = {r[0]: r[1] for r in columns(mysql, "wh_receptor_processing")}
    assert receptor["receptor_name"] == "varchar(768)"  # 3072 bytes / 4
    assert receptor["error"] == "longtext"
    checkpoints = {r[0]: r[1] for r in columns(mysql, "wh_perspective_checkpoints")}
    assert checkpoints["perspective_name"] == "varchar(732)"  # 3072 - CHAR(36) * 4 bytes
    indexes(mysql, "wh_perspective_checkpoints")  # no prefix indexes anywhere


def test_defaults_fill_a_row(mysql_url: str, mysql: Any) -> None:
    apply_schema(mysql_url, SchemaConfiguration(tables=ALL_TABLES[7:8]))
    before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    with mysql.cursor() as cursor:
        cursor.execute(
            "INSERT INTO wh_request_response (request_id, correlation_id, request_type, request_data) "
            "VALUES (%s, %s, 't', %s)",
            (str(uuid.uuid4()), str(uuid.uuid4()), json.dumps({"a": 1})),
        )
        cursor.execute("SELECT status, created_at FROM wh_request_response")
        status, created = cursor.fetchone()
    assert status == "Pending"
    assert abs((created - before).total_seconds()) < 5  # DATETIME(6) holds UTC


@pytest.mark.parametrize("mode", ["", "NO_BACKSLASH_ESCAPES"])
def test_string_defaults_mean_the_same_in_every_sql_mode(
    mysql_url: str, mysql: Any, mode: str
) -> None:
    text = "a \\ b 'c' \\n"
    table = TableDefinition(
        "s",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition("short", T.STRING, max_length=20, default=DefaultValue.string(text)),
            ColumnDefinition("long", T.STRING, default=DefaultValue.string(text)),
            ColumnDefinition("plain", T.STRING, default=DefaultValue.string("it's")),
        ],
    )
    with mysql.cursor() as cursor:
        cursor.execute(f"SET SESSION sql_mode = '{mode}'")
        cursor.execute(render(table))
        cursor.execute("INSERT INTO wh_s (id) VALUES (1)")
        cursor.execute("SELECT short, `long`, plain FROM wh_s")
        assert cursor.fetchone() == (text, text, "it's")


def test_names_that_need_quoting(mysql_url: str, mysql: Any) -> None:
    table = TableDefinition(
        "order",
        [
            ColumnDefinition("key", T.INTEGER, primary_key=True),
            ColumnDefinition("back`tick", T.STRING, max_length=10),
            ColumnDefinition("Mixed Case", T.BOOLEAN, default=DefaultValue.boolean(True)),
        ],
        indexes=[IndexDefinition("select", ["back`tick"])],
    )
    sql = render(table, prefix="")
    assert "CREATE TABLE IF NOT EXISTS `order`" in sql
    assert "`back``tick` VARCHAR(10)" in sql
    apply_schema(mysql_url, SchemaConfiguration(prefix="", tables=[table]))
    assert [r[0] for r in columns(mysql, "order")] == ["key", "back`tick", "Mixed Case"]
    assert "select" in indexes(mysql, "order")


def test_identifiers_outside_the_limits_are_refused() -> None:
    with pytest.raises(IdentifierError, match="Basic Multilingual Plane"):
        render(TableDefinition("snake_\U0001f40d", [ColumnDefinition("c", T.INTEGER)]))
    with pytest.raises(IdentifierError, match="65 characters"):
        render(TableDefinition("t" * 62, [ColumnDefinition("c", T.INTEGER)]))  # wh_ + 62


def test_partial_indexes_degrade_or_are_refused() -> None:
    def table(unique: bool) -> TableDefinition:
        return TableDefinition(
            "p",
            [ColumnDefinition("id", T.INTEGER, primary_key=True), ColumnDefinition("n", T.INTEGER)],
            indexes=[IndexDefinition("i", ["n"], unique=unique, where="n > 0")],
        )

    with pytest.warns(DegradedRenderWarning, match="no partial indexes"):
        sql = MYSQL.render(table(unique=False))
    assert "INDEX wh_i (n)" in sql
    with pytest.raises(UnsupportedFeatureError, match="unique index 'i' is partial"):
        MYSQL.render(table(unique=True))


def test_rows_over_mysqls_limit_are_refused() -> None:
    wide = TableDefinition(
        "w", [ColumnDefinition(f"c{i}", T.STRING, max_length=8000) for i in range(3)]
    )
    with pytest.raises(UnsupportedFeatureError, match="65535-byte row limit"):
        render(wide)


def test_keys_over_innodbs_limit_are_refused() -> None:
    table = TableDefinition(
        "k", [ColumnDefinition("s", T.STRING, max_length=1000, primary_key=True)]
    )
    with pytest.raises(UnsupportedFeatureError, match="4000 bytes, over the 3072-byte limit"):
        render(table)


def test_cli_applies_through_the_plugins_connection(mysql_url: str, tmp_path: Path) -> None:
    command = [str(Path(sys.executable).parent / "whizbang-schema"), "apply", "--url", mysql_url]
    first = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.rstrip().endswith("(mysql): 9 created, 0 already existed")
    second = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert second.stdout.rstrip().endswith("(mysql): 0 created, 9 already existed")
    bad = subprocess.run(
        [*command[:3], "mysql://root@127.0.0.1:1/x"], capture_output=True, text=True
    )
    assert bad.returncode == 2
    assert "cannot connect to MySQL at mysql://root@127.0.0.1:1/x" in bad.stderr
    assert "Traceback" not in bad.stderr
