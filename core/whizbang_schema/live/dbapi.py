"""A live database over a DB-API 2 (PEP 249) driver: what every engine shares, written once.

Every dialect that reaches a live engine needs the same plumbing: import the driver only when
connecting, open a connection, run a transaction that holds a schema lock, run queries with
parameters, turn the driver's exceptions into :class:`~whizbang_schema.DatabaseError` (with the
server's message, never the password) and count round trips. :class:`DBAPIDatabase` owns all of
it; a dialect's subclass states its engine in class attributes and overrides only what its
engine does differently: how to open a connection, which statements begin a transaction and
take the lock, and how to find the objects that already exist.

Three promises hold on every engine. No wait is unbounded: :attr:`~DBAPIDatabase.lock_timeout`
bounds the wait for the schema lock and for every lock a statement waits on. An interrupt
(Ctrl-C, or SIGTERM raised as an exception) never leaves the server working or the lock held:
:meth:`~DBAPIDatabase.interrupt` stops the running statement from outside the connection and
ends the session. No message, chained exception or repr shows a password.

A database may also wrap a connection the caller opened and owns (:meth:`DBAPIDatabase.borrow`,
what ``apply_schema(connection)`` uses): then it never commits, closes or interrupts it. Where
the engine has transactional DDL and the connection is not in autocommit mode, the work joins
the caller's transaction inside a savepoint (an error undoes only what the apply did), and the
caller decides whether to commit.
"""

from __future__ import annotations

import abc
import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TypeAlias, TypeVar

from ..model.errors import DatabaseError
from ..render.statements import Statement
from .urls import quote_password, redact_url, url_secrets

__all__ = ["DEFAULT_LOCK_TIMEOUT", "SAVEPOINT", "DBAPIDatabase"]

#: Seconds a live command waits for a lock before giving up (``--lock-timeout``); 0 waits
#: forever.
DEFAULT_LOCK_TIMEOUT = 10.0

Params: TypeAlias = Sequence[Any] | Mapping[str, Any] | None

_Database = TypeVar("_Database", bound="DBAPIDatabase")

#: The savepoint an apply on a borrowed connection runs in, inside the caller's transaction.
SAVEPOINT = "whizbang_schema_apply"


