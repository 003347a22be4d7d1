"""A live PostgreSQL database through psycopg 3 (the ``[postgres]`` extra).

What differs from the other engines: libpq reads the URL itself, read-only and the lock
timeout are session settings sent in the start-up packet, the schema lock is an advisory lock
(per database, shared for readers), a statement that waits for a lock too long names the
sessions blocking it (asked from a second connection while it waits), an interrupt cancels
the running statement on the server, a big apply is split by the server's lock budget
(``max_locks_per_transaction``), and the server's message, hint and SQLSTATE come from the
error's diagnostics.
"""

from __future__ import annotations

import re
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any, Final

from whizbang_schema import DatabaseError, DBAPIDatabase, Statement, StatementKind

#: The advisory-lock key every whizbang-schema apply takes, so concurrent appliers queue
#: instead of racing (concurrent CREATE TABLE IF NOT EXISTS can fail on pg_type's index).
#: Advisory locks belong to one database: appliers to two databases never wait for each other.
LOCK_KEY: Final = zlib.crc32(b"whizbang_schema apply")

#: SQLSTATE lock_not_available: ``lock_timeout`` expired.
LOCK_NOT_AVAILABLE: Final = "55P03"

_EXISTING_SQL: Final = """
SELECT 'r', n.nspname, c.relname
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relname = ANY(%(names)s)
UNION ALL
SELECT 's', nspname, nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(%(schemas)s)
UNION ALL
SELECT 'c', current_schema(), ''
"""

_BLOCKERS_SQL: Final = """
SELECT pid, coalesce(state, 'unknown'), to_char(query_start, 'YYYY-MM-DD HH24:MI:SS TZ'),
       left(regexp_replace(query, '\\s+', ' ', 'g'), 120)
  FROM pg_catalog.pg_stat_activity WHERE pid = ANY(pg_catalog.pg_blocking_pids(%s))
 ORDER BY pid
"""

#: About how many lock-table entries a statement holds until its transaction ends: a table
#: locks itself, its TOAST table and index, its key's and unique constraints' indexes and a
#: few catalog objects (12 measured for a table with a key, a unique constraint and a text
#: column); an index, a column or a schema about one.
_LOCK_TABLE_SQL: Final = (
    "SELECT current_setting('max_locks_per_transaction')::int, "
    "current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int"
)

_LOCK_COSTS: Final = {StatementKind.CREATE_TABLE: 12, StatementKind.CREATE_SCHEMA: 1}

#: ``postgresql+psycopg://`` (SQLAlchemy's spelling) names the same server as ``postgresql://``.
_DRIVER_SUFFIX: Final = re.compile(r"^(postgres(?:ql)?)\+[^:/]*://", re.IGNORECASE)


