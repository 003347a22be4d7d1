"""Plugins written for whizbang-schema 0.1 keep working beside class dialects.

A 0.1 dialect is a module: ``whizbang_schema_dialects()`` describes it and guarded
``@hookimpl`` functions taking ``dialect`` answer its decisions, asking other decisions through
``context.hook``. An override plugin is a module of ``@hookimpl(tryfirst=True)`` functions.
``tests/test_plugins.py`` installs such packages with pip and runs the command line; here the
same styles are registered in-process (and through an entry point of a distribution on the
path), and held to what a 0.1 author relied on: every hook they implemented is asked, with the
parameters they chose, for their dialect only, and an override changes one decision of one
class dialect and nothing else. One group of entry points may name a dialect class, a dialect
instance and a 0.1 module side by side.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from whizbang_schema import ColumnDefinition as C
from whizbang_schema import (
    DefaultValue,
    DefaultValueFunction,
    DegradedRenderWarning,
    DialectInfo,
    IndexDefinition,
    OptionError,
    PluginRegistry,
    SchemaConfiguration,
    TableDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    expected_tables,
    get_dialect,
)
from whizbang_schema import WhizbangDataType as T
from whizbang_schema.tables import OUTBOX
from whizbang_schema_postgres import PostgresDialect

#: A complete 0.1-style dialect, as a third party wrote it before dialects were classes.
LEGACY = '''
"""A 0.1-style dialect: a module of guarded hook implementations."""

from whizbang_schema import (
    Capabilities, DialectInfo, DialectOption, FunctionDefault, Statement, StatementKind,
    WhizbangDataType as T, hookimpl,
)

NAME = "legacy"
TYPES = {
    T.UUID: "CHAR(36)", T.STRING: "VARCHAR(4000)", T.TIMESTAMP_TZ: "TIMESTAMP",
    T.JSON: "CLOB", T.BIG_INT: "BIGINT", T.INTEGER: "INT", T.SMALL_INT: "SMALLINT",
}  # no BOOLEAN: this engine has none
ASKED = []


@hookimpl
def whizbang_schema_dialects():
    return [
        DialectInfo(
            NAME,
            "a 0.1-style dialect",
            Capabilities(partial_indexes=False, transactional_ddl=True, max_identifier_chars=30,
                         quote_start="[", quote_end="]", reserved_words={"status"}),
            options=(DialectOption("storage", "heap", "table storage", choices=("heap", "column")),),
        )
    ]


@hookimpl
def whizbang_schema_render_type(dialect, column):
    if dialect != NAME:
        return None
    ASKED.append(("render_type", column.name))
    return TYPES.get(column.data_type)  # None for BOOLEAN: nobody answers


@hookimpl
def whizbang_schema_render_default(dialect, default):
    if dialect == NAME and isinstance(default, FunctionDefault):
        return "CURRENT_TIMESTAMP" if default.value.name.startswith("DATETIME") else "NEWID()"
    return None


@hookimpl
def whizbang_schema_render_column(dialect, column, table, context):
    if dialect != NAME:
        return None
    # The 0.1 way to ask another decision: through the hook relay, naming the dialect.
    sql_type = context.hook.whizbang_schema_render_type(
        dialect=dialect, column=column, table=table, context=context
    )
    default = context.render_default(column, table)
    text = f"{context.quote(column.name)} {sql_type}"
    text += "" if column.nullable else " NOT NULL"
    return text + ("" if default is None else f" DEFAULT {default}")


@hookimpl
def whizbang_schema_render_create_table(dialect, table, context):
    if dialect != NAME:
        return None
    storage = context.option("storage")
    return Statement(
        StatementKind.CREATE_TABLE,
        context.table_name(table),
        context.create_table_sql(table, suffix=f" STORAGE {storage.upper()}"),
    )


@hookimpl
def whizbang_schema_parse_type(dialect, sql_type):
    if dialect != NAME:
        return None
    for data_type, sql in TYPES.items():
        if sql == sql_type:
            return data_type, None
    return None


@hookimpl
def whizbang_schema_parse_default(dialect, sql):
    if dialect == NAME and sql == "NEWID()":
        return FunctionDefault(__import__("whizbang_schema").DefaultValueFunction.GUID_NEW)
    return None
'''

#: An override plugin: JSON as JSON, not JSONB, on PostgreSQL only.
JSON_OVERRIDE = """
from whizbang_schema import WhizbangDataType, hookimpl

