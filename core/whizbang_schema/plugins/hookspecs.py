"""Hook specifications: every dialect-specific decision is one of these hooks.

Two kinds of plugin implement them, both registered through entry points in the
``whizbang_schema`` group:

* a **dialect class** (:class:`~whizbang_schema.Dialect` subclass): its methods are named like
  these hooks without the ``whizbang_schema_`` prefix and without ``dialect`` (the object is the
  dialect), e.g. ``def render_type(self, column, table, context)``. They need no marker and no
  guard; a subclass overrides one and reaches the inherited answer with ``super()``. The
  generic SQL is the base class's methods.
* a **module** (or object) of functions named like these hooks and decorated with
  ``@whizbang_schema.hookimpl``: override plugins, and dialects written in the 0.1 style
  (which also implement :func:`whizbang_schema_dialects`). Such a function takes ``dialect``
  and returns ``None`` for any case it does not answer.

An implementation may accept any subset of a hook's parameters, by name. Every hook that
picks one answer is ``firstresult``. Rendering for dialect X asks the module implementations
first (``tryfirst`` ones, then newest registered first) and then X's own method; other
dialects are never asked. To override one decision of a dialect, write one small
``@hookimpl(tryfirst=True)`` function that answers for that case and returns ``None``
otherwise.

Hooks must be deterministic functions of their arguments: rendering caches their answers on
the (immutable) definitions and the render context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .markers import hookspec

if TYPE_CHECKING:
    from ..model.capabilities import DialectInfo
    from ..model.catalog import LiveIndex, LiveTable
    from ..model.columntypes import ColumnType
    from ..model.constraints import CheckDefinition, ForeignKeyDefinition
    from ..model.datatypes import WhizbangDataType
    from ..model.defaults import DefaultValue
    from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition
    from ..render.context import RenderContext
    from ..render.statements import Statement
    from .protocols import LiveDatabase


@hookspec
def whizbang_schema_dialects() -> Sequence[DialectInfo]:
    """Describe the dialects this plugin provides.

    Called once, when the registry first needs the list of dialects (lazily, on first use).
    Not firstresult: every plugin's answers are collected. A plugin that only overrides
    decisions of other dialects does not implement it.

    :returns: one :class:`~whizbang_schema.DialectInfo` per dialect, with its name, a one-line
        description, its :class:`~whizbang_schema.Capabilities` and its options. Two plugins
        returning the same name is an error naming both distributions.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_quote_identifier(dialect: str, name: str, context: RenderContext) -> str | None:
    """Spell identifier ``name`` for ``dialect``: bare when safe, quoted otherwise.

    Called for every table, column, index, constraint and schema name, after the core has
    checked the name against the dialect's length limit. The generic implementation quotes
    with the dialect's quote characters (doubling any closing quote inside) when the name is
    reserved or does not match ``Capabilities.bare_identifier``.

    :param dialect: the dialect's name.
    :param name: the identifier as the catalog should store it.
    :param context: the render context (capabilities, options).
    :returns: the SQL spelling, or ``None`` to leave the decision to other implementations.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_type(
    dialect: str, column: ColumnDefinition, table: TableDefinition, context: RenderContext
) -> str | None:
    """Return the SQL type of ``column`` for ``dialect``, e.g. ``"JSONB"``.

    Called once per column while rendering CREATE TABLE (and ADD COLUMN). ``table`` is given
    because some engines need to know how a column is used (SQL Server bounds an unbounded
    string that is an index key).

    The type is a value, ``column.type`` (``StringType(100)``, ``DecimalType(18, 2)``...). The
    generic implementation answers ``TYPES[column.data_type]`` with the parameters standard SQL
    writes (``VARCHAR(n)``, ``VARBINARY(n)``, ``DECIMAL(p,s)``) and raises
    :class:`~whizbang_schema.UnsupportedFeatureError`, naming the dialect and the type, for a
    type missing from ``TYPES``.

    :returns: the type's SQL text, or ``None`` (module plugins) to defer.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_default(
    dialect: str,
    column: ColumnDefinition,
    default: DefaultValue,
    table: TableDefinition,
    context: RenderContext,
) -> str | None:
    """Return the SQL expression of ``default`` on ``column``, without the DEFAULT keyword.

    Called once per column that has a default. The default has already been checked against
    the column's type: an integer default on a BOOLEAN column is 0 or 1 and means false or
    true. The generic implementation renders integer, boolean and string defaults as
    literals through :meth:`RenderContext.render_literal` (so an integer 0 on a BOOLEAN column
    is the dialect's false), ``NULL``, and a :class:`~whizbang_schema.FunctionDefault` as
    ``FUNCTIONS[function]`` (a function missing there is an
    :class:`~whizbang_schema.UnsupportedFeatureError`).

    :returns: the expression, or ``None`` to defer.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_literal(
    dialect: str, column: ColumnDefinition, value: object, context: RenderContext
) -> str | None:
    """Return ``value`` as a SQL literal for ``column``, e.g. ``'it''s'`` or ``TRUE``.

    Called for literal defaults (integer, boolean and string defaults are rendered through
    this hook) and wherever a value is written into a table, such as the conformance kit's
    round trips. ``value`` is a Python value of the column's type: ``None``, ``bool``,
    ``int``, ``str``, :class:`uuid.UUID`, an aware :class:`datetime.datetime`, or for JSON
    columns anything :func:`json.dumps` accepts. The generic implementation writes ``NULL``,
    ``TRUE``/``FALSE``, integers, and everything else as a single-quoted string (quotes
    doubled; timestamps in ISO 8601 with their offset, JSON as its text).

    :returns: the literal, or ``None`` to defer.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_column(
    dialect: str, column: ColumnDefinition, table: TableDefinition, context: RenderContext
) -> str | None:
    """Return ``column``'s definition inside CREATE TABLE, e.g. ``status INTEGER NOT NULL``.

    The generic implementation writes ``name type [NOT NULL] [DEFAULT expr]`` using
    :meth:`RenderContext.render_type` and :meth:`RenderContext.render_default`. Key and unique
    constraints are table-level and not part of the column.

    :returns: the text, or ``None`` to defer.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_create_table(
    dialect: str, table: TableDefinition, context: RenderContext
) -> Statement | Sequence[Statement] | None:
    """Return the statement that creates ``table`` if it does not exist.

    The generic implementation writes ``CREATE TABLE IF NOT EXISTS`` with the columns and the
    named primary-key and unique constraints (:meth:`RenderContext.table_elements`). Engines
    without that guard (SQL Server) or that declare indexes inline (MySQL) answer here.

    :returns: a :class:`~whizbang_schema.Statement` (or several), or ``None`` to defer.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_index(
    dialect: str, table: TableDefinition, index: IndexDefinition, context: RenderContext
) -> Statement | Sequence[Statement] | None:
    """Return the statement that creates ``index`` on ``table`` if it does not exist.

    Called once per index, after CREATE TABLE. The generic implementation writes
    ``CREATE [UNIQUE] INDEX IF NOT EXISTS name ON table (columns) [WHERE predicate]``. On an
    engine without partial indexes it renders a non-unique partial index without its predicate
    (it then covers every row and answers the same queries) with a note that becomes a
    :class:`~whizbang_schema.DegradedRenderWarning`, and raises
    :class:`~whizbang_schema.UnsupportedFeatureError` for a unique one (see
    :meth:`RenderContext.drop_predicate`).

    :returns: a statement, several, ``()`` when the index is declared elsewhere (inside
        CREATE TABLE), or ``None`` to defer. A statement whose definition had to be changed
        to be expressible carries ``notes`` saying how.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_create_schema(
    dialect: str, schema: str, context: RenderContext
) -> Statement | Sequence[Statement] | None:
    """Return the statement that creates ``schema`` if it does not exist.

    Called once, before the tables, when a schema is configured. The generic implementation
    writes ``CREATE SCHEMA IF NOT EXISTS``. A dialect without schemas, or whose schemas are
    not created by DDL (SQLite attaches databases), returns ``()``.

    :returns: a statement, ``()`` for none, or ``None`` to defer.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_connect(dialect: str, target: str, read_only: bool) -> LiveDatabase | None:
    """Open a live database of ``dialect`` for applying and reading back schemas.

    Called by ``whizbang-schema apply`` and by :func:`whizbang_schema.connect`. ``target`` is
    whatever the user gave: a URL (``postgresql://...``) or, for file databases, a path.
    ``read_only`` is true for dry runs and read-backs: then nothing may be created, not even
    a missing database file. Import the database driver here, not at module level, so listing
    dialects stays fast; if it is missing, raise :class:`~whizbang_schema.DatabaseError`
    naming the extra to install.

    :returns: an object implementing :class:`~whizbang_schema.LiveDatabase` (usually a
        :class:`~whizbang_schema.DBAPIDatabase` subclass), or ``None`` (module plugins) to
        defer. The generic implementation raises :class:`~whizbang_schema.DatabaseError`.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_read_catalog(
    dialect: str, database: LiveDatabase, context: RenderContext
) -> Sequence[LiveTable] | None:
    """Read the tables of a live database back, for ``diff``, ``check`` and ``migrate``.

    Called with a connection from ``whizbang_schema_connect``, inside its transaction. Read
    the tables of ``context.effective_schema`` (or the connection's current schema) whose
    names start with ``context.prefix``, with a constant number of catalog queries whatever
    the number of tables. Map types and defaults with the same functions that answer
    ``whizbang_schema_parse_type`` and ``whizbang_schema_parse_default``, and predicates with
    :func:`whizbang_schema.canonical_predicate`, so that a definition applied and read back
    compares equal to :func:`whizbang_schema.expected_tables`.

    :returns: one :class:`~whizbang_schema.LiveTable` per table, or ``None`` (module plugins)
        to defer. The generic implementation raises
        :class:`~whizbang_schema.UnsupportedFeatureError`.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_parse_type(
    dialect: str, sql_type: str, context: RenderContext
) -> ColumnType | None:
    """Map a SQL type back to a column type value (``StringType(500)``, ``column_type(UUID)``).

    ``sql_type`` is either what ``whizbang_schema_render_type`` rendered or what the catalog
    prints (``VARCHAR(500)`` or ``character varying(500)``); both must map alike. Where the
    engine stores several types alike (SQLite's TEXT holds UUIDs, strings, JSON and
    timestamps), pick one canonical answer: both sides of a comparison go through it.

    The generic implementation reads ``TYPES`` backwards (exact spelling, any case).

    :returns: the type value, or ``None`` if this implementation does not know the type. The
        0.1 answer, a ``(WhizbangDataType, max_length)`` pair, is still read as the type value
        it means.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_parse_default(
    dialect: str, sql: str, data_type: WhizbangDataType | None, context: RenderContext
) -> DefaultValue | None:
    """Map a default expression back to a :class:`~whizbang_schema.DefaultValue`.

    ``sql`` is what ``whizbang_schema_render_default`` rendered or what the catalog prints for
    a column of ``data_type``. The generic implementation reads NULL, numbers, quoted strings
    (dropping casts and ``N`` prefixes) and TRUE/FALSE (and 0/1 on BOOLEAN columns, as
    booleans), after ``FUNCTIONS`` read backwards; dialects read other spellings of their
    functions (``now()`` for ``CURRENT_TIMESTAMP``).

    :returns: the default, or ``None`` when it cannot be read.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_expected_table(
    dialect: str, table: TableDefinition, context: RenderContext
) -> LiveTable | None:
    """Return ``table`` as the database will hold it once this dialect has created it.

    The generic implementation (:func:`whizbang_schema.expected_table`) prefixes the names,
    turns unique columns into named unique constraints and maps each rendered type, default
    and predicate back through the parse hooks. A dialect that renders something other than
    the definition (SQL Server's filtered unique indexes for unique keys over nullable
    columns) adjusts the result here.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_add_column(
    dialect: str, table: TableDefinition, column: ColumnDefinition, context: RenderContext
) -> Statement | None:
    """Return the statement that adds ``column`` to an existing ``table`` (for ``migrate``).

    Only called for columns that are nullable or have a default. The generic implementation
    writes ``ALTER TABLE ... ADD COLUMN`` with :meth:`RenderContext.render_column`. Raise
    :class:`~whizbang_schema.UnsupportedFeatureError` for a column the engine cannot add.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_add_index(
    dialect: str, table: TableDefinition, index: IndexDefinition, context: RenderContext
) -> Statement | Sequence[Statement] | None:
    """Return the statement that adds ``index`` to an existing ``table`` (for ``migrate``).

    The generic implementation is ``whizbang_schema_render_index``; a dialect that declares
    indexes inside CREATE TABLE (MySQL) answers with a standalone CREATE INDEX.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_borrow_connection(dialect: str, connection: object) -> LiveDatabase | None:
    """Wrap ``connection``, an open DB-API connection the caller owns, if it is one of
    ``dialect``'s driver (``apply_schema(connection)``).

    Called for every installed dialect until the dialect is known; only look at the
    connection's type (send nothing to the server). The wrapper must never commit, close or
    interrupt the connection: :meth:`~whizbang_schema.DBAPIDatabase.borrow` gives one that
    joins the caller's transaction where the engine allows.

    :returns: a :class:`~whizbang_schema.LiveDatabase`, or ``None`` for another driver's
        connection. The generic implementation answers ``None``.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_create_database(
    dialect: str, url: str, name: str, template: str | None
) -> str | None:
    """Create a database called ``name`` beside the one ``url`` names (on its server; for a
    file database, in its directory), empty, or as a copy of ``template`` (the URL of a
    database beside it) when given, and return the new database's URL.

    Used by the pytest plugin (:mod:`whizbang_schema.testing.databases`), which builds one
    template per session and copies it for every test: make the copy as fast as the engine
    allows (PostgreSQL: ``CREATE DATABASE ... TEMPLATE``). A dialect that can create
    databases but not copy them raises :class:`~whizbang_schema.UnsupportedFeatureError`
    when ``template`` is given: the plugin then creates an empty one and applies the schema.
    ``name`` is a plain identifier the caller chose to be unique.

    :returns: the URL, or ``None`` (module plugins) to defer. The generic implementation
        raises :class:`~whizbang_schema.UnsupportedFeatureError`.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_drop_database(dialect: str, url: str) -> bool | None:
    """Drop the database ``url`` names (one :func:`whizbang_schema_create_database`
    created), ending any session still connected to it where the engine can.

    :returns: ``True`` once dropped (or already gone), ``None`` (module plugins) to defer.
        The generic implementation raises :class:`~whizbang_schema.UnsupportedFeatureError`.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_end_other_sessions(dialect: str, database: LiveDatabase) -> bool | None:
    """End every session connected to ``database``'s database except ``database`` itself,
    and wait until they are gone.

    The pytest plugin calls it before it empties a test's database for the next test: a
    session the test left behind (a background writer, a connection pool) would otherwise
    write its rows into the next test's tables, which a new copy would never receive.

    :returns: ``True`` once no other session remains, ``False`` when some could not be ended
        (the database is then dropped, not reused), ``None`` (module plugins) to defer. The
        generic implementation answers ``False``.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_schema_fingerprint(dialect: str, database: LiveDatabase) -> str | None:
    """A value that changes whenever anything in ``database``'s schema changes (a table,
    column, index, constraint, function, type, view or sequence created, altered or
    dropped), read with one query.

    The pytest plugin reads it after a test: a database whose fingerprint is still the one
    it had when handed out only needs its tables emptied to be as fresh as a new copy, so it
    is reused instead of copied again. Answer only what is certain: a fingerprint that can
    miss a change lets a test see another's leftovers.

    :returns: the fingerprint, or ``None`` when the dialect cannot tell (then every test
        gets a new copy). The generic implementation answers ``None``.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_alter_table(
    dialect: str,
    table: TableDefinition,
    live: LiveTable,
    columns: Sequence[str],
    constraints: Sequence[str],
    context: RenderContext,
) -> Sequence[Statement] | None:
    """Return the statements that bring the existing ``live`` table to ``table`` (for a
    migration plan, ``migrate --plan``).

    Called once per table that has changed columns or missing unique constraints, after the
    plan's backfills (a column made NOT NULL holds no NULL any more) and checks (no rows break
    a narrowed type or a new unique key). The generic implementation writes standard SQL, one
    statement per change: ``ALTER TABLE ... ALTER COLUMN ... SET DATA TYPE``, ``SET``/``DROP
    NOT NULL``, ``SET``/``DROP DEFAULT``, ``ADD CONSTRAINT ... UNIQUE``. A dialect answers
    with its engine's own safe way (SQLite rebuilds the table; MySQL one ``MODIFY COLUMN``).

    :param table: the definition (names not yet prefixed; see ``context.table_name``).
    :param live: the table as read back (names as stored).
    :param columns: names of the columns whose type, nullability or default differ.
    :param constraints: stored names of the unique keys to add (see
        ``context.unique_elements``).
    :returns: the statements in order, each with its ``hazards`` (words of
        ``whizbang_schema.model.hazards.HAZARDS``); ``concurrent=True`` on one that must run
        outside a transaction. Raise :class:`~whizbang_schema.UnsupportedFeatureError` for a
        change the engine cannot make; the plan then lists it as refused.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_change_index(
    dialect: str,
    table: TableDefinition,
    live: LiveIndex | None,
    index: IndexDefinition | None,
    context: RenderContext,
) -> Sequence[Statement] | None:
    """Return the statements that create, drop or replace an index of an existing table
    (for a migration plan).

    ``live`` is the index as stored (``None``: create ``index``); ``index`` the definition
    (``None``: drop ``live``); both: replace the stored index by the defined one (columns,
    uniqueness or predicate changed). The generic implementation drops with ``DROP INDEX`` and
    creates with ``whizbang_schema_render_add_index``, inside the plan's transaction.
    PostgreSQL builds ``CONCURRENTLY`` (``concurrent=True``) so writers never wait.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_drop(
    dialect: str, kind: str, table: str, name: str | None, context: RenderContext
) -> Sequence[Statement] | None:
    """Return the statements that drop an object the definitions no longer have (only with
    ``--allow-drop``).

    :param kind: ``"table"``, ``"column"`` or ``"constraint"`` (a unique key).
    :param table: the table's stored name (prefixed).
    :param name: the column or constraint name; ``None`` for a table.
    :returns: statements carrying the ``drops-data`` hazard. The generic implementation
        writes ``DROP TABLE``, ``ALTER TABLE ... DROP COLUMN`` and ``... DROP CONSTRAINT``.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_rename(
    dialect: str, kind: str, table: str, old: str, new: str, context: RenderContext
) -> Sequence[Statement] | None:
    """Return the statements that rename a table or a column declared with
    ``renamed_from=`` (renames are never guessed).

    :param kind: ``"table"`` (``table`` is the old stored name) or ``"column"`` (``table`` is
        the table's stored name).
    :param old: the stored name now; :param new: the name the definition gives.
    :returns: statements with the ``renames-object`` hazard. The generic implementation writes
        ``ALTER TABLE ... RENAME TO`` and ``ALTER TABLE ... RENAME COLUMN ... TO``.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_foreign_key(
    dialect: str, table: TableDefinition, foreign_key: ForeignKeyDefinition, context: RenderContext
) -> str | None:
    """Return ``foreign_key``'s clause, as it stands inside CREATE TABLE and after
    ``ALTER TABLE ... ADD``: ``CONSTRAINT name FOREIGN KEY (a) REFERENCES t (b) [ON DELETE
    ...] [ON UPDATE ...]``.

    The generic implementation writes that, the referenced table prefixed and qualified like
    ``table``, NO ACTION left out (it is every engine's default), and refuses an action
    missing from ``Capabilities.foreign_key_actions`` with
    :class:`~whizbang_schema.UnsupportedFeatureError`.

    :returns: the text, or ``None`` to defer.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_check(
    dialect: str, table: TableDefinition, check: CheckDefinition, context: RenderContext
) -> str | None:
    """Return ``check``'s predicate as this dialect spells it (without ``CHECK (...)``).

    The same text goes into ``CONSTRAINT name CHECK (...)`` and into the query that counts
    the rows an added CHECK would refuse. The generic implementation is
    :meth:`RenderContext.render_predicate` (the column names quoted for the dialect); SQL
    Server respells ``TRUE``/``FALSE`` as it does in filtered indexes.

    :returns: the text, or ``None`` to defer.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def whizbang_schema_render_add_constraint(
    dialect: str,
    table: TableDefinition,
    constraint: ForeignKeyDefinition | CheckDefinition,
    context: RenderContext,
) -> Statement | Sequence[Statement] | None:
    """Return the statement that adds a foreign key or CHECK to the existing ``table``.

    Called by ``migrate``/``apply`` for a constraint missing from a table that exists, and for
    the foreign keys of a cycle of tables (added once every table exists). The generic
    implementation writes ``ALTER TABLE t ADD`` and the constraint's clause; where
    ``Capabilities.add_constraint`` is false (SQLite) it raises
    :class:`~whizbang_schema.UnsupportedFeatureError`.

    :returns: a statement (of kind ``ADD_CONSTRAINT``), several, or ``None`` to defer.
    """
    raise NotImplementedError
