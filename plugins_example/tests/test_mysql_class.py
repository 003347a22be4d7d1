"""The dialect as a class: what the entry point names, and a subclass (the README's) that
renders, applies to a real MariaDB server and reads back without drift."""

from __future__ import annotations

import importlib.metadata
import re
import warnings
from pathlib import Path
from typing import Any

import whizbang_schema_mysql
from whizbang_schema import (
    DegradedRenderWarning,
    Dialect,
    PluginRegistry,
    SchemaConfiguration,
    WhizbangDataType,
    apply_statements,
    diff_tables,
    get_dialect,
)
from whizbang_schema_mysql import MySQLDialect, plugin

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_subclass() -> type[Dialect]:
    """The README's subclass, run as written."""
    block = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block, "the README shows a subclass"
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(block.group(1), str(README), "exec"), namespace)
    found: type[Dialect] = namespace["MariaDBDialect"]
    return found


def test_the_entry_point_names_the_class() -> None:
    (entry,) = [
        ep for ep in importlib.metadata.entry_points(group="whizbang_schema") if ep.name == "mysql"
    ]
    assert entry.value == "whizbang_schema_mysql:MySQLDialect"
    assert entry.load() is MySQLDialect is whizbang_schema_mysql.MySQLDialect
    assert type(get_dialect("mysql")) is MySQLDialect


def test_the_module_has_no_hook_functions() -> None:
    assert not [name for name in vars(plugin) if name.startswith("whizbang_schema_")]


def test_a_subclass_changes_one_type_and_reads_back_without_drift(mysql_url: str) -> None:
    registry = PluginRegistry()
    registry.register(readme_subclass(), name="readme:mariadb_native")
    dialect = get_dialect("mariadb_native", registry=registry)
    configuration = SchemaConfiguration()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        statements = dialect.statements(configuration)
    assert "  message_id UUID NOT NULL,\n" in "".join(s.sql for s in statements)
    database = dialect.connect(mysql_url, False)
    try:
        assert len(apply_statements(database, statements).created) == 9
        context = dialect.context(configuration)
        live = context.read_catalog(database)
    finally:
        database.close()
    uuid_types = {
        c.sql_type.lower() for t in live for c in t.columns if c.data_type is WhizbangDataType.UUID
    }
    assert uuid_types == {"uuid"}
    expected = [context.expected_table(table) for table in configuration.tables]
    assert diff_tables(expected, live).differences == ()