class PostgresDatabase(DBAPIDatabase):
    """A PostgreSQL connection in autocommit mode; :meth:`transaction` opens explicit ones."""

    dialect = "postgres"
    engine = "PostgreSQL"
    driver_module = "psycopg"
    install_hint = "pip install 'whizbang-schema[postgres]'"
    lock_budget_setting = (
        "an eighth of the lock table: max_locks_per_transaction x "
        "(max_connections + max_prepared_transactions)"
    )

    def open(self, target: str, read_only: bool) -> Any:
        target = self._conninfo = _DRIVER_SUFFIX.sub(r"\1://", target)
        self._session_locked = False
        self._budget: int | None = None
        self._watch = _Watch(self._blockers)
        # In the start-up packet: no extra round trip, and the URL's own options kept.
        options = self.driver.conninfo.conninfo_to_dict(target).get("options") or ""
        options += f" -c lock_timeout={_milliseconds(self.lock_timeout)}"
        if read_only:
            options += " -c default_transaction_read_only=on"
        connection = self.driver.connect(
            target, autocommit=True, connect_timeout=10, options=options.strip()
        )
        self._pid = connection.info.backend_pid  # read here: the watch thread asks for it
        return connection

    def adopt(self, connection: Any) -> None:
        self._conninfo = connection.info.dsn
        self._session_locked = False
        self._budget = None
        self._watch = _Watch(self._blockers)
        self._pid = connection.info.backend_pid

    def cursor(self) -> Any:
        # Tuples, whatever row_factory the caller's connection has (dict_row...).
        return self.connection.cursor(row_factory=self.driver.rows.tuple_row)

    def in_transaction(self) -> bool:
        # psycopg begins implicitly outside autocommit mode; in it, transaction() begins.
        status = self.connection.info.transaction_status
        return not self.connection.autocommit or status != 0  # 0: IDLE

    def take_connection(self) -> Any:
        connection = self.connection
        self._watch.stop()
        self._closed = True  # forgotten: the caller closes it
        connection.autocommit = False
        return connection

    def set_lock_timeout(self, seconds: float) -> None:
        self.execute(f"SET lock_timeout = {_milliseconds(seconds)}")

    def lock(self) -> None:
        # Readers share the lock: a check never keeps an applier or another check out, and
        # waits only while an apply is writing.
        shared = "_shared" if self.read_only else ""
        self.execute(f"SELECT pg_advisory_xact_lock{shared}({LOCK_KEY})")

    def commit_and_begin(self) -> None:
        # The transaction's lock ends with COMMIT: hold it for the session from now on.
        take = "" if self._session_locked else f"SELECT pg_advisory_lock({LOCK_KEY}); "
        self.execute(f"{take}COMMIT; BEGIN")
        self._session_locked = True

    def unlock(self) -> None:
        if self._session_locked:
            self._session_locked = False
            self.execute(f"SELECT pg_advisory_unlock({LOCK_KEY})")

    def lock_budget(self) -> int:
        """An eighth of the server's lock table. Shared memory holds
        ``max_locks_per_transaction`` locks per connection slot (``max_connections +
        max_prepared_transactions``), and one transaction may use any free part of it; a
        transaction within an eighth leaves room for seven more such appliers and the rest of
        the workload, while an ordinary schema (the nine tables take about 140) stays one
        transaction, all or nothing."""
        if self._budget is None:
            (per_slot, slots) = self.query(_LOCK_TABLE_SQL)[0]
            self._budget = max(int(per_slot), int(per_slot) * int(slots) // 8)
        return self._budget

    def lock_cost(self, statement: Statement) -> int:
        return _LOCK_COSTS.get(statement.kind, 1)

    def interrupt(self) -> None:
        # psycopg cancels on KeyboardInterrupt itself, not on SIGTERM's exception: cancel
        # whatever still runs, then end the session (the server rolls back and unlocks).
        if not self._closed and self.connection.pgconn.transaction_status == 1:  # ACTIVE
            with suppress(Exception):
                self.connection.cancel_safe(timeout=3.0)
        self.close()

    def close(self) -> None:
        self._watch.stop()
        super().close()

    def execute(self, sql: str) -> None:
        with self._watched():
            super().execute(sql)

    def query(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        with self._watched():
            return super().query(sql, params)

    def existing(self, statements: Sequence[Statement]) -> set[int]:
        names = sorted({s.name for s in statements if s.kind is not StatementKind.CREATE_SCHEMA})
        schemas = sorted({s.name for s in statements if s.kind is StatementKind.CREATE_SCHEMA})
        rows = self.query(_EXISTING_SQL, {"names": names, "schemas": schemas})
        relations = {(r[1], r[2]) for r in rows if r[0] == "r"}
        found_schemas = {r[1] for r in rows if r[0] == "s"}
        current = next(r[1] for r in rows if r[0] == "c")
        present = set()
        for position, statement in enumerate(statements):
            if statement.kind is StatementKind.CREATE_SCHEMA:
                if statement.name in found_schemas:
                    present.add(position)
            elif (statement.schema or current, statement.name) in relations:
                present.add(position)
        return present

    def cleanup_failed(self, statement: Statement) -> None:
        """After a failed ``CREATE INDEX CONCURRENTLY``: drop the INVALID index it leaves
        (it would cost every write and answer no query). Only an INVALID one: a valid index
        of that name is another session's, made after the plan's transaction (the build
        then failed because the name was taken), and may be what enforces a unique key."""
        if statement.kind is StatementKind.CREATE_INDEX and statement.concurrent:
            name = '"' + statement.name.replace('"', '""') + '"'
            if statement.schema:
                name = '"' + statement.schema.replace('"', '""') + '".' + name
            with suppress(Exception):
                rows = self.query(
                    "SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(%s) AND NOT indisvalid",
                    (name,),
                )
                if rows:
                    self.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")

    def describe_error(self, exc: BaseException) -> tuple[str, str | None]:
        message, sqlstate = super().describe_error(exc)
        diag = getattr(exc, "diag", None)
        primary = getattr(diag, "message_primary", None)
        hint = getattr(diag, "message_hint", None)
        message = primary or message
        if hint:  # "You might need to increase max_locks_per_transaction."
            message += f" (hint: {' '.join(hint.split())})"
        return message, sqlstate

    @contextmanager
    def _watched(self) -> Iterator[None]:
        """Ask who blocks the statement if it waits most of the lock timeout, and name them
        if it gives up."""
        timeout = self.lock_timeout
        if not timeout or self._closed:
            yield
            return
        ticket = self._watch.arm(max(timeout / 2, timeout - 1.0))
        try:
            yield
        except DatabaseError as exc:
            if exc.sqlstate != LOCK_NOT_AVAILABLE:
                raise
            text, suffix = str(exc), f" (SQLSTATE {exc.sqlstate})"
            text = text.removesuffix(suffix)
            raise DatabaseError(
                f"{text}: waited {timeout:g} s for a lock {self._watch.result(ticket)}{suffix}",
                statement=exc.statement,
                sqlstate=exc.sqlstate,
            ) from exc
        finally:
            self._watch.disarm(ticket)

    def _blockers(self) -> str:
        """The sessions blocking this connection, asked from a second connection."""
        pid = self._pid
        try:
            with self.driver.connect(self._conninfo, autocommit=True, connect_timeout=5) as other:
                rows = other.execute(_BLOCKERS_SQL, (pid,)).fetchall()
        except self._errors as exc:
            return f"(its holder could not be asked for: {self.database_error(exc)})"
        if not rows:
            return "(no session holds it any more)"
        held = "; ".join(
            f"pid {pid} ({state}, query started {start}: {query})"
            for pid, state, start, query in rows
        )
        return f"held by {held}"


def _milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000)) if seconds else 0