@hookimpl(tryfirst=True)
def whizbang_schema_render_type(dialect, column):
    if dialect == "postgres" and column.data_type is WhizbangDataType.JSON:
        return "JSON"
    return None
"""


def load_module(directory: Path, source: str) -> ModuleType:
    """Write ``source`` as a module file and import it, as an installed plugin would be."""
    name = f"wbtest_module_{uuid.uuid4().hex[:8]}"
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def legacy(tmp_path: Path) -> Iterator[ModuleType]:
    module = load_module(tmp_path, LEGACY)
    yield module
    sys.modules.pop(module.__name__, None)


@pytest.fixture
def json_override(tmp_path: Path) -> Iterator[ModuleType]:
    module = load_module(tmp_path, JSON_OVERRIDE)
    yield module
    sys.modules.pop(module.__name__, None)


TABLE = TableDefinition(
    "jobs",
    [
        C(
            "id",
            T.UUID,
            primary_key=True,
            default=DefaultValue.function(DefaultValueFunction.GUID_NEW),
        ),
        C("status", T.INTEGER, nullable=False, default=DefaultValue.integer(0)),
        C(
            "created_at",
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(DefaultValueFunction.DATETIME_UTC_NOW),
        ),
        C("payload", T.JSON),
    ],
    indexes=[IndexDefinition("idx_jobs_status", ["status"], where="status = 0")],
)


def test_a_module_dialect_registered_in_process_renders_with_its_hooks(
    legacy: ModuleType,
) -> None:
    registry = PluginRegistry(load_entry_points=False)
    registry.register(legacy, name="legacy", distribution="wbtest-legacy", version="0.1.3")
    info = registry.dialects()["legacy"]
    assert (info.distribution, info.version) == ("wbtest-legacy", "0.1.3")
    dialect = get_dialect("legacy", registry=registry)
    with pytest.warns(DegradedRenderWarning, match="without its predicate"):
        sql = dialect.render(TABLE, dialect_options={"legacy": {"storage": "column"}})
    assert sql == (
        "CREATE TABLE IF NOT EXISTS wh_jobs (\n"
        "  id CHAR(36) NOT NULL DEFAULT NEWID(),\n"
        "  [status] INT NOT NULL DEFAULT 0,\n"  # reserved: quoted with its brackets
        "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
        "  payload CLOB,\n"
        "  CONSTRAINT wh_jobs_pkey PRIMARY KEY (id)\n"
        ") STORAGE COLUMN;\n"
        # the generic index, without the predicate this engine cannot express
        "CREATE INDEX IF NOT EXISTS wh_idx_jobs_status ON wh_jobs ([status]);\n"
    )
    # render_column asked render_type through context.hook, once per column (then cached)
    assert [("render_type", c.name) for c in TABLE.columns] == legacy.ASKED
    # the core's checks still apply to the module's dialect: options, limits, missing types
    with pytest.raises(OptionError, match="storage"):
        dialect.render(TABLE, dialect_options={"legacy": {"storage": "rows"}})
    with pytest.raises(UnsupportedFeatureError, match="legacy") as raised:
        dialect.render(TableDefinition("flags", [C("on", T.BOOLEAN, primary_key=True)]))
    assert raised.value.column == "on"


def test_a_module_dialect_reads_back_through_its_parse_hooks(legacy: ModuleType) -> None:
    registry = PluginRegistry(load_entry_points=False)
    registry.register(legacy)
    (expected,) = expected_tables("legacy", SchemaConfiguration(tables=[TABLE]), registry=registry)
    columns = {c.name: c for c in expected.columns}
    assert columns["id"].data_type is T.UUID
    assert columns["id"].default == DefaultValue.function(DefaultValueFunction.GUID_NEW)
    assert columns["status"].default == DefaultValue.integer(0)  # the generic literal reading
    assert expected.indexes[0].predicate is None  # no partial indexes: none expected back


def test_a_module_dialect_found_through_an_entry_point(
    legacy: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What pip leaves on the path for an installed distribution, reduced to what is read.
    info = tmp_path / "site" / "wbtest_legacy-0.1.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wbtest-legacy\nVersion: 0.1.3\n")
    (info / "entry_points.txt").write_text(f"[wbtest_legacy_group]\nlegacy = {legacy.__name__}\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    registry = PluginRegistry(group="wbtest_legacy_group")
    assert not registry.failures
    assert registry.dialects()["legacy"].distribution == "wbtest-legacy"
    assert "CHAR(36)" in get_dialect("legacy", registry=registry).render(
        TableDefinition("ids", [C("id", T.UUID, primary_key=True)])
    )


#: The class forms an entry point may name, beside a 0.1 module.
CLASS_FORMS = """
from whizbang_schema import Capabilities, DialectInfo, WhizbangDataType as T
from whizbang_schema_postgres import PostgresDialect


