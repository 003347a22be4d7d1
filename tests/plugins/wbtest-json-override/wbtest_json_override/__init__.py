"""Override one decision of a built-in dialect: JSON as JSON, not JSONB, on PostgreSQL."""

from whizbang_schema import WhizbangDataType, hookimpl


@hookimpl(tryfirst=True)
def whizbang_schema_render_type(dialect, column):
    if dialect == "postgres" and column.data_type is WhizbangDataType.JSON:
        return "JSON"
    return None
