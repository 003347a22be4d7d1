"""The order tables are created in, and the cascade paths their foreign keys make.

A table is created after the tables it references, so that its foreign keys can be declared
inside its CREATE TABLE (the referenced table must exist on every engine but SQLite). A cycle
of references has no such order: the first table of the cycle (in the configuration's order)
is created without its foreign keys to the tables still to come, which are added with ALTER
TABLE once every table exists.
"""

from __future__ import annotations

from collections.abc import Sequence

from .constraints import ForeignKeyDefinition
from .definitions import TableDefinition

__all__ = ["cascade_path_problem", "creation_order"]


def creation_order(
    tables: Sequence[TableDefinition],
) -> tuple[tuple[TableDefinition, ...], dict[str, tuple[ForeignKeyDefinition, ...]]]:
    """``tables`` in an order where each comes after the tables it references (the given order
    wherever it already does), and the foreign keys that must wait until every table exists
    (by table name): those of a cycle that point forward."""
    if not any(t.foreign_keys for t in tables):
        return tuple(tables), {}
    by_name = {t.name.casefold(): t for t in tables}

    def needs(table: TableDefinition) -> set[str]:
        return {
            fk.references_table.casefold()
            for fk in table.foreign_keys
            if fk.references_table.casefold() in by_name
            and fk.references_table.casefold() != table.name.casefold()
        }

    pending = list(tables)
    made: set[str] = set()
    order: list[TableDefinition] = []
    deferred: dict[str, tuple[ForeignKeyDefinition, ...]] = {}
    while pending:
        ready = next((t for t in pending if needs(t) <= made), None)
        if ready is None:  # a cycle: the first table waits for nothing, its forward keys do
            ready = pending[0]
            later = needs(ready) - made
            deferred[ready.name] = tuple(
                fk for fk in ready.foreign_keys if fk.references_table.casefold() in later
            )
        pending.remove(ready)
        made.add(ready.name.casefold())
        order.append(ready)
    return tuple(order), deferred


def cascade_path_problem(tables: Sequence[TableDefinition], event: str) -> str | None:
    """Why the foreign keys of ``tables`` make a cycle or several paths of actions that change
    rows (CASCADE, SET NULL, SET DEFAULT) on ``event`` (``"delete"`` or ``"update"``), or
    ``None``. SQL Server refuses such a schema (error 1785); this finds it before any SQL.

    Edges go from the referenced table to the referencing one, one per foreign key whose
    action changes rows. Two paths from one table to another, or a path back to its start
    (a table referencing itself included), is what SQL Server refuses.
    """
    by_name = {t.name.casefold(): t for t in tables}
    edges: dict[str, list[tuple[str, str]]] = {}
    for table in tables:
        for fk in table.foreign_keys:
            action = fk.on_delete if event == "delete" else fk.on_update
            parent = fk.references_table.casefold()
            if action.cascades and parent in by_name:
                edges.setdefault(parent, []).append((table.name, fk.name))
    for start in sorted(edges):
        # Walk every path from start, keeping the first path found to each table.
        reached: dict[str, list[str]] = {}
        stack: list[tuple[str, list[str]]] = [(start, [])]
        while stack:
            node, path = stack.pop()
            for child, fk_name in edges.get(node, ()):
                step = [*path, f"{fk_name} ({by_name[node].name} -> {child})"]
                key = child.casefold()
                if key == start:
                    return (
                        f"ON {event.upper()} actions form a cycle: {', '.join(step)}; SQL Server "
                        f"refuses cycles and multiple cascade paths (error 1785): make one of "
                        f"them NO ACTION"
                    )
                if key in reached:
                    return (
                        f"ON {event.upper()} actions reach {child!r} from "
                        f"{by_name[start].name!r} by two paths: {', '.join(reached[key])} and "
                        f"{', '.join(step)}; SQL Server refuses multiple cascade paths (error "
                        f"1785): make one of them NO ACTION"
                    )
                reached[key] = step
                stack.append((key, step))
    return None