class Alpha(PostgresDialect):
    info = DialectInfo("alpha", "a subclass named by its class", PostgresDialect.info.capabilities)
    TYPES = {**PostgresDialect.TYPES, T.JSON: "JSON"}


class Beta(Alpha):
    info = DialectInfo("beta", "a subclass named by an instance", PostgresDialect.info.capabilities)

    def render_type(self, column, table, context):
        return "TEXT" if column.data_type is T.UUID else super().render_type(column, table, context)


BETA = Beta()
"""


def test_entry_points_may_name_a_class_an_instance_and_a_module_together(
    legacy: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forms = load_module(tmp_path, CLASS_FORMS)
    info = tmp_path / "site" / "wbtest_forms-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wbtest-forms\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[wbtest_forms_group]\n"
        f"alpha = {forms.__name__}:Alpha\n"
        f"beta = {forms.__name__}:BETA\n"
        f"legacy = {legacy.__name__}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    try:
        registry = PluginRegistry(group="wbtest_forms_group")
        assert not registry.failures
        assert sorted(registry.dialects()) == ["alpha", "beta", "legacy"]
        assert {i.distribution for i in registry.dialects().values()} == {"wbtest-forms"}
        table = TableDefinition("docs", [C("id", T.UUID, primary_key=True), C("body", T.JSON)])
        alpha = get_dialect("alpha", registry=registry).render(table)
        beta = get_dialect("beta", registry=registry).render(table)
        assert "id UUID NOT NULL" in alpha and "body JSON" in alpha
        assert "id TEXT NOT NULL" in beta and "body JSON" in beta  # inherited from Alpha
        assert "id CHAR(36) NOT NULL" in get_dialect("legacy", registry=registry).render(table)
    finally:
        sys.modules.pop(forms.__name__, None)


class PgJsonDialect(PostgresDialect):
    """A PostgreSQL-compatible dialect under another name (the override is for postgres)."""

    info = DialectInfo(
        name="pgjson_test",
        description="PostgreSQL under another name",
        capabilities=PostgresDialect.info.capabilities,
    )


def test_an_override_changes_one_decision_of_a_class_dialect_only(
    legacy: ModuleType, json_override: ModuleType
) -> None:
    registry = PluginRegistry(load_entry_points=False)
    registry.register(PostgresDialect)
    registry.register(PgJsonDialect)
    registry.register(legacy)
    postgres = get_dialect("postgres", registry=registry)
    before = {
        name: get_dialect(name, registry=registry).render(OUTBOX)
        for name in ("postgres", "pgjson_test")
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        legacy_before = get_dialect("legacy", registry=registry).render(TABLE)
    assert "event_data JSONB NOT NULL" in before["postgres"]

    name = registry.register(json_override)
    after = postgres.render(OUTBOX)  # a dialect already in hand follows the plugin set
    assert "event_data JSON NOT NULL" in after
    assert after.replace(" JSON ", " JSONB ").replace(" JSON,", " JSONB,") == before["postgres"]
    # every other decision is the class's own: VARCHAR, UUID, the partial indexes
    assert "destination VARCHAR(500) NOT NULL" in after and "WHERE" in after
    # other dialects, a subclass under another name included, are not touched
    assert get_dialect("pgjson_test", registry=registry).render(OUTBOX) == before["pgjson_test"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        assert get_dialect("legacy", registry=registry).render(TABLE) == legacy_before
    # the override is listed with the one hook it implements
    (record,) = [p for p in registry.plugins() if p.name == name]
    assert record.hooks == ("whizbang_schema_render_type",)
    # a decision the override defers on reaches the class's method
    json_column = OUTBOX.columns[5]
    assert json_column.data_type is WhizbangDataType.JSON
    context = postgres.context(SchemaConfiguration())
    assert context.render_type(OUTBOX.columns[0], OUTBOX) == "UUID"
    assert (
        context.hook.whizbang_schema_render_type(
            dialect="postgres", column=json_column, table=OUTBOX, context=context
        )
        == "JSON"
    )

    registry.unregister(name)
    assert postgres.render(OUTBOX) == before["postgres"]
