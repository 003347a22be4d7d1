"""MariaDB Galera Cluster: the node's state, and a schema lock that holds across nodes.

On a Galera node ``GET_LOCK`` is local to that node, so appliers on two nodes both take "the"
lock and race: DDL is replicated in total order (TOI), and ``CREATE TABLE IF NOT EXISTS``
survives the race, but a plan read before the other applier's ``ALTER TABLE ... ADD COLUMN``
ran fails with a duplicate column or key name (MariaDB 10.11.19, Galera 26.4.23; see the
plugin's README). The lock here is a lease: one row per database in a table
(:data:`LOCK_TABLE`) that an applier claims with a compare-and-set ``UPDATE``. Galera
certifies every commit against all others cluster-wide, so of two claims of the same row on
two nodes exactly one commits; the other fails certification (error 1213) or, retried, finds
the row taken. The lease is renewed as statements run, released at the end, and taken over
once it runs out or its holder's node has left the cluster (a killed node frees it at the
next view change rather than after the lease).

A node outside the primary component serves stale reads and refuses writes with "WSREP has
not yet prepared node for application use": :func:`node_state` reads enough to refuse it at
connect with the node's own account of its state.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable
from typing import Any, Final

import attrs

#: The status variables that tell a Galera node from a single server, and its state.
STATE_SQL: Final = (
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_provider_name', 'wsrep_ready', "
    "'wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_cluster_size', "
    "'wsrep_gcomm_uuid')"
)

#: The table holding one lease row per database, in the database applied to (the account
#: that applies can create tables there; another database would need more privileges).
LOCK_TABLE: Final = "whizbang_schema_lock"

#: Error numbers: no such table; a certification conflict (reported as a deadlock).
NO_SUCH_TABLE: Final = 1146
CERTIFICATION_FAILED: Final = 1213

CREATE_SQL: Final = f"""CREATE TABLE IF NOT EXISTS {LOCK_TABLE} (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  token CHAR(32),
  node_uuid VARCHAR(64),
  node_name VARCHAR(64),
  connection_id BIGINT,
  client VARCHAR(255),
  taken DATETIME(6),
  expires DATETIME(6)
) ENGINE=InnoDB COMMENT='the cluster-wide schema lock of whizbang-schema apply'"""

HOLDER_SQL: Final = (
    f"SELECT token, node_uuid, node_name, connection_id, client, "
    f"TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), expires) / 1e6 "
    f"FROM {LOCK_TABLE} WHERE name = %s"
)
MEMBERS_SQL: Final = "SELECT node_uuid FROM mysql.wsrep_cluster_members"
SESSION_SQL: Final = "SELECT ID FROM information_schema.PROCESSLIST WHERE ID = %s"
_CLAIM: Final = (
    "token = %s, node_uuid = %s, node_name = %s, connection_id = CONNECTION_ID(), "
    "client = %s, taken = UTC_TIMESTAMP(6), expires = UTC_TIMESTAMP(6) + INTERVAL %s SECOND"
)
CLAIM_SQL: Final = f"UPDATE {LOCK_TABLE} SET {_CLAIM} WHERE name = %s AND token <=> %s"
INSERT_SQL: Final = (
    f"INSERT IGNORE INTO {LOCK_TABLE} (name, token, node_uuid, node_name, connection_id, "
    f"client, taken, expires) VALUES (%s, %s, %s, %s, CONNECTION_ID(), %s, UTC_TIMESTAMP(6), "
    f"UTC_TIMESTAMP(6) + INTERVAL %s SECOND)"
)
RENEW_SQL: Final = (
    f"UPDATE {LOCK_TABLE} SET expires = UTC_TIMESTAMP(6) + INTERVAL %s SECOND "
    f"WHERE name = %s AND token = %s"
)
RELEASE_SQL: Final = (
    "UPDATE {table} SET token = NULL, node_uuid = NULL, node_name = NULL, "
    "connection_id = NULL, client = NULL, taken = NULL, expires = NULL "
    "WHERE name = %s AND token = %s"
)


@attrs.frozen(slots=True)
class NodeState:
    """A Galera node's ``wsrep_*`` status, as it reports it."""

    ready: str
    cluster_status: str
    local_state: str
    cluster_size: str
    node_uuid: str

    @property
    def usable(self) -> bool:
        """In the primary component and accepting statements: its reads are current and its
        DDL reaches the other nodes."""
        return self.ready == "ON" and self.cluster_status == "Primary"

    def describe(self) -> str:
        return (
            f"wsrep_cluster_status={self.cluster_status}, wsrep_ready={self.ready}, "
            f"wsrep_local_state_comment={self.local_state}, "
            f"wsrep_cluster_size={self.cluster_size}"
        )


