"""The MySQL plugin on a three-node MariaDB Galera cluster (issue 19), on a real cluster that
``.ci/galera.sh`` runs on loopback ports 3311-3313.

What is established here: ``GET_LOCK`` is local to a node, so the plugin takes a lease that
holds across nodes (a row claimed by a certified ``UPDATE``); six appliers on three nodes then
converge with exactly one of them creating anything, and ``check`` is clean on every node. A
node killed during an apply rejoins and is clean; a node cut off from the group refuses with
its state in the message (exit 2) while the other two apply.

Starting the cluster and killing, restarting and isolating nodes takes about a minute, so
these run when ``WHIZBANG_TEST_GALERA=1`` (``.ci/run`` sets it). When the cluster cannot be
started they fail, never skip.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymysql
import pytest

pytestmark = [
    pytest.mark.slow,
    # One cluster, whose nodes these tests kill and cut off: one test at a time, whichever
    # xdist worker runs it (the fixture `cluster` holds a lock).
    pytest.mark.usefixtures("cluster"),
    pytest.mark.skipif(
        os.environ.get("WHIZBANG_TEST_GALERA") != "1",
        reason="three-node Galera cluster: set WHIZBANG_TEST_GALERA=1 (.ci/run does)",
    ),
]

GALERA = Path(__file__).resolve().parents[2] / ".ci" / "galera.sh"
SCRIPT = Path(sys.executable).parent / "whizbang-schema"
ENV = {**os.environ, "WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""}
PORTS = {1: 3311, 2: 3312, 3: 3313}

#: Enough tables that an apply is still running when its node is killed.
MANY = textwrap.dedent(
    """
    from whizbang_schema import ColumnDefinition, IndexDefinition, TableDefinition
    from whizbang_schema import WhizbangDataType as T

    TABLES = [
        TableDefinition(
            f"t{n:03}",
            [ColumnDefinition("id", T.INTEGER, primary_key=True), ColumnDefinition("a", T.STRING)],
            indexes=[IndexDefinition(f"idx_t{n:03}_a", ["a"])],
        )
        for n in range(300)
    ]
    """
)


def galera(*args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(GALERA), *args], capture_output=True, text=True, timeout=timeout
    )


def admin(node: int, database: str | None = None) -> Any:
    return pymysql.connect(
        host="127.0.0.1",
        port=PORTS[node],
        user="root",
        database=database,
        autocommit=True,
        charset="utf8mb4",
    )


def status(node: int) -> dict[str, str]:
    with admin(node) as conn, conn.cursor() as cursor:
        cursor.execute("SHOW GLOBAL STATUS LIKE 'wsrep\\_%'")
        return {str(name): str(value) for name, value in cursor.fetchall()}


def url(node: int, database: str) -> str:
    return f"mysql://root@127.0.0.1:{PORTS[node]}/{database}"


def cli(*args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(SCRIPT), *args],
        cwd=cwd,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str], timeout: float = 180) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=timeout)
    return process.returncode, stdout, stderr


def check(node: int, database: str, *extra: str, cwd: Path | None = None) -> tuple[int, str]:
    code, stdout, stderr = finished(
        cli("-q", "check", *extra, "--url", url(node, database), cwd=cwd)
    )
    return code, stdout + stderr


def wait_for(what: str, condition: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.25)


def under_way(process: subprocess.Popen[str], database: str) -> None:
    """Wait until ``process`` (applying :data:`MANY`) has made a few tables."""

    def made_some() -> bool:
        if process.poll() is not None:
            pytest.fail(f"the apply ended early: {process.communicate()}", pytrace=False)
        return tables_made(database) >= 5

    wait_for("the apply under way", made_some)


def tables_made(database: str) -> int:
    """How many of :data:`MANY`'s tables node 1 has."""
    with admin(1) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
            "AND TABLE_NAME LIKE 'wh!_t%%' ESCAPE '!'",
            (database,),
        )
        return int(cursor.fetchall()[0][0])


def isolate(node: int, cut_off: bool) -> None:
    """Cut ``node`` off from the group (or let it back): what works on Galera 26.4."""
    with admin(node) as conn, conn.cursor() as cursor:
        cursor.execute(f"SET GLOBAL wsrep_provider_options = 'gmcast.isolate={int(cut_off)}'")


