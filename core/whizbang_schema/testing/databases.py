"""The pytest plugin for applications' tests: a fresh database per test holding your
definitions, fast enough to use for every test.

Loaded through the ``pytest11`` entry point ``whizbang_schema_databases`` (or ``-p
whizbang_schema.testing.databases`` where plugins are not auto-loaded); it does nothing until
a test asks for one of its fixtures, which need the ini option ``whizbang_database_url``
(overridden by ``WHIZBANG_DATABASE_URL``, and both by ``--whizbang-database-url``): a
database on the server to create test databases beside
(``postgresql://postgres@127.0.0.1:5432/postgres``, ``mysql://root@127.0.0.1:3306/test``),
or ``sqlite://`` for files in the temporary directory. ``whizbang_definitions =
package.module:ATTRIBUTE`` names what each database holds: a
:class:`~whizbang_schema.SchemaConfiguration`, or a sequence of
:class:`~whizbang_schema.TableDefinition` (then under the default prefix); the nine tables
when unset.

* ``whizbang_database``: a :class:`TestDatabase` (``url``, ``dialect``) holding exactly the
  definitions, with no rows. Once per session (per xdist worker: names carry the worker id)
  the definitions are applied to a template database; each test gets a copy made by the
  dialect's ``create_database`` decision (PostgreSQL ``CREATE DATABASE ... TEMPLATE``, SQLite
  the backup API, MySQL/MariaDB ``CREATE TABLE ... LIKE``), or, for a dialect that cannot
  copy, a new database with the schema applied. After a test, a database whose schema
  fingerprint (the ``schema_fingerprint`` decision, PostgreSQL's catalogs) is unchanged has
  its tables emptied and goes to the next test; one whose schema changed, or whose tables
  cannot be emptied, is dropped. ``whizbang_reuse = false`` gives every test a new copy.
* ``whizbang_connection``: the driver's own connection (psycopg, sqlite3, PyMySQL) to such a
  database, inside a transaction rolled back after the test. A test that commits, or runs
  DDL on MySQL/MariaDB (which commits implicitly), still leaves nothing behind: the database
  is then checked and emptied or dropped as above.
"""

from __future__ import annotations

import importlib
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import suppress
from typing import Any

import attrs
import pytest

from whizbang_schema.live.apply import apply_schema
from whizbang_schema.live.connect import connect, dialect_for_target
from whizbang_schema.live.dbapi import DBAPIDatabase
from whizbang_schema.live.urls import redact_url
from whizbang_schema.model.configuration import SchemaConfiguration
from whizbang_schema.model.definitions import TableDefinition
from whizbang_schema.model.errors import DatabaseError, SchemaError, UnsupportedFeatureError
from whizbang_schema.plugins.protocols import LiveDatabase
from whizbang_schema.plugins.registry import get_dialect

__all__ = ["TestDatabase", "load_definitions"]

URL_VARIABLE = "WHIZBANG_DATABASE_URL"

#: Seconds the plugin waits for a lock while emptying a test's tables; a test that left a
#: transaction open on them gets its database dropped instead.
EMPTYING_LOCK_TIMEOUT = 2.0


