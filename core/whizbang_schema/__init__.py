"""whizbang-schema: define infrastructure tables once, render correct DDL for any database.

Everything a user or a dialect author needs is importable from here; submodules are
implementation detail unless documented (``whizbang_schema.tables``, ``whizbang_schema.testing``).
"""

from __future__ import annotations

from .apply import ApplyResult, apply_schema, apply_statements
from .canonical import canonical_predicate
from .capabilities import Capabilities, DialectInfo, DialectOption, OptionValue
from .catalog import LiveColumn, LiveIndex, LiveTable, like_prefix
from .configuration import SchemaConfiguration, SchemaGenerator
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
from .dialect import Dialect, available_dialects, get_dialect
from .diff import Difference, SchemaDiff, diff_tables
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
from .expected import expected_table, parse_literal_default, strip_parentheses
from .generic import needs_quoting, quote_with
from .introspect import diff_schema, expected_tables, read_schema
from .keys import KeyLimits, key_string_lengths, table_keys
from .live import LiveDatabase, connect, dialect_for_target, redact_url
from .markers import PROJECT_NAME, hookimpl, hookspec
from .migrate import MigrationPlan, MigrationResult, migrate_schema, plan_migration
from .predicate import Predicate, Token, TokenKind
from .registry import PluginFailure, PluginRecord, PluginRegistry, default_registry
from .statements import Statement, StatementKind, render_script

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
