"""A live MySQL or MariaDB database through PyMySQL (the ``[mysql]`` extra).

What differs from the other engines: the driver takes the address in parts, DDL commits
implicitly (so there is no transaction to roll back: ``transactional_ddl`` is false), the
schema lock is a named lock per database released explicitly, a server that never answers
the handshake is given up on, an interrupt kills the session from a second connection (the
server would otherwise finish the statement and keep the lock), and the error number joins
the server's message.

On a MariaDB Galera node (:mod:`.galera`) a node outside the primary component is refused at
connect, reads wait until the node has applied what the cluster committed before them
(``wsrep_sync_wait = 1``, so ``check`` on one node sees an ``apply`` just made on another),
and the schema lock is a lease that holds across nodes as well as the node-local named lock.
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import Sequence
from contextlib import suppress
from typing import Any, Final

from whizbang_schema import DatabaseError, DBAPIDatabase, Statement, StatementKind, server_url

from .galera import STATE_SQL, ClusterLock, NodeState, node_state

#: The start of the named lock's name; the database's name follows, so appliers to one
#: database queue on it and appliers to another never wait for them.
LOCK_NAME: Final = "whizbang_schema apply"

#: The longest lock wait the server accepts (a year): what "wait forever" means here.
FOREVER: Final = 31_536_000

#: Error numbers: the server went away mid-read (no handshake came back), a lock wait ran out.
SERVER_LOST: Final = 2013
LOCK_WAIT_TIMEOUT: Final = 1205
#: A Galera node that left the primary component mid-way: "WSREP has not yet prepared node".
NOT_PREPARED: Final = 1047

#: Seconds between two attempts at a Galera lease held by another applier.
LEASE_POLL: Final = 0.1

#: The session's sql_mode made strict, whatever the server's default: without it (MySQL
#: 5.6's default, many managed servers) ALTER TABLE ... MODIFY cuts a value too long for the
#: new length and turns NULL into '' or 0 with only a warning (seen on MariaDB 10.11 with
#: sql_mode ''), so a row that slipped in after a plan's check would be changed silently.
STRICT: Final = (
    "SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')"
)

_HOLDER_SQL: Final = (
    "SELECT ID, USER, COMMAND, TIME, COALESCE(STATE, ''), LEFT(COALESCE(INFO, ''), 120) "
    "FROM information_schema.PROCESSLIST WHERE ID = IS_USED_LOCK(%s)"
)
_SESSION_SQL: Final = "SELECT ID FROM information_schema.PROCESSLIST WHERE ID = %s"


def lock_name(database: str) -> str:
    """The named lock of ``database``: at most 64 characters, as MySQL allows."""
    name = f"{LOCK_NAME} {database}"
    if len(name) <= 64:
        return name
    return f"{LOCK_NAME} {zlib.crc32(database.encode()):08x} {database}"[:64]


class MySQLDatabase(DBAPIDatabase):
    """A PyMySQL connection in autocommit mode (MySQL commits DDL implicitly anyway)."""

    dialect = "mysql"
    engine = "MySQL"
    driver_module = "pymysql"
    install_hint = "pip install 'whizbang-schema-mysql[mysql]'"
    transactional_ddl = False
    #: Seconds to wait for the server to accept the connection and to greet it.
    connect_timeout = 10.0
    #: Seconds a Galera lease lasts unless renewed; it is renewed as statements run, so it
    #: must outlast the longest single statement (a table rebuild), and it is how long a
    #: lease left by an applier that died on a node still in the cluster blocks the others.
    cluster_lease = 60.0
    #: The node's Galera state when connected to a Galera node, else ``None``.
    galera: NodeState | None = None
    #: The node's ``wsrep_node_name``, and the database connected to, for the lease.
    node_name: str = ""
    database_name: str = ""
    _cluster_lock: ClusterLock | None = None

    def open(self, target: str, read_only: bool) -> Any:
        url = server_url(target, ("mysql", "mariadb"), engine=self.engine)
        self.lock_name = lock_name(url.database)
        self._address = {
            "host": url.host or "127.0.0.1",
            "port": url.port or 3306,
            "user": url.user or "root",
            # UTF-8, as the mysql client sends it (PyMySQL would encode a str as Latin-1,
            # and fail on other characters with a message quoting them).
            "password": (url.password or "").encode(),
        }
        settings = f"{_timeouts(self.lock_timeout)}, {STRICT}"
        if read_only:
            settings += ", SESSION tx_read_only = 1"
        # Connected by hand (defer_connect) so that a failure can tell a server that never
        # greeted us from one that refused us. The read timeout bounds the handshake only.
        connection = self.driver.connect(
            **self._address,
            database=url.database,
            charset="utf8mb4",
            autocommit=True,
            connect_timeout=self.connect_timeout,
            read_timeout=self.connect_timeout,
            init_command=f"SET {settings}",
            defer_connect=True,
        )
        try:
            connection.connect()
        except self.driver.OperationalError as exc:
            if getattr(connection, "server_version", None) is None and exc.args[0] in (
                SERVER_LOST,
                0,
            ):
                raise self._not_mysql() from None
            raise
        except self.driver.MySQLError:
            raise
        except Exception:  # garbage where a greeting should be: the parser trips on it
            if getattr(connection, "server_version", None) is None:
                raise self._not_mysql() from None
            raise
        connection._read_timeout = None  # statements may run long: only the handshake is bounded
        try:
            self._join_cluster(connection, url.database)
        except BaseException:
            connection.close()
            raise
        return connection

    def _join_cluster(self, connection: Any, database: str) -> None:
        """On a Galera node: refuse one outside the primary component, and make reads
        causal. A single server (MySQL, MariaDB without a provider) passes in one query."""
        self.database_name = database
        with connection.cursor() as cursor:
            cursor.execute(STATE_SQL)
            self.round_trips += 1
            self.galera = node_state(list(cursor.fetchall()))
            if self.galera is None:
                return
            if not self.galera.usable:
                raise DatabaseError(
                    f"cannot use {self.engine} at {self.target}: this Galera node is not in "
                    f"the primary component ({self.galera.describe()}); it refuses changes "
                    f"and its reads may be stale. Connect to a node of the primary component "
                    f"(wsrep_cluster_status=Primary, wsrep_ready=ON) or restore the "
                    f"cluster's quorum"
                )
            cursor.execute("SELECT @@wsrep_node_name")
            (self.node_name,) = cursor.fetchall()[0]
            cursor.execute("SET SESSION wsrep_sync_wait = 1")
            self.round_trips += 2

    def _not_mysql(self) -> DatabaseError:
        where = f"{self._address['host']}:{self._address['port']}"
        return DatabaseError(
            f"cannot connect to {self.engine} at {self.target}: the server at {where} did not "
            f"answer as MySQL or MariaDB within {self.connect_timeout:g} s (is that the "
            f"right port?)"
        )

    def adopt(self, connection: Any) -> None:
        self.lock_name = lock_name(connection.db.decode() if connection.db else "")

    def cursor(self) -> Any:
        # Tuples, whatever cursorclass the caller's connection has (DictCursor...).
        return self.connection.cursor(self.driver.cursors.Cursor)

    def autocommit(self) -> bool:
        return bool(self.connection.get_autocommit())

    def take_connection(self) -> Any:
        connection = self.connection
        self._closed = True  # forgotten: the caller closes it
        connection.autocommit(False)
        connection.begin()
        return connection

    def set_lock_timeout(self, seconds: float) -> None:
        self.execute(f"SET {_timeouts(seconds)}")

    def lock(self) -> None:
        if self.read_only:  # a named lock is exclusive: readers take none
            return
        wait = self.lock_timeout or FOREVER
        started = time.monotonic()
        (got,) = self.query("SELECT GET_LOCK(%s, %s)", (self.lock_name, wait))[0]
        if got != 1:
            raise DatabaseError(
                f"{self.engine}: waited {wait:g} s for the schema lock of this database "
                f"({self.lock_name!r}), {self._holder()}"
            )
        if self.galera is not None:
            try:
                self._take_lease(started)
            except BaseException:
                with suppress(Exception):
                    self.query("SELECT RELEASE_LOCK(%s)", (self.lock_name,))
                raise

    def _take_lease(self, started: float) -> None:
        # GET_LOCK only queues the appliers of this node: the lease queues the cluster's.
        assert self.galera is not None
        claim = ClusterLock(self.database_name, self.galera, self.node_name, self.cluster_lease)
        deadline = started + self.lock_timeout if self.lock_timeout else math.inf
        while True:
            try:
                holder = claim.try_take(self._run, _error_number)
            except self._errors as exc:
                raise self.database_error(exc) from self._cause(exc)
            if not holder:
                claim.renewed = time.monotonic()
                self._cluster_lock = claim
                return
            if time.monotonic() + LEASE_POLL > deadline:
                raise DatabaseError(
                    f"{self.engine}: waited {self.lock_timeout:g} s for the cluster-wide "
                    f"schema lock of this database (a row of {self.database_name}."
                    f"whizbang_schema_lock), {holder}"
                )
            time.sleep(LEASE_POLL)

    def _run(self, sql: str, params: tuple[Any, ...]) -> tuple[list[tuple[Any, ...]], int]:
        """One statement; the driver's errors stay raw so their numbers can be told apart."""
        self.round_trips += 1
        with self.connection.cursor() as cursor:
            changed = cursor.execute(sql, params or None)
            return list(cursor.fetchall()), int(changed or 0)

    def unlock(self) -> None:
        if self.read_only:
            return
        claim, self._cluster_lock = self._cluster_lock, None
        try:
            if claim is not None:
                sql, params = claim.release_sql(qualified=False)
                self.query(sql, params)
        finally:
            self.query("SELECT RELEASE_LOCK(%s)", (self.lock_name,))

    def interrupt(self) -> None:
        # The server finishes a statement whose client went away (and keeps the lock while
        # it waits): kill the session from a second connection, which releases everything.
        if not self._closed:
            with suppress(Exception):
                thread = self.connection.thread_id()
                killer = self.driver.connect(
                    **self._address, connect_timeout=3, read_timeout=3, write_timeout=3
                )
                try:
                    cursor = killer.cursor()
                    cursor.execute(f"KILL CONNECTION {int(thread)}")
                    claim, self._cluster_lock = self._cluster_lock, None
                    if claim is not None:  # the Galera lease outlives the session: end it
                        with suppress(Exception):
                            cursor.execute(*claim.release_sql(qualified=True))
                    # KILL only flags the session: wait (a little) until it has gone, so
                    # that the next command finds the lock free.
                    deadline = time.monotonic() + 3
                    while time.monotonic() < deadline:
                        cursor.execute(_SESSION_SQL, (int(thread),))
                        if not cursor.fetchall():
                            break
                        time.sleep(0.02)
                finally:
                    killer.close()
        self.close()

    def _holder(self) -> str:
        try:
            rows = self.query(_HOLDER_SQL, (self.lock_name,))
        except DatabaseError as exc:
            return f"and its holder could not be asked for ({exc})"
        if not rows:
            return "and no session holds it any more"
        session, user, command, seconds, state, info = rows[0]
        what = f": {info}" if info else ""
        state = f", {state}" if state else ""
        return f"held by connection {session} ({user}, {command}{state}, {seconds} s{what})"

    def execute(self, sql: str) -> None:
        if self._cluster_lock is not None:
            self._renew_lease(self._cluster_lock)
        try:
            super().execute(sql)
        except DatabaseError as exc:
            waited = "(error 1205)" in str(exc)
            if self.galera is not None and (waited or f"(error {NOT_PREPARED})" in str(exc)):
                self._raise_if_cut_off(exc)
            if not waited:
                raise
            suffix = f" (SQLSTATE {exc.sqlstate})" if exc.sqlstate else ""
            raise DatabaseError(
                f"{str(exc).removesuffix(suffix)}: waited {self.lock_timeout:g} s for a "
                f"table's metadata lock (another session uses the table; SHOW PROCESSLIST "
                f"lists them){suffix}",
                statement=exc.statement,
                sqlstate=exc.sqlstate,
            ) from exc

    def _raise_if_cut_off(self, exc: DatabaseError) -> None:
        # A node cut off from the group holds DDL until the lock wait runs out (error 1205)
        # or refuses it (1047): say so, rather than blame another session.
        state = None
        with suppress(Exception):
            state = node_state(self._run(STATE_SQL, ())[0])
        if state is not None and not state.usable:
            raise DatabaseError(
                f"{self.engine}: this Galera node left the primary component during the run "
                f"({state.describe()}), so the statement could not run ({exc})",
                statement=exc.statement,
                sqlstate=exc.sqlstate,
            ) from exc

    def _renew_lease(self, claim: ClusterLock) -> None:
        now = time.monotonic()
        if not claim.renew_due(now):
            return
        try:
            renewed = claim.renew(self._run)
        except self._errors as exc:
            raise self.database_error(exc) from self._cause(exc)
        if not renewed:
            self._cluster_lock = None
            raise DatabaseError(
                f"{self.engine}: the cluster-wide schema lock of this database was taken over "
                f"by another applier (this one's {claim.lease:g} s lease ran out during a "
                f"statement); stopping here, that applier finishes the work"
            )
        claim.renewed = now

    def existing(self, statements: Sequence[Statement]) -> set[int]:
        tables = sorted({s.name for s in statements if s.kind is StatementKind.CREATE_TABLE})
        schemas = sorted({s.name for s in statements if s.kind is StatementKind.CREATE_SCHEMA})
        marks = ", ".join(["%s"] * len(tables)) or "NULL"
        schema_marks = ", ".join(["%s"] * len(schemas)) or "NULL"
        rows = self.query(
            f"SELECT 't', TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
            f"WHERE TABLE_NAME IN ({marks}) "
            f"UNION ALL SELECT 's', SCHEMA_NAME, SCHEMA_NAME FROM information_schema.SCHEMATA "
            f"WHERE SCHEMA_NAME IN ({schema_marks}) "
            f"UNION ALL SELECT 'c', DATABASE(), ''",
            (*tables, *schemas),
        )
        found = {(r[1], r[2]) for r in rows if r[0] == "t"}
        found_schemas = {r[1] for r in rows if r[0] == "s"}
        current = next(r[1] for r in rows if r[0] == "c")
        present = set()
        for position, statement in enumerate(statements):
            if statement.kind is StatementKind.CREATE_SCHEMA:
                if statement.name in found_schemas:
                    present.add(position)
            elif (statement.schema or current, statement.name) in found:
                present.add(position)
        return present

    def describe_error(self, exc: BaseException) -> tuple[str, str | None]:
        message, sqlstate = super().describe_error(exc)
        args: tuple[Any, ...] = getattr(exc, "args", ())
        if len(args) == 2 and isinstance(args[0], int):  # (error number, message)
            message = f"{args[1]} (error {args[0]})"
        return message, sqlstate


def _error_number(exc: BaseException) -> int | None:
    args: tuple[Any, ...] = getattr(exc, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _timeouts(seconds: float) -> str:
    """The session's lock waits (metadata locks, and InnoDB's row locks) in whole seconds."""
    wait = min(FOREVER, math.ceil(seconds)) if seconds else FOREVER
    return f"SESSION lock_wait_timeout = {wait}, SESSION innodb_lock_wait_timeout = {wait}"