class _Watch:
    """One thread per connection that runs ``probe`` when a statement has run past its
    deadline, so that the answer is ready when the statement gives up."""

    def __init__(self, probe: Callable[[], str]) -> None:
        self._probe = probe
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._deadline: float | None = None
        self._ticket = 0
        self._running: int | None = None
        self._answers: dict[int, str] = {}
        self._stopped = False

    def arm(self, delay: float) -> int:
        with self._condition:
            self._ticket += 1
            self._deadline = time.monotonic() + delay
            self._answers.clear()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="whizbang-schema lock watch", daemon=True
                )
                self._thread.start()
            self._condition.notify_all()
            return self._ticket

    def disarm(self, ticket: int) -> None:
        with self._condition:
            if self._ticket == ticket:
                self._deadline = None

    def result(self, ticket: int, wait: float = 5.0) -> str:
        """The probe's answer for ``ticket``, waiting for a probe still running."""
        end = time.monotonic() + wait
        with self._condition:
            if self._ticket == ticket:
                self._deadline = None
            while ticket not in self._answers and self._running == ticket:
                remaining = end - time.monotonic()
                if remaining <= 0:
                    break
                self._condition.wait(remaining)
            return self._answers.get(ticket, "(its holder could not be named in time)")

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    def _run(self) -> None:
        with self._condition:
            while not self._stopped:
                if self._deadline is None:
                    self._condition.wait()
                    continue
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._condition.wait(remaining)
                    continue
                self._deadline, self._running = None, self._ticket
                self._condition.release()
                try:
                    answer = self._probe()
                except Exception as exc:  # a probe must never kill the thread
                    answer = f"(its holder could not be asked for: {exc})"
                finally:
                    self._condition.acquire()
                self._answers[self._running] = answer
                self._running = None
                self._condition.notify_all()
