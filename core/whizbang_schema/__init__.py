"""whizbang-schema: define infrastructure tables once, render correct DDL for any database.

Everything a user or a dialect author needs is importable from here; submodules are
implementation detail unless documented (``whizbang_schema.tables``, ``whizbang_schema.testing``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .capabilities import Capabilities, DialectInfo, DialectOption, OptionValue
from .context import RenderContext
from .datatypes import INTEGER_RANGES, DefaultValueFunction, WhizbangDataType
from .defaults import (
    BooleanDefault,
    DefaultValue,
    FunctionDefault,
    IntegerDefault,
    NullDefault,
    StringDefault,
)
from .definitions import (
    ColumnDefinition,
    IndexDefinition,
    TableDefinition,
    UniqueConstraintDefinition,
)
from .errors import (
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
from .markers import PROJECT_NAME, hookimpl, hookspec
from .predicate import Predicate, Token, TokenKind
from .statements import Statement, StatementKind, render_script

# The rest is imported on first use (PEP 562): a dialect plugin or a script that only defines
# tables does not pay for the nine canonical tables, the plugin registry or the apply machinery,
# and neither does the command line's start-up (measured in benchmarks/RESULTS.md).
_LAZY = {
    "ApplyResult": "apply",
    "apply_schema": "apply",
    "apply_statements": "apply",
    "SchemaConfiguration": "configuration",
    "SchemaGenerator": "configuration",
    "Dialect": "dialect",
    "available_dialects": "dialect",
    "get_dialect": "dialect",
    "needs_quoting": "generic",
    "quote_with": "generic",
    "LiveDatabase": "live",
    "connect": "live",
    "dialect_for_target": "live",
    "redact_url": "live",
    "PluginFailure": "registry",
    "PluginRecord": "registry",
    "PluginRegistry": "registry",
    "default_registry": "registry",
    "canonical_predicate": "canonical",
    "LiveColumn": "catalog",
    "LiveIndex": "catalog",
    "LiveTable": "catalog",
    "like_prefix": "catalog",
    "Difference": "diff",
    "SchemaDiff": "diff",
    "diff_tables": "diff",
    "expected_table": "expected",
    "parse_literal_default": "expected",
    "strip_parentheses": "expected",
    "diff_schema": "introspect",
    "expected_tables": "introspect",
    "read_schema": "introspect",
    "KeyLimits": "keys",
    "key_string_lengths": "keys",
    "table_keys": "keys",
    "MigrationPlan": "migrate",
    "MigrationResult": "migrate",
    "migrate_schema": "migrate",
    "plan_migration": "migrate",
}

if TYPE_CHECKING:
    from .apply import ApplyResult, apply_schema, apply_statements
    from .canonical import canonical_predicate
    from .catalog import LiveColumn, LiveIndex, LiveTable, like_prefix
    from .configuration import SchemaConfiguration, SchemaGenerator
    from .dialect import Dialect, available_dialects, get_dialect
    from .diff import Difference, SchemaDiff, diff_tables
    from .expected import expected_table, parse_literal_default, strip_parentheses
    from .generic import needs_quoting, quote_with
    from .introspect import diff_schema, expected_tables, read_schema
    from .keys import KeyLimits, key_string_lengths, table_keys
    from .live import LiveDatabase, connect, dialect_for_target, redact_url
    from .migrate import MigrationPlan, MigrationResult, migrate_schema, plan_migration
    from .registry import PluginFailure, PluginRecord, PluginRegistry, default_registry


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
    "INTEGER_RANGES",
    "PROJECT_NAME",
    "ApplyResult",
    "BooleanDefault",
    "Capabilities",
    "ColumnDefinition",
    "DatabaseError",
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
    "FunctionDefault",
    "IdentifierError",
    "IndexDefinition",
    "IntegerDefault",
    "KeyLimits",
    "LiveColumn",
    "LiveDatabase",
    "LiveIndex",
    "LiveTable",
    "MigrationPlan",
    "MigrationResult",
    "NullDefault",
    "OptionError",
    "OptionValue",
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
    "Statement",
    "StatementKind",
    "StringDefault",
    "TableDefinition",
    "Token",
    "TokenKind",
    "UniqueConstraintDefinition",
    "UnsupportedFeatureError",
    "WhizbangDataType",
    "__version__",
    "apply_schema",
    "apply_statements",
    "available_dialects",
    "canonical_predicate",
    "connect",
    "default_registry",
    "dialect_for_target",
    "diff_schema",
    "diff_tables",
    "expected_table",
    "expected_tables",
    "get_dialect",
    "hookimpl",
    "hookspec",
    "key_string_lengths",
    "like_prefix",
    "migrate_schema",
    "needs_quoting",
    "parse_literal_default",
    "plan_migration",
    "quote_with",
    "read_schema",
    "redact_url",
    "render_script",
    "strip_parentheses",
    "table_keys",
]