class DBAPIDatabase(abc.ABC):
    """A :class:`~whizbang_schema.LiveDatabase` over a DB-API 2 driver.

    A subclass sets the class attributes ``dialect`` (the dialect's name), ``engine`` (the
    engine's name in messages, ``"PostgreSQL"``), ``driver_module`` (the module to import,
    ``"psycopg"``), ``install_hint`` (how to install it) and ``transactional_ddl``, and
    implements :meth:`open` and :meth:`existing`. The connection is in autocommit mode:
    :meth:`transaction` begins and commits explicitly, so a statement outside it is committed
    at once.

    ``DBAPIDatabase(target, read_only=...)`` imports the driver and opens the connection;
    opening counts as one round trip. ``target`` is the URL or path the user gave; it is kept
    only with its password redacted (:attr:`target`), so a repr or a message cannot leak it.
    ``driver`` is the imported module and ``connection`` the driver's connection, for what the
    base does not cover. ``lock_timeout`` (seconds, 0 for none) bounds every lock wait; a
    subclass's :meth:`open` applies :attr:`lock_timeout` as it connects and
    :meth:`set_lock_timeout` applies a later change.
    """

    #: The dialect's name, as ``DialectInfo.name``.
    dialect: str
    #: The engine's name in messages: ``"PostgreSQL: relation ... does not exist"``.
    engine: str
    #: The driver's importable module name; imported when the first connection opens.
    driver_module: str
    #: The command that installs the driver, shown when it is missing.
    install_hint: str
    #: Whether :meth:`transaction` makes DDL all-or-nothing. When false, :meth:`transaction`
    #: only takes the lock: there is no transaction to begin, commit or roll back.
    transactional_ddl: bool = True
    #: What :meth:`lock_budget` reads, for messages: ``"max_locks_per_transaction"``.
    lock_budget_setting: str = "the lock budget"
    #: Whether the connection is the caller's (:meth:`borrow`): never committed, closed or
    #: interrupted here.
    borrowed: bool = False

    def __init__(
        self, target: str, *, read_only: bool = False, lock_timeout: float | None = None
    ) -> None:
        self.target = redact_url(target)
        self.read_only = read_only
        self.round_trips = 0
        #: Statements :meth:`execute` ran since the schema lock was taken or the last
        #: :meth:`checkpoint` (kept where DDL commits as it goes, so an interrupt can say how
        #: many), and those committed by checkpoints since the lock was taken.
        self.statements_run = 0
        self.statements_committed = 0
        self._lock_timeout = _seconds(
            DEFAULT_LOCK_TIMEOUT if lock_timeout is None else lock_timeout
        )
        self._secrets = tuple(s for s in url_secrets(target) if len(s) >= 4)
        self.driver: Any = self.import_driver()
        self._errors = self.error_types()
        # ValueError: a NUL in a path, a port that is not a number.
        unusable: tuple[type[BaseException], ...] = (*self._errors, ValueError)
        try:
            # A password holding '/', '@' or '#' percent-encoded, so the driver reads it whole.
            self.connection: Any = self.open(quote_password(target), read_only)
        except DatabaseError:
            raise
        except unusable as exc:
            shown = self.target if self.target.isprintable() else repr(self.target)
            raise self.database_error(exc, f"cannot connect to {self.engine} at {shown}") from None
        self.round_trips += 1
        self._closed = False

    @classmethod
    def borrow(cls: type[_Database], connection: Any) -> _Database:
        """Wrap ``connection``, an open connection of this class's driver that the caller
        owns and keeps owning.

        Nothing is sent to the server here. :meth:`transaction` joins the caller's
        transaction where it can (see the module's docstring); :meth:`close` leaves the
        connection open. The connection keeps its own lock timeouts (:attr:`lock_timeout`
        reads 0: this object does not bound them).
        """
        self = cls.__new__(cls)
        self.target = f"a {cls.engine} connection of the caller"
        self.read_only = False
        self.round_trips = 0
        self.statements_run = 0
        self.statements_committed = 0
        self._lock_timeout = 0.0
        self._secrets = ()
        self.driver = self.import_driver()
        self._errors = self.error_types()
        self.connection = connection
        self.borrowed = True
        self._closed = False
        try:
            self.adopt(connection)
        except self._errors as exc:  # a closed connection, most likely
            raise self.database_error(exc) from None
        return self

    @classmethod
    def wraps(cls, connection: object) -> bool:
        """Whether ``connection`` comes from this class's driver (its type's top-level
        module is :attr:`driver_module`)."""
        return type(connection).__module__.split(".", 1)[0] == cls.driver_module

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.target}>"

    @property
    def lock_timeout(self) -> float:
        """Seconds to wait for any lock (the schema lock, or one a statement needs) before
        giving up with a :class:`DatabaseError` that names the holder where the engine can
        tell; 0 waits forever. Setting it applies it to the open connection."""
        return self._lock_timeout

    @lock_timeout.setter
    def lock_timeout(self, seconds: float) -> None:
        seconds = _seconds(seconds)
        if seconds != self._lock_timeout:
            self._lock_timeout = seconds
            self.set_lock_timeout(seconds)

    # -- what a dialect supplies ---------------------------------------------------------------

    def import_driver(self) -> Any:
        """The driver module, imported now rather than when the dialect loads, so rendering
        never needs a driver. A missing driver is a :class:`DatabaseError` with the install
        hint; a driver that is installed but fails to import says why."""
        try:
            return importlib.import_module(self.driver_module)
        except ImportError as exc:
            if exc.name == self.driver_module:
                raise DatabaseError(
                    f"connecting to {self.engine} needs the {self.driver_module} module: "
                    f"{self.install_hint}"
                ) from None
            raise DatabaseError(
                f"{self.driver_module} is installed but cannot be imported: {exc}"
            ) from exc

    def error_types(self) -> tuple[type[BaseException], ...]:
        """The driver's exceptions that become :class:`DatabaseError`: PEP 249's ``Error``."""
        return (self.driver.Error,)

    @abc.abstractmethod
    def open(self, target: str, read_only: bool) -> Any:
        """Open and return a DB-API connection to ``target`` in autocommit mode. A URL's
        user-info password arrives percent-encoded (:func:`quote_password`), whatever it holds.

        With ``read_only``, the connection must refuse to change anything and create
        nothing, not even a missing file. Raise :class:`DatabaseError` for a target the
        dialect cannot use; the driver's errors (and ``ValueError``) become "cannot connect"
        errors here.
        """

    def adopt(self, connection: Any) -> None:  # noqa: B027 - optional
        """Set up what :meth:`open` would for a borrowed ``connection`` (:meth:`borrow`),
        without changing the connection's settings. The default does nothing."""

    def autocommit(self) -> bool:
        """Whether the borrowed connection commits each statement itself, so that there is
        no caller's transaction to join. The default reads a boolean ``autocommit``
        attribute (psycopg's); a driver that spells it otherwise overrides this."""
        return bool(getattr(self.connection, "autocommit", False))

    def in_transaction(self) -> bool:
        """Whether the borrowed connection is inside a transaction now, or will be by its
        next statement (a driver that begins one implicitly outside autocommit mode). The
        default: yes, unless in autocommit mode."""
        return not self.autocommit()

    def cursor(self) -> Any:
        """A cursor whose rows are tuples. A borrowed connection may make dicts or other
        rows (psycopg's ``row_factory``, PyMySQL's ``cursorclass``): a driver that allows
        it overrides this to ask for plain tuples on this cursor alone."""
        return self.connection.cursor()

    def take_connection(self) -> Any:
        """Hand the driver's connection to the caller, out of autocommit mode with a
        transaction begun, for tests that roll back what they did. The caller owns it from
        now on (this object forgets it). A dialect that cannot do this raises
        :class:`DatabaseError`."""
        raise DatabaseError(f"{self.engine} connections cannot be handed over in a transaction")

    def begin(self) -> None:
        """Begin the transaction of :meth:`transaction` (``BEGIN``)."""
        self.execute("BEGIN")

    def commit(self) -> None:
        """Commit the transaction of :meth:`transaction` (``COMMIT``)."""
        self.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back the transaction of :meth:`transaction` (``ROLLBACK``)."""
        self.execute("ROLLBACK")

    def lock(self) -> None:  # noqa: B027 - optional: the default takes no lock
        """Take the schema lock, so concurrent appliers run one after another, waiting at
        most :attr:`lock_timeout`. Called after :meth:`begin`; a lock owned by the transaction
        needs no :meth:`unlock`. Opened read-only, take a shared lock or none: a reader must
        never keep an applier out. The default takes none (an engine whose ``BEGIN`` already
        serializes writers)."""

    def unlock(self) -> None:  # noqa: B027 - optional: the default releases nothing
        """Release a lock :meth:`lock` took that the transaction's end does not release."""

    def set_lock_timeout(self, seconds: float) -> None:  # noqa: B027 - optional
        """Apply a changed :attr:`lock_timeout` to the open connection (0: wait forever).
        The default does nothing: an engine whose :meth:`open` reads it needs this too."""

    def interrupt(self) -> None:
        """Stop whatever the server runs for this connection and end the session, from
        outside the connection: called on Ctrl-C or SIGTERM, when the connection may be in
        the middle of a statement and unusable. The server then rolls back and releases the
        lock. The default closes the connection; an engine that keeps running a statement
        whose client went away cancels it first."""
        self.close()

    def lock_budget(self) -> int | None:
        """How many locks one transaction may take, by :meth:`lock_cost`; ``None`` (the
        default): no limit to keep to. Above it, the caller splits its work with
        :meth:`checkpoint`."""
        return None

    def lock_cost(self, statement: Statement) -> int:
        """About how many locks ``statement`` takes until its transaction ends."""
        return 1

    def checkpoint(self) -> None:
        """Commit the work so far and begin a new transaction, keeping the schema lock:
        what a caller splitting its work by :meth:`lock_budget` calls between batches."""
        run = self.statements_run
        self.commit_and_begin()
        self.statements_committed += run
        self.statements_run = 0

    def commit_and_begin(self) -> None:
        """:meth:`checkpoint`'s statements: ``COMMIT`` then ``BEGIN`` by default, for an
        engine whose schema lock outlives the transaction."""
        self.commit()
        self.begin()

    @abc.abstractmethod
    def existing(self, statements: Sequence[Statement]) -> set[int]:
        """The positions in ``statements`` of those whose object already exists, found with
        a constant number of queries (not one per statement)."""

    def describe_error(self, exc: BaseException) -> tuple[str, str | None]:
        """The server's message for ``exc`` (one line) and its SQLSTATE, if the driver
        reports one (the default reads an ``sqlstate`` attribute, as psycopg and PyMySQL
        set)."""
        text = str(exc).strip()
        sqlstate = getattr(exc, "sqlstate", None)
        message = text.splitlines()[0] if text else type(exc).__name__
        return message, sqlstate if isinstance(sqlstate, str) and sqlstate else None

    # -- what the base provides ----------------------------------------------------------------

    def database_error(self, exc: BaseException, prefix: str | None = None) -> DatabaseError:
        """``exc`` as a :class:`DatabaseError`: ``"<prefix>: <message> (SQLSTATE <code>)"``,
        ``prefix`` defaulting to the engine's name; the target's password never appears,
        even when the driver quotes it (one of four characters or more)."""
        message, sqlstate = self.describe_error(exc)
        text = f"{prefix or self.engine}: {self.hide_secrets(message)}"
        if sqlstate:
            text += f" (SQLSTATE {sqlstate})"
        return DatabaseError(text, sqlstate=sqlstate)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Begin, take the schema lock, and commit when the block ends; on an error, roll
        back and re-raise it. The lock is released in every case, and a failure while
        rolling back or unlocking never hides the error that caused it.

        An interrupt (``KeyboardInterrupt``, or any exception that is not an ``Exception``,
        such as the one a SIGTERM handler raises) goes through :meth:`interrupt` instead: the
        connection may be mid-statement, so the server is told to stop and the session ends.
        Where DDL commits as it goes, the interrupt's message says how many statements ran
        (and were kept).
        """
        if self.borrowed:
            with self._joined():
                yield
            return
        transactional = self.transactional_ddl
        if transactional:
            self.begin()
        locked = False
        try:
            self.lock()
            locked = True
            self.statements_run = self.statements_committed = 0
            yield
            if transactional:
                self.commit()
        except Exception:
            if transactional:
                self._quietly(self.rollback)
            if locked:
                self._quietly(self.unlock)
            raise
        except BaseException as exc:
            self._quietly(self.interrupt)
            if locked:
                run, committed = self.statements_run, self.statements_committed
                _note_kept(exc, self.engine, transactional, committed, run)
            raise
        self.unlock()

    @contextmanager
    def _joined(self) -> Iterator[None]:
        """:meth:`transaction` on a borrowed connection: the caller's transaction, inside a
        savepoint, where the engine has transactional DDL and the connection is not in
        autocommit mode; otherwise the owned behaviour without closing anything."""
        # An autocommit connection inside a transaction the caller began (psycopg's
        # ``transaction()`` block, sqlite3's explicit BEGIN) is joined too: committing would
        # end the caller's transaction behind its back.
        try:
            active = self.in_transaction()
            autocommit = self.autocommit()
        except self._errors as exc:  # a closed connection, most likely
            raise self.database_error(exc) from None
        joined = self.transactional_ddl and (active or not autocommit)
        if joined:
            if not active:
                self.begin()  # ended by the caller's commit or rollback
            self.execute(f"SAVEPOINT {SAVEPOINT}")
        elif self.transactional_ddl:
            self.begin()
        locked = False
        try:
            self.lock()
            locked = True
            self.statements_run = self.statements_committed = 0
            yield
        except BaseException:
            if joined:
                self._quietly(lambda: self.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}"))
                self._quietly(lambda: self.execute(f"RELEASE SAVEPOINT {SAVEPOINT}"))
            elif self.transactional_ddl:
                self._quietly(self.rollback)
            if locked:
                self._quietly(self.unlock)
            raise
        if joined:
            self.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
        elif self.transactional_ddl:
            self.commit()
        self.unlock()

    def query(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """Run one query with parameters in the driver's ``paramstyle`` and return its rows
        as the driver's Python values."""
        if params is not None and not isinstance(params, Mapping):
            params = tuple(params)  # some drivers read only tuples as positional parameters
        self.round_trips += 1
        try:
            cursor = self.cursor()
            try:
                if params is None:
                    cursor.execute(sql)
                else:
                    cursor.execute(sql, params)
                return list(cursor.fetchall())
            finally:
                cursor.close()
        except self._errors as exc:
            raise self.database_error(exc) from self._cause(exc)

    def execute(self, sql: str) -> None:
        """Run one statement without parameters (so ``%`` and ``?`` in it are literal)."""
        self.round_trips += 1
        try:
            cursor = self.cursor()
            try:
                cursor.execute(sql)
            finally:
                cursor.close()
        except self._errors as exc:
            raise self.database_error(exc) from self._cause(exc)
        self.statements_run += 1

    def close(self) -> None:
        """Close the connection; closing again does nothing. Closing never raises: the
        server ends the session either way, and an error being handled (a lost connection,
        an interrupt) must stay the one reported."""
        if self._closed:
            return
        self._closed = True
        if self.borrowed:  # the caller's to close
            return
        with suppress(Exception):
            self.connection.close()

    def hide_secrets(self, text: str) -> str:
        """``text`` without the target's passwords: URLs in it redacted, and any password
        of four characters or more the driver quoted replaced by ``***``."""
        text = redact_url(text)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _quotes_secret(self, text: str) -> bool:
        return any(secret in text for secret in self._secrets)

    def _cause(self, exc: BaseException) -> BaseException | None:
        """``exc`` to chain for debugging, unless it quotes the password (tracebacks print
        causes)."""
        return None if self._quotes_secret(str(exc)) else exc

    def _quietly(self, step: Callable[[], None]) -> None:
        with suppress(Exception):  # the error being handled is the one to report
            step()


def _seconds(value: float) -> float:
    seconds = float(value)
    if not seconds >= 0:  # also NaN
        raise ValueError(f"a lock timeout is 0 (wait forever) or more seconds, not {value!r}")
    return seconds


def _note_kept(
    exc: BaseException, engine: str, transactional: bool, committed: int, run: int
) -> None:
    # KeyboardInterrupt carries no message of its own: the command line prints this one.
    if exc.args:
        return
    if not transactional and committed + run:
        exc.args = (
            f"{engine} commits DDL as it goes, so {_statements(committed + run)} run before "
            f"the interrupt {_were(committed + run)} kept",
        )
    elif committed:
        exc.args = (
            f"{_statements(committed)} committed in earlier transactions (the lock budget "
            f"split the work) {_were(committed)} kept; the rest was rolled back",
        )


def _statements(count: int) -> str:
    return "the statement" if count == 1 else f"the {count} statements"


def _were(count: int) -> str:
    return "was" if count == 1 else "were"