@attrs.frozen(slots=True)
class TestDatabase:
    """One test's database: its ``url`` (give it to your code), the ``dialect``'s name, and
    whether it was ``reused`` (emptied after an earlier test that left its schema as it
    found it) rather than copied for this test."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    url: str = attrs.field(repr=lambda url: repr(redact_url(url)))  # pytest prints reprs
    dialect: str
    reused: bool = False

    def __str__(self) -> str:
        return self.url


def load_definitions(spec: str) -> SchemaConfiguration:
    """The :class:`SchemaConfiguration` that ``module:attribute`` names (a configuration,
    or a sequence of tables under the default prefix); the nine tables for ``""``."""
    if not spec.strip():
        return SchemaConfiguration()
    module_name, _, attribute = spec.strip().partition(":")
    if not attribute:
        raise pytest.UsageError(
            f"whizbang_definitions is module:attribute (e.g. app.schema:SCHEMA), got {spec!r}"
        )
    value: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        value = getattr(value, part)
    if isinstance(value, SchemaConfiguration):
        return value
    if isinstance(value, Sequence) and all(isinstance(t, TableDefinition) for t in value):
        return SchemaConfiguration(tables=tuple(value))
    raise pytest.UsageError(
        f"whizbang_definitions {spec!r} is {type(value).__name__}, not a SchemaConfiguration "
        f"or a sequence of TableDefinition"
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("whizbang_databases", "whizbang-schema test databases")
    group.addoption(
        "--whizbang-database-url",
        dest="whizbang_database_url",
        default=None,
        help=f"the server to create test databases on (or {URL_VARIABLE})",
    )
    parser.addini(
        "whizbang_database_url",
        help="a database on the server to create test databases beside; sqlite:// for files",
        default="",
    )
    parser.addini(
        "whizbang_definitions",
        help="module:attribute of the SchemaConfiguration (or tables) each test database holds",
        default="",
    )
    parser.addini(
        "whizbang_reuse",
        type="bool",
        help="reuse a test's database, emptied, when its schema is unchanged (default true)",
        default=True,
    )


class _Pooled:
    """A test database this session made, with the connection that checks and empties it."""

    def __init__(self, url: str, fingerprint: str | None, watcher: LiveDatabase | None) -> None:
        self.url = url
        self.fingerprint = fingerprint
        self.watcher = watcher


class DatabaseFactory:
    """One session's (one xdist worker's) template and test databases."""

    def __init__(self, url: str, configuration: SchemaConfiguration, reuse: bool) -> None:
        self.url = url
        self.configuration = configuration
        self.reuse = reuse
        self.dialect = dialect_for_target(url)
        capabilities = get_dialect(self.dialect).info.capabilities
        if configuration.schema and not capabilities.schemas_in_database:
            # Every test's tables would be the same ones, in that other database.
            raise pytest.UsageError(
                f"whizbang_definitions: schema {configuration.schema!r} is a database of its "
                f"own on {self.dialect}, shared by every test database; leave schema unset"
            )
        self.decisions = get_dialect(self.dialect).decisions()
        self.context = get_dialect(self.dialect).context(configuration)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.base = f"whizbang_test_{worker}_{os.getpid()}_{secrets.token_hex(3)}"
        self.template: str | None = None
        self.copies = 0
        self.free: list[_Pooled] = []
        self.made: list[_Pooled] = []

    def _new_name(self) -> str:
        self.copies += 1
        return f"{self.base}_{self.copies}"

    def _template(self) -> str:
        """The template's URL, built on first use (and dropped again if the definitions
        cannot be applied to it)."""
        if self.template is None:
            url = self.decisions.create_database(self.url, f"{self.base}_template", None)
            try:
                apply_schema(url, self.configuration, dialect=self.dialect)
            except BaseException:
                with suppress(Exception):  # the apply's error is the one to report
                    self.decisions.drop_database(url)
                raise
            self.template = url
        return self.template

    def acquire(self) -> TestDatabase:
        if self.free:
            pooled = self.free.pop()
            return TestDatabase(pooled.url, self.dialect, reused=True)
        template = self._template()
        name = self._new_name()
        try:
            url = self.decisions.create_database(self.url, name, template)
        except UnsupportedFeatureError:  # no copies: an empty database and the schema
            url = self.decisions.create_database(self.url, name, None)
            apply_schema(url, self.configuration, dialect=self.dialect)
        watcher: LiveDatabase | None = None
        fingerprint = None
        if self.reuse:
            watcher = connect(url, dialect=self.dialect, lock_timeout=EMPTYING_LOCK_TIMEOUT)
            fingerprint = self.decisions.schema_fingerprint(watcher)
            if fingerprint is None:  # the dialect cannot tell: a copy for every test
                watcher.close()
                watcher = None
                self.reuse = False
        pooled = _Pooled(url, fingerprint, watcher)
        self.made.append(pooled)
        return TestDatabase(url, self.dialect)

    def release(self, database: TestDatabase) -> None:
        pooled = next(p for p in self.made if p.url == database.url)
        if pooled.watcher is not None and self._empty_if_unchanged(pooled):
            self.free.append(pooled)
            return
        self._drop(pooled)

    def _empty_if_unchanged(self, pooled: _Pooled) -> bool:
        watcher = pooled.watcher
        assert watcher is not None
        try:
            # Nothing the test left running may write into the next test's rows.
            if not self.decisions.end_other_sessions(watcher):
                return False
            if self.decisions.schema_fingerprint(watcher) != pooled.fingerprint:
                return False
            for table in self.configuration.get_all_tables():
                watcher.execute(f"DELETE FROM {self.context.qualified_table(table)}")
            return bool(self.decisions.schema_fingerprint(watcher) == pooled.fingerprint)
        except DatabaseError:
            return False

    def _drop(self, pooled: _Pooled) -> None:
        if pooled.watcher is not None:
            pooled.watcher.close()
            pooled.watcher = None
        self.made.remove(pooled)
        self.decisions.drop_database(pooled.url)

    def close(self) -> None:
        """Drop every database this session made, the template last."""
        errors: list[BaseException] = []
        for pooled in list(self.made):
            try:
                self._drop(pooled)
            except Exception as exc:
                errors.append(exc)
        self.free.clear()
        if self.template is not None:
            try:
                self.decisions.drop_database(self.template)
            except Exception as exc:
                errors.append(exc)
        if errors:
            raise errors[0]


@pytest.fixture(scope="session")
def whizbang_database_factory(pytestconfig: pytest.Config) -> Iterator[DatabaseFactory]:
    """This session's :class:`DatabaseFactory` (made on first use, its databases dropped at
    the end)."""
    # The command line, then the environment (CI's server), then the project's ini file.
    url = (
        pytestconfig.getoption("whizbang_database_url", None)
        or os.environ.get(URL_VARIABLE, "")
        or str(pytestconfig.getini("whizbang_database_url") or "")
    )
    if not url:
        pytest.fail(
            "whizbang_database needs a server: set whizbang_database_url in the pytest ini "
            f"file, pass --whizbang-database-url=URL or set {URL_VARIABLE}",
            pytrace=False,
        )
    configuration = load_definitions(str(pytestconfig.getini("whizbang_definitions") or ""))
    factory = DatabaseFactory(url, configuration, bool(pytestconfig.getini("whizbang_reuse")))
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture
def whizbang_database(whizbang_database_factory: DatabaseFactory) -> Iterator[TestDatabase]:
    """A database holding the configured definitions and no rows, for this test alone."""
    try:
        database = whizbang_database_factory.acquire()
    except SchemaError as exc:
        # The message alone: a traceback prints every frame's URL, password and all.
        pytest.fail(f"whizbang_database: {exc}", pytrace=False)
    try:
        yield database
    finally:
        whizbang_database_factory.release(database)


@pytest.fixture
def whizbang_connection(whizbang_database: TestDatabase) -> Iterator[Any]:
    """The driver's connection to this test's database, in a transaction rolled back
    after the test (and closed)."""
    database = connect(whizbang_database.url, dialect=whizbang_database.dialect)
    if not isinstance(database, DBAPIDatabase):
        database.close()
        pytest.fail(f"the {whizbang_database.dialect} dialect has no DB-API connection")
    try:
        connection = database.take_connection()
    except BaseException:
        database.close()
        raise
    try:
        yield connection
    finally:
        with suppress(Exception):
            connection.rollback()
        connection.close()
