"""Alembic integration (the ``alembic`` extra): keep autogenerate away from the tables
whizbang-schema owns, and create or extend them inside a migration.

Alembic's autogenerate compares the database with the application's SQLAlchemy metadata and
proposes to drop every table the metadata lacks, the prefixed tables among them.
:func:`include_object` (for ``context.configure(include_object=...)`` in ``env.py``) leaves
them out of the comparison: a configuration's tables and every table whose name starts with
its (non-empty) prefix, and their columns, indexes and constraints. :func:`upgrade` applies
the definitions from a migration through the migration's own connection, inside its
transaction where the engine has transactional DDL (see :func:`~whizbang_schema.apply_schema`
on a connection); its changes are additive, so running it again in a later migration adds
what new definitions bring. Offline (``alembic upgrade --sql``) it writes the rendered
statements, all guarded with ``IF NOT EXISTS`` or the dialect's equivalent, into the script.

This module never imports Alembic or SQLAlchemy: it only uses the objects they pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from .live.apply import ApplyResult, apply_schema
from .live.connect import borrow
from .live.sqla_connections import SQLALCHEMY_DIALECTS, SQLALCHEMY_URLS
from .model.configuration import SchemaConfiguration
from .model.errors import DatabaseError
from .plugins.registry import get_dialect

__all__ = [
    "SQLALCHEMY_DIALECTS",
    "SQLALCHEMY_URLS",
    "include_object",
    "include_object_for",
    "upgrade",
]

IncludeObject = Callable[[Any, "str | None", str, bool, Any], bool]


def include_object_for(*configurations: SchemaConfiguration) -> IncludeObject:
    """An ``include_object`` hook that leaves out the tables of ``configurations`` (each of
    its definitions' tables, and every table whose name starts with its prefix, when it has
    one) and everything on them; the nine tables' default configuration when none is given.

    A table Alembic reports without a schema is in the connection's default schema, which
    may be the one a configuration names (``public``, ``dbo``): it is left out whatever
    schema the configuration names, rather than proposed for dropping.
    """
    owned = [
        (
            c.prefix.casefold(),
            frozenset((c.prefix + t.name).casefold() for t in c.get_all_tables()),
            c.schema.casefold() if c.schema else None,
        )
        for c in (configurations or (SchemaConfiguration(),))
    ]

    def include_object(
        object: Any,  # Alembic passes it by this name
        name: str | None,
        type_: str,
        reflected: bool,
        compare_to: Any,
    ) -> bool:
        table = object if type_ == "table" else getattr(object, "table", None)
        table_name = getattr(table, "name", None) if table is not None else None
        if table_name is None:
            return True
        schema = getattr(table, "schema", None)
        folded = str(table_name).casefold()
        for prefix, names, owned_schema in owned:
            in_schema = owned_schema is None or schema is None or schema.casefold() == owned_schema
            # An empty prefix starts every name: then only the definitions' own tables.
            ours = folded in names or (prefix != "" and folded.startswith(prefix))
            if ours and in_schema:
                return False
        return True

    return include_object


#: The hook for the default configuration (prefix ``wh_``):
#: ``context.configure(..., include_object=whizbang_schema.alembic.include_object)``.
include_object: Final = include_object_for()


def upgrade(
    op: Any, configuration: SchemaConfiguration | None = None, *, dialect: str | None = None
) -> ApplyResult | None:
    """Apply ``configuration`` (the nine tables by default) from a migration's ``upgrade()``:
    ``whizbang_schema.alembic.upgrade(op, SCHEMA)``.

    Online, it runs on ``op``'s connection, in the migration's transaction where the engine
    has transactional DDL, and returns what it did (the :class:`ApplyResult`); what needs a
    decision (a changed column) is in its ``refused``, not applied. Offline (``--sql``) it
    writes the rendered statements into the script as they are and returns ``None``. ``dialect``
    overrides the one taken from SQLAlchemy's dialect name.
    """
    configuration = configuration or SchemaConfiguration()
    context = op.get_context()
    name = dialect or SQLALCHEMY_DIALECTS.get(context.dialect.name)
    if context.as_sql:
        if name is None:
            raise ValueError(f"no whizbang-schema dialect for {context.dialect.name!r}")
        # Written as rendered: op.execute would read ':name' in a string literal as a bind
        # parameter and double every '%' for psycopg, so the script would mean otherwise.
        impl = context.impl
        for statement in get_dialect(name).statements(configuration):
            impl.static_output(statement.sql.strip() + impl.command_terminator)
            if getattr(impl, "batch_separator", None):  # SQL Server's GO, as Alembic writes
                impl.static_output(impl.batch_separator)
        return None
    connection = op.get_bind().connection.dbapi_connection
    try:
        borrow(connection, dialect=name)  # sends nothing: is this driver one we use?
    except DatabaseError as exc:
        url = SQLALCHEMY_URLS.get(name or "")
        raise DatabaseError(
            f"{exc}: SQLAlchemy connected through {context.dialect.driver!r}"
            + (f"; write sqlalchemy.url as {url}://..." if url else "")
        ) from None
    # The SQLAlchemy connection itself, so that the apply joins its transaction (begun by
    # the migration context already, unless env.py runs without one).
    return apply_schema(op.get_bind(), configuration, dialect=name)