@pytest.fixture
def one_at_a_time(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """An exclusive lock across the xdist workers for the duration of one test."""
    path = tmp_path_factory.getbasetemp().parent / "whizbang-galera-tests.lock"
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def cluster(one_at_a_time: None) -> None:
    """Three Synced nodes, under the lock (started if need be, which the first test does;
    they keep running for the next tests, and ``bash .ci/galera.sh stop`` stops them)."""
    started = galera("start")
    if started.returncode != 0:
        pytest.fail(
            f"the three-node Galera cluster (.ci/galera.sh start) did not start:\n"
            f"{started.stderr[-4000:]}",
            pytrace=False,
        )


@pytest.fixture
def synced(cluster: None) -> Iterator[None]:
    """A test that kills or isolates a node leaves the three nodes Synced again."""
    yield
    for node in PORTS:
        with contextlib.suppress(pymysql.MySQLError):  # down: started below
            isolate(node, False)
    restored = galera("start")
    assert restored.returncode == 0, restored.stderr[-4000:]


@pytest.fixture
def database(cluster: None) -> Iterator[str]:
    """A new database, made on node 1 (DDL reaches every node in total order)."""
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    with admin(1) as conn, conn.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield name
    for node in PORTS:  # through a node of the primary component
        try:
            with admin(node) as conn, conn.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            return
        except pymysql.MySQLError:
            continue


def test_the_cluster_is_three_synced_nodes(cluster: None) -> None:
    for node in PORTS:
        state = status(node)
        assert state["wsrep_cluster_size"] == "3"
        assert state["wsrep_local_state_comment"] == "Synced"
        assert state["wsrep_provider_name"] == "Galera"


def test_get_lock_is_local_to_a_node(database: str) -> None:
    # The fact that rules out the single-server lock: two nodes grant one named lock at once.
    with admin(1) as one, admin(2) as two, one.cursor() as first, two.cursor() as second:
        first.execute("SELECT GET_LOCK(%s, 0)", (f"whizbang_schema apply {database}",))
        second.execute("SELECT GET_LOCK(%s, 0)", (f"whizbang_schema apply {database}",))
        assert first.fetchall() == second.fetchall() == ((1,),)


OLD_INBOX = """CREATE TABLE wh_inbox (
  message_id CHAR(36) NOT NULL, handler_name VARCHAR(500) NOT NULL,
  message_type VARCHAR(500) NOT NULL, event_data JSON NOT NULL, metadata JSON NOT NULL,
  stream_id CHAR(36), partition_number INT, is_event BOOLEAN NOT NULL DEFAULT 0,
  status INT NOT NULL DEFAULT 1, attempts INT NOT NULL DEFAULT 0, error LONGTEXT,
  instance_id CHAR(36), lease_expiry DATETIME(6), failure_reason INT NOT NULL DEFAULT 99,
  scheduled_for DATETIME(6), processed_at DATETIME(6),
  received_at DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  CONSTRAINT wh_inbox_pkey PRIMARY KEY (message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"""


@pytest.mark.filterwarnings("ignore")
def test_two_appliers_on_each_of_three_nodes_converge(database: str) -> None:
    # An inbox of an older release (no scope column, no indexes): the plan ALTERs it, which
    # without a cluster-wide lock fails on the nodes that read the catalog before the first
    # ALTER ran ("Duplicate column name 'scope'", error 1060; see the plugin's README).
    with admin(1, database) as conn, conn.cursor() as cursor:
        cursor.execute(OLD_INBOX)
    appliers = [
        (node, cli("apply", "--lock-timeout", "120", "--url", url(node, database)))
        for node in (1, 2, 3, 1, 2, 3)
    ]
    results = [(node, *finished(process)) for node, process in appliers]
    for node, code, _stdout, stderr in results:
        assert code == 0, f"node {node}: {stderr}"
    last_lines = [stdout.splitlines()[-1] for _, _, stdout, _ in results]
    creators = [line for line in last_lines if not line.endswith(": 0 created, 9 already existed")]
    # Exactly one applier did the work (8 tables, 1 column, 8 indexes of the inbox); the
    # five others found it done: nothing ran twice.
    assert len(creators) == 1, last_lines
    assert creators[0].endswith(": 17 created, 1 already existed"), creators
    for node in PORTS:
        assert check(node, database) == (
            0,
            f"{url(node, database)} (mysql): matches the definitions\n",
        )
    with admin(3, database) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT name, token FROM whizbang_schema_lock")
        assert cursor.fetchall() == ((database, None),)  # released
    # Without a prefix every table of the database is read; the lease's own is not an extra.
    code, stdout, _ = finished(cli("diff", "--prefix", "", "--url", url(1, database)))
    assert code == 1
    assert "wh_outbox" in stdout
    assert "whizbang_schema_lock" not in stdout


def test_a_lease_held_on_another_node_keeps_an_applier_out_and_names_its_holder(
    database: str,
) -> None:
    from whizbang_schema import connect

    holder = connect(url(1, database), lock_timeout=5)
    try:
        with holder.transaction():
            code, _, stderr = finished(
                cli("apply", "--lock-timeout", "1", "--url", url(2, database))
            )
            assert code == 2
            assert "waited 1 s for the cluster-wide schema lock of this database" in stderr
            assert "on Galera node node1" in stderr, stderr
        # Released: the other node's applier now gets it at once.
        code, _, stderr = finished(cli("apply", "--lock-timeout", "5", "--url", url(2, database)))
        assert code == 0, stderr
    finally:
        holder.close()


def test_a_lease_left_by_a_dead_applier_is_taken_over_on_its_node(database: str) -> None:
    from whizbang_schema import connect

    dead = connect(url(1, database), lock_timeout=5)
    dead.lock()  # taken, never released: the process "dies" with its session
    dead.connection.close()
    # Another node cannot see that session: the lease keeps it out until it runs out.
    code, _, stderr = finished(cli("apply", "--lock-timeout", "1", "--url", url(2, database)))
    assert code == 2
    assert "on Galera node node1" in stderr, stderr
    # Its own node can: the session is gone, so the lease is taken over at once.
    code, _, stderr = finished(cli("apply", "--lock-timeout", "5", "--url", url(1, database)))
    assert code == 0, stderr


@pytest.mark.filterwarnings("ignore")
def test_a_node_killed_during_an_apply_rejoins_clean(
    database: str, synced: None, tmp_path: Path
) -> None:
    (tmp_path / "many.py").write_text(MANY)
    definitions = ("--definitions", "many:TABLES")
    doomed = cli("apply", *definitions, "--url", url(3, database), cwd=tmp_path)

    under_way(doomed, database)
    killed = galera("kill-node", "3")
    assert killed.returncode == 0, killed.stderr
    code, _, stderr = finished(doomed)
    assert code == 2, stderr
    made = tables_made(database)
    assert 5 <= made < 300  # killed mid-way
    # The dead node's lease is free once the cluster has seen it go (seconds, not the 60 s
    # lease): node 1 finishes the work.
    started = time.monotonic()
    code, stdout, stderr = finished(
        cli("apply", "--lock-timeout", "60", *definitions, "--url", url(1, database), cwd=tmp_path)
    )
    assert code == 0, stderr
    assert time.monotonic() - started < 40
    assert stdout.splitlines()[-1].endswith(f": {300 - made} created, {made} already existed")
    restarted = galera("start-node", "3")
    assert restarted.returncode == 0, restarted.stderr[-4000:]
    for node in (3, 1, 2):
        code, output = check(node, database, *definitions, cwd=tmp_path)
        assert code == 0, f"node {node}: {output}"


@pytest.mark.filterwarnings("ignore")
def test_a_node_cut_off_refuses_while_the_other_two_apply(database: str, synced: None) -> None:
    isolate(3, True)
    wait_for("node 3 out of the primary component", lambda: status(3)["wsrep_ready"] == "OFF")
    wait_for("nodes 1 and 2 a cluster of two", lambda: status(1)["wsrep_cluster_size"] == "2")
    appliers = [cli("apply", "--url", url(node, database)) for node in (1, 2, 3)]
    refused = cli("check", "--url", url(3, database))
    results = [finished(process) for process in appliers]
    assert [code for code, _, _ in results] == [0, 0, 2], results
    code, _, stderr = finished(refused)
    assert code == 2
    for message in (results[2][2], stderr):
        assert "this Galera node is not in the primary component" in message, message
        assert "wsrep_cluster_status=non-Primary, wsrep_ready=OFF" in message, message
    for node in (1, 2):
        assert check(node, database)[0] == 0
    isolate(3, False)
    wait_for("node 3 back", lambda: status(3)["wsrep_local_state_comment"] == "Synced")
    assert check(3, database) == (0, f"{url(3, database)} (mysql): matches the definitions\n")


@pytest.mark.filterwarnings("ignore")
def test_a_node_cut_off_during_an_apply_says_so(
    database: str, synced: None, tmp_path: Path
) -> None:
    (tmp_path / "many.py").write_text(MANY)
    definitions = ("--definitions", "many:TABLES")
    applier = cli(
        "apply", "--lock-timeout", "8", *definitions, "--url", url(3, database), cwd=tmp_path
    )
    under_way(applier, database)
    isolate(3, True)
    code, _, stderr = finished(applier)
    # Its DDL waits for a primary component until the lock wait runs out; the message says
    # why rather than blaming another session.
    assert code == 2
    assert "this Galera node left the primary component during the run" in stderr, stderr
    assert "wsrep_cluster_status=non-Primary" in stderr, stderr
    assert "another session uses the table" not in stderr
    isolate(3, False)
    wait_for("node 3 back", lambda: status(3)["wsrep_local_state_comment"] == "Synced")
    code, _, stderr = finished(cli("apply", *definitions, "--url", url(3, database), cwd=tmp_path))
    assert code == 0, stderr
    for node in PORTS:
        assert check(node, database, *definitions, cwd=tmp_path)[0] == 0
