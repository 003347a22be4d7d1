"""whizbang-schema: define infrastructure tables once, render correct DDL for any database.

Everything a user or a dialect author needs is importable from here; submodules are
implementation detail unless documented (``whizbang_schema.tables``, ``whizbang_schema.testing``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .model.capabilities import Capabilities, DialectInfo, DialectOption, OptionValue
from .model.columntypes import (
    MAX_DECIMAL_PRECISION,
    BytesType,
    ColumnType,
    DecimalType,
    SimpleType,
    StringType,
    as_column_type,
    column_type,
)
from .model.constraints import CheckDefinition, ForeignKeyAction, ForeignKeyDefinition
from .model.datatypes import INTEGER_RANGES, DefaultValueFunction, WhizbangDataType
from .model.defaults import (
    BooleanDefault,
    BytesDefault,
    DateDefault,
    DecimalDefault,
    DefaultValue,
    DoubleDefault,
    FunctionDefault,
    IntegerDefault,
    NullDefault,
    StringDefault,
)
from .model.definitions import (
    ColumnDefinition,
    IndexDefinition,
    TableDefinition,
    UniqueConstraintDefinition,
)
from .model.errors import (
    DatabaseError,
    DefinitionError,
    DegradedRenderWarning,
    DialectConflictError,
    DialectNotFoundError,
    IdentifierError,
    OptionError,
    PluginError,
    PluginLoadWarning,
    RenderError,
    SchemaError,
    SchemaWarning,
    UnsupportedFeatureError,
)
from .model.predicate import Predicate, Token, TokenKind
from .plugins.markers import PROJECT_NAME, hookimpl, hookspec
from .render.context import RenderContext
from .render.statements import Statement, StatementKind, render_script

# The rest is imported on first use (PEP 562): a dialect plugin or a script that only defines
# tables does not pay for the nine canonical tables, the plugin registry or the apply machinery,
# and neither does the command line's start-up (measured in benchmarks/RESULTS.md).
_LAZY = {
    "ApplyResult": "live.apply",
    "apply_schema": "live.apply",
    "apply_statements": "live.apply",
    "SchemaConfiguration": "model.configuration",
    "SchemaGenerator": "model.configuration",
    "Dialect": "plugins.dialect",
    "available_dialects": "plugins.registry",
    "get_dialect": "plugins.registry",
    "needs_quoting": "render.spelling",
    "quote_with": "render.spelling",
    "LiveDatabase": "plugins.protocols",
    "connect": "live.connect",
    "dialect_for_target": "live.connect",
    "DBAPIDatabase": "live.dbapi",
    "file_database_path": "live.urls",
    "redact_url": "live.urls",
    "ServerURL": "live.urls",
    "server_url": "live.urls",
    "with_database": "live.urls",
    "PluginFailure": "plugins.registry",
    "PluginRecord": "plugins.registry",
    "PluginRegistry": "plugins.registry",
    "default_registry": "plugins.registry",
    "canonical_predicate": "model.canonical",
    "LiveColumn": "model.catalog",
    "LiveCheck": "model.catalog",
    "LiveForeignKey": "model.catalog",
    "cascade_path_problem": "model.dependencies",
    "creation_order": "model.dependencies",
    "LiveIndex": "model.catalog",
    "LiveTable": "model.catalog",
    "gather_tables": "model.catalog",
    "like_prefix": "model.catalog",
    "Difference": "live.diff",
    "SchemaDiff": "live.diff",
    "diff_tables": "live.diff",
    "expected_table": "render.expected",
    "parse_literal_default": "render.expected",
    "strip_parentheses": "render.expected",
    "diff_schema": "live.introspect",
    "expected_tables": "live.introspect",
    "read_schema": "live.introspect",
    "KeyLimits": "model.keys",
    "KeyWidth": "model.keys",
    "key_string_lengths": "model.keys",
    "fit_key_strings": "model.keys",
    "table_keys": "model.keys",
    "MigrationPlan": "live.migrate",
    "MigrationResult": "live.migrate",
    "migrate_schema": "live.migrate",
    "plan_migration": "live.migrate",
    "HAZARDS": "model.hazards",
    "Hazard": "model.hazards",
    "TypeChange": "render.changes",
    "type_change": "render.changes",
    "string_length": "render.changes",
    "alter_statement": "plugins.dialect",
    "Plan": "live.plan",
    "PlannedChange": "live.plan",
    "build_plan": "live.plan",
    "PlanRefusedError": "live.plan_run",
    "PlanResult": "live.plan_run",
    "execute_plan": "live.plan_run",
    "plan_from_json": "live.planfile",
    "plan_to_json": "live.planfile",
}

if TYPE_CHECKING:
    from .live.apply import ApplyResult, apply_schema, apply_statements
    from .live.connect import connect, dialect_for_target
    from .live.dbapi import DBAPIDatabase
    from .live.diff import Difference, SchemaDiff, diff_tables
    from .live.introspect import diff_schema, expected_tables, read_schema
    from .live.migrate import MigrationPlan, MigrationResult, migrate_schema, plan_migration
    from .live.plan import Plan, PlannedChange, build_plan
    from .live.plan_run import PlanRefusedError, PlanResult, execute_plan
    from .live.planfile import plan_from_json, plan_to_json
    from .live.urls import ServerURL, file_database_path, redact_url, server_url, with_database
    from .model.canonical import canonical_predicate
    from .model.catalog import (
        LiveCheck,
        LiveColumn,
        LiveForeignKey,
        LiveIndex,
        LiveTable,
        gather_tables,
        like_prefix,
    )
    from .model.configuration import SchemaConfiguration, SchemaGenerator
    from .model.dependencies import cascade_path_problem, creation_order
    from .model.hazards import HAZARDS, Hazard
    from .model.keys import KeyLimits, KeyWidth, fit_key_strings, key_string_lengths, table_keys
    from .plugins.dialect import Dialect, alter_statement
    from .plugins.protocols import LiveDatabase
    from .plugins.registry import (
        PluginFailure,
        PluginRecord,
        PluginRegistry,
        available_dialects,
        default_registry,
        get_dialect,
    )
    from .render.changes import TypeChange, string_length, type_change
    from .render.expected import expected_table, parse_literal_default, strip_parentheses
    from .render.spelling import needs_quoting, quote_with


def __getattr__(name: str) -> object:
    if name == "tables":  # the documented submodule, as an attribute of the package
        return importlib.import_module(f"{__name__}.tables")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    "HAZARDS",
    "INTEGER_RANGES",
    "MAX_DECIMAL_PRECISION",
    "PROJECT_NAME",
    "ApplyResult",
    "BooleanDefault",
    "BytesDefault",
    "BytesType",
    "Capabilities",
    "CheckDefinition",
    "ColumnDefinition",
    "ColumnType",
    "DBAPIDatabase",
    "DatabaseError",
    "DateDefault",
    "DecimalDefault",
    "DecimalType",
    "DefaultValue",
    "DefaultValueFunction",
    "DefinitionError",
    "DegradedRenderWarning",
    "Dialect",
    "DialectConflictError",
    "DialectInfo",
    "DialectNotFoundError",
    "DialectOption",
    "Difference",
    "DoubleDefault",
    "ForeignKeyAction",
    "ForeignKeyDefinition",
    "FunctionDefault",
    "Hazard",
    "IdentifierError",
    "IndexDefinition",
    "IntegerDefault",
    "KeyLimits",
    "KeyWidth",
    "LiveCheck",
    "LiveColumn",
    "LiveDatabase",
    "LiveForeignKey",
    "LiveIndex",
    "LiveTable",
    "MigrationPlan",
    "MigrationResult",
    "NullDefault",
    "OptionError",
    "OptionValue",
    "Plan",
    "PlanRefusedError",
    "PlanResult",
    "PlannedChange",
    "PluginError",
    "PluginFailure",
    "PluginLoadWarning",
    "PluginRecord",
    "PluginRegistry",
    "Predicate",
    "RenderContext",
    "RenderError",
    "SchemaConfiguration",
    "SchemaDiff",
    "SchemaError",
    "SchemaGenerator",
    "SchemaWarning",
    "ServerURL",
    "SimpleType",
    "Statement",
    "StatementKind",
    "StringDefault",
    "StringType",
    "TableDefinition",
    "Token",
    "TokenKind",
    "TypeChange",
    "UniqueConstraintDefinition",
    "UnsupportedFeatureError",
    "WhizbangDataType",
    "__version__",
    "alter_statement",
    "apply_schema",
    "apply_statements",
    "as_column_type",
    "available_dialects",
    "build_plan",
    "canonical_predicate",
    "cascade_path_problem",
    "column_type",
    "connect",
    "creation_order",
    "default_registry",
    "dialect_for_target",
    "diff_schema",
    "diff_tables",
    "execute_plan",
    "expected_table",
    "expected_tables",
    "file_database_path",
    "fit_key_strings",
    "gather_tables",
    "get_dialect",
    "hookimpl",
    "hookspec",
    "key_string_lengths",
    "like_prefix",
    "migrate_schema",
    "needs_quoting",
    "parse_literal_default",
    "plan_from_json",
    "plan_migration",
    "plan_to_json",
    "quote_with",
    "read_schema",
    "redact_url",
    "render_script",
    "server_url",
    "string_length",
    "strip_parentheses",
    "table_keys",
    "type_change",
    "with_database",
]
