"""The checks every name and column list of a definition goes through."""

from __future__ import annotations

from .errors import DefinitionError
from .text import check_text

__all__ = ["check_column_list", "check_name"]


def check_name(value: object, *, what: str) -> str | None:
    """Return why ``value`` cannot be a name of a ``what``, or ``None`` if it can."""
    if not isinstance(value, str):
        return f"a {what} name must be a str, got {type(value).__name__} {value!r}"
    if not value or value.isspace():
        return f"a {what} name cannot be empty or blank"
    problem = check_text(value)
    if problem:
        return f"a {what} name {problem}"
    if value != value.strip():
        return f"a {what} name cannot start or end with white space: {value!r}"
    return None


def check_column_list(
    owner: str, name: str, columns: object, field: str = "columns"
) -> tuple[str, ...]:
    """Check the column list of an index or constraint named ``name``; return it."""
    if not isinstance(columns, tuple):
        raise DefinitionError(
            f"{owner} {name!r}: {field} must be a list or tuple of names, got {columns!r}",
            field=field,
        )
    if not columns:
        raise DefinitionError(f"{owner} {name!r} needs at least one column", field=field)
    seen: set[str] = set()
    for column in columns:
        problem = check_name(column, what="column")
        if problem:
            raise DefinitionError(f"{owner} {name!r}: {problem}", field=field)
        folded = column.casefold()
        if folded in seen:
            raise DefinitionError(f"{owner} {name!r} names column {column!r} twice", field=field)
        seen.add(folded)
    return columns
