"""A whole dialect in a few lines: describe it, map the types and the functions."""

from whizbang_schema import (
    Capabilities,
    DialectInfo,
    FunctionDefault,
    hookimpl,
)
from whizbang_schema import (
    WhizbangDataType as T,
)

TYPES = {
    T.UUID: "CHAR(36)",
    T.STRING: "VARCHAR(4000)",
    T.TIMESTAMP_TZ: "TIMESTAMP",
    T.JSON: "CLOB",
    T.BIG_INT: "BIGINT",
    T.INTEGER: "INT",
    T.SMALL_INT: "SMALLINT",
    T.BOOLEAN: "BOOLEAN",
}


@hookimpl
def whizbang_schema_dialects():
    return [
        DialectInfo(
            "toy",
            "a toy SQL engine",
            Capabilities(partial_indexes=False, transactional_ddl=True, max_identifier_chars=63),
        )
    ]


@hookimpl
def whizbang_schema_render_type(dialect, column):
    return TYPES[column.data_type] if dialect == "toy" else None


@hookimpl
def whizbang_schema_render_default(dialect, default):
    if dialect == "toy" and isinstance(default, FunctionDefault):
        return "CURRENT_TIMESTAMP" if default.value.name.startswith("DATETIME") else "UUID()"
    return None
