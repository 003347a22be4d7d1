"""whizbang-schema: define infrastructure tables once, render correct DDL for any database.

Everything a user or a dialect author needs is importable from here; submodules are
implementation detail unless documented (``whizbang_schema.tables``, ``whizbang_schema.testing``).
"""

from __future__ import annotations

from .apply import ApplyResult, apply_schema, apply_statements
from .capabilities import Capabilities, DialectInfo, DialectOption, OptionValue
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
from .generic import needs_quoting, quote_with
from .keys import KeyLimits, key_string_lengths, table_keys
from .live import LiveDatabase, connect, dialect_for_target, redact_url
from .markers import PROJECT_NAME, hookimpl, hookspec
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
    "FunctionDefault",
    "IdentifierError",
    "IndexDefinition",
    "IntegerDefault",
    "KeyLimits",
    "LiveDatabase",
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
    "connect",
    "default_registry",
    "dialect_for_target",
    "get_dialect",
    "hookimpl",
    "hookspec",
    "key_string_lengths",
    "needs_quoting",
    "quote_with",
    "redact_url",
    "render_script",
    "table_keys",
]
