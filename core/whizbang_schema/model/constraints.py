"""Foreign keys and CHECK constraints, as immutable values.

A foreign key names its columns, the table it references (without the prefix: the prefix is
applied to both tables when rendering) and the referenced columns. A CHECK constraint is a
predicate in the portable SQL an index's ``where`` takes (see
:mod:`whizbang_schema.predicate`), parsed and checked at construction. What needs the table
(the columns exist, SET NULL on a nullable column) is checked by the table; what needs the
other table (the referenced columns form its primary key or a unique key, the types match) by
the :class:`~whizbang_schema.SchemaConfiguration`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Set
from typing import Any

import attrs

from .errors import DefinitionError
from .names import check_column_list, check_name
from .predicate import Predicate

__all__ = ["CheckDefinition", "ForeignKeyAction", "ForeignKeyDefinition"]


class ForeignKeyAction(enum.Enum):
    """What a foreign key does to the referencing rows when a referenced row is deleted or
    its key updated. The value is the SQL."""

    NO_ACTION = "NO ACTION"
    RESTRICT = "RESTRICT"
    CASCADE = "CASCADE"
    SET_NULL = "SET NULL"
    SET_DEFAULT = "SET DEFAULT"

    __hash__ = object.__hash__  # as WhizbangDataType: Enum's own hash is Python code

    @property
    def sql(self) -> str:
        return self.value

    @property
    def cascades(self) -> bool:
        """Whether the action changes referencing rows (SQL Server's "cascade path")."""
        return self in (
            ForeignKeyAction.CASCADE,
            ForeignKeyAction.SET_NULL,
            ForeignKeyAction.SET_DEFAULT,
        )


def _names(value: Any) -> Any:
    # Lists become tuples; a set's or a mapping's order is not the caller's: left for the check.
    if isinstance(value, (str, bytes, Set, Mapping)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _action(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, ForeignKeyAction):
        wanted = " ".join(value.upper().replace("_", " ").split())
        for action in ForeignKeyAction:
            if action.value == wanted:
                return action
    return value


@attrs.frozen(slots=True, cache_hash=True)
class ForeignKeyDefinition:
    """``FOREIGN KEY (columns) REFERENCES references_table (references_columns)``.

    ``name`` is prefixed like every other constraint name, and so is ``references_table``
    (a table of the same schema and prefix). ``references_columns`` must be the referenced
    table's primary key or one of its unique keys (checked when that table is in the same
    :class:`~whizbang_schema.SchemaConfiguration`). ``on_delete`` and ``on_update`` are
    :class:`ForeignKeyAction` values (or their SQL, ``"SET NULL"``).
    """

    name: str
    columns: tuple[str, ...] = attrs.field(converter=_names)
    references_table: str
    references_columns: tuple[str, ...] = attrs.field(converter=_names)
    on_delete: ForeignKeyAction = attrs.field(
        default=ForeignKeyAction.NO_ACTION, converter=_action, kw_only=True
    )
    on_update: ForeignKeyAction = attrs.field(
        default=ForeignKeyAction.NO_ACTION, converter=_action, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        problem = check_name(self.name, what="foreign key")
        if problem:
            raise DefinitionError(problem, field="name")
        check_column_list("foreign key", self.name, self.columns)
        problem = check_name(self.references_table, what="table")
        if problem:
            raise DefinitionError(f"foreign key {self.name!r}: {problem}", field="references_table")
        check_column_list(
            "foreign key", self.name, self.references_columns, field="references_columns"
        )
        if len(self.references_columns) != len(self.columns):
            raise DefinitionError(
                f"foreign key {self.name!r} has {len(self.columns)} columns but references "
                f"{len(self.references_columns)}",
                field="references_columns",
            )
        for field in ("on_delete", "on_update"):
            if not isinstance(getattr(self, field), ForeignKeyAction):
                raise DefinitionError(
                    f"foreign key {self.name!r}: {field} must be a ForeignKeyAction (NO ACTION, "
                    f"RESTRICT, CASCADE, SET NULL, SET DEFAULT), got {getattr(self, field)!r}",
                    field=field,
                )

    @property
    def actions(self) -> tuple[tuple[str, ForeignKeyAction], ...]:
        """``(("ON DELETE", action), ("ON UPDATE", action))``."""
        return (("ON DELETE", self.on_delete), ("ON UPDATE", self.on_update))


@attrs.frozen(slots=True, cache_hash=True)
class CheckDefinition:
    """``CONSTRAINT name CHECK (predicate)``: every row must not make ``predicate`` false.

    The predicate is the portable SQL of an index's ``where``; a row for which it is unknown
    (NULL) passes, as SQL says. ``name`` is prefixed like every other constraint name.
    """

    name: str
    predicate: str

    def __attrs_post_init__(self) -> None:
        problem = check_name(self.name, what="check constraint")
        if problem:
            raise DefinitionError(problem, field="name")
        if not isinstance(self.predicate, str):
            raise DefinitionError(
                f"check {self.name!r}: the predicate must be a str, got {self.predicate!r}",
                field="predicate",
            )
        try:
            Predicate.parse(self.predicate)
        except DefinitionError as exc:
            raise DefinitionError(f"check {self.name!r}: {exc.reason}", field="predicate") from None

    @property
    def parsed(self) -> Predicate:
        """The parsed predicate (parsing is cached by text)."""
        return Predicate.parse(self.predicate)