def node_state(rows: list[tuple[Any, ...]]) -> NodeState | None:
    """The node's state from :data:`STATE_SQL`'s rows; ``None`` on a server that is not a
    Galera node (MySQL, or MariaDB without a provider, reports no provider name)."""
    status = {str(name).lower(): str(value) for name, value in rows}
    if not status.get("wsrep_provider_name"):
        return None
    return NodeState(
        status.get("wsrep_ready", "?"),
        status.get("wsrep_cluster_status", "?"),
        status.get("wsrep_local_state_comment", "?"),
        status.get("wsrep_cluster_size", "?"),
        status.get("wsrep_gcomm_uuid", ""),
    )


#: Runs one statement with parameters and returns (rows, affected rows); raises the
#: driver's error, so the caller can tell its error numbers apart.
Run = Callable[[str, "tuple[Any, ...]"], "tuple[list[tuple[Any, ...]], int]"]


@attrs.define(slots=True)
class ClusterLock:
    """One applier's lease on the schema lock of ``database`` (see the module docstring).

    ``lease`` is how long a claim lasts without renewal; :meth:`renew` extends it whenever a
    third of it has passed, so only one statement running longer than the whole lease lets
    another applier take over (and this one then stops at its next statement).
    """

    database: str
    node: NodeState
    node_name: str
    lease: float
    token: str = attrs.field(factory=lambda: secrets.token_hex(16))
    client: str = attrs.field(factory=lambda: f"{socket.gethostname()} pid {os.getpid()}"[:255])
    renewed: float = 0.0

    def try_take(self, run: Run, error_number: Callable[[BaseException], int | None]) -> str:
        """Try once to take the lease; return "" when taken, else who holds it."""
        try:
            rows, _ = run(HOLDER_SQL, (self.database,))
        except Exception as exc:
            if error_number(exc) != NO_SUCH_TABLE:
                raise
            run(CREATE_SQL, ())  # DDL in total order on every node: IF NOT EXISTS suffices
            rows = []
        try:
            if not rows:
                _, changed = run(INSERT_SQL, (self.database, *self._claim()))
                return "" if changed == 1 else "another applier, which took it just now"
            token, node_uuid, node_name, connection, client, left = rows[0]
            if token is not None and not self._stale(run, node_uuid, connection, left):
                return _holder(node_name, connection, client, left)
            _, changed = run(CLAIM_SQL, (*self._claim(), self.database, token))
        except Exception as exc:
            if error_number(exc) != CERTIFICATION_FAILED:
                raise
            return "another applier, whose claim was certified first"
        return "" if changed == 1 else "another applier, which took it just now"

    def _claim(self) -> tuple[Any, ...]:
        return (self.token, self.node.node_uuid, self.node_name, self.client, self.lease)

    def _stale(self, run: Run, node_uuid: str, connection: int, left: float | None) -> bool:
        """Whether a held lease may be taken over: it ran out, its node left the cluster, or
        it is this node's and its session has ended."""
        if left is None or left < 0:
            return True
        try:
            members = {str(row[0]) for row in run(MEMBERS_SQL, ())[0]}
        except Exception:  # no privilege on the mysql schema: the lease's end decides
            return False
        if members and node_uuid not in members:
            return True
        if node_uuid == self.node.node_uuid and connection is not None:
            return not run(SESSION_SQL, (int(connection),))[0]
        return False

    def renew_due(self, now: float) -> bool:
        return now - self.renewed >= self.lease / 3

    def renew(self, run: Run) -> bool:
        """Extend the lease; ``False`` if it was taken over (it ran out meanwhile)."""
        _, changed = run(RENEW_SQL, (self.lease, self.database, self.token))
        return changed == 1

    def release_sql(self, qualified: bool) -> tuple[str, tuple[Any, ...]]:
        """The release statement, naming the database when run from another connection."""
        table = f"`{self.database.replace('`', '``')}`.{LOCK_TABLE}" if qualified else LOCK_TABLE
        return RELEASE_SQL.format(table=table), (self.database, self.token)


def _holder(node: str | None, connection: int | None, client: str | None, left: Any) -> str:
    remaining = f", its lease ends in {float(left):.0f} s" if left is not None else ""
    return f"held by connection {connection} on Galera node {node} ({client}{remaining})"
