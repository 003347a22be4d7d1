"""Item 4: the nine tables applied to fresh, empty PostgreSQL databases.

Both sides talk to the server through psycopg 3 and both check first what exists (SQLAlchemy's
``create_all`` has ``checkfirst=True`` by default; whizbang-schema asks the catalog once),
so a second run of either changes nothing. Each measured run gets a database of its own,
created just before (not timed) and dropped after.

Three pairs:

* **whole processes**: the command ``whizbang-schema apply --url`` against
  ``python -c "...create_engine(url); metadata.create_all(engine)"``, each a new interpreter
  (the SQLAlchemy script unpickles its ``MetaData``, built beforehand from the same
  definitions, so it does not import whizbang-schema; building the tables in code would cost
  it a little more);
* **from nothing**: ``whizbang-schema apply --url`` (the command's ``main``, in this process)
  and ``apply_schema(url)``, against ``create_engine(url)`` + ``MetaData.create_all()``; each
  opens its connection (SQLAlchemy's first connection also initialises its dialect).
* **connection already open**: ``apply_statements`` on an open ``connect(url)`` against
  ``create_all`` on an engine whose pool already holds an initialised connection.

Round trips are counted twice, independently: by each library (whizbang-schema's
``LiveDatabase.round_trips``; SQLAlchemy's ``before_cursor_execute`` events, which do not see
BEGIN and COMMIT) and on the wire, by libpq's protocol trace (every exchange the client waits
for ends with one ReadyForQuery; the connection start-up, not traced, is added as one).
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import sqla
from timing import median, time_once, time_process

from whizbang_schema import (
    SchemaConfiguration,
    apply_schema,
    apply_statements,
    connect,
    get_dialect,
)
from whizbang_schema.tables import ALL_TABLES

ADMIN_URL = os.environ.get(
    "WHIZBANG_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _url(database: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + database


def _sa_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


@contextlib.contextmanager
def _fresh_database(admin: Any) -> Iterator[str]:
    name = f"wbbench_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield _url(name)
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class _Contender:
    """One way of applying the nine tables: ``prepare(url)`` (not timed) returns the timed
    call and a clean-up."""

    def __init__(
        self,
        label: str,
        prepare: Callable[[str], tuple[Callable[[], object], Callable[[], object]]],
    ) -> None:
        self.label = label
        self.prepare = prepare


def _contenders(workdir: str) -> list[_Contender]:
    import sqlalchemy as sa

    from whizbang_schema.cli import main

    configuration = SchemaConfiguration(tables=ALL_TABLES)
    metadata, _ = sqla.build_all(ALL_TABLES, "postgres")
    get_dialect("postgres").statements(configuration)  # the registry is loaded once per process
    pickled = os.path.join(workdir, "metadata.pickle")
    with open(pickled, "wb") as out:
        pickle.dump(metadata, out)
    script = os.path.join(os.path.dirname(sys.executable), "whizbang-schema")

    def cli_process(url: str) -> tuple[Callable[[], object], Callable[[], object]]:
        return (lambda: time_process([script, "apply", "--url", url])), lambda: None

    def script_process(url: str) -> tuple[Callable[[], object], Callable[[], object]]:
        argv = [sys.executable, "-c", _SA_SCRIPT, pickled, _sa_url(url)]
        return (lambda: time_process(argv)), lambda: None

    def cli(url: str) -> tuple[Callable[[], object], Callable[[], object]]:
        def call() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                if main(["apply", "--url", url]) != 0:
                    raise SystemExit("whizbang-schema apply failed")

        return call, lambda: None

    def library(url: str) -> tuple[Callable[[], object], Callable[[], object]]:
        return (lambda: apply_schema(url, configuration)), lambda: None

    def create_all(url: str) -> tuple[Callable[[], object], Callable[[], object]]:
        def call() -> None:
            engine = sa.create_engine(_sa_url(url))
            metadata.create_all(engine)
            engine.dispose()

        return call, lambda: None

    def open_whizbang(url: str) -> tuple[Callable[[], object], Callable[[], object]]:
        database = connect(url)

        def call() -> None:
            statements = get_dialect(database.dialect).statements(configuration)
            apply_statements(database, statements)

        return call, database.close

    def open_create_all(url: str) -> tuple[Callable[[], object], Callable[[], object]]:
        engine = sa.create_engine(_sa_url(url))
        with engine.connect():
            pass  # the pool keeps this connection, initialised
        return (lambda: metadata.create_all(engine)), engine.dispose

    return [
        _Contender("process: whizbang-schema apply --url", cli_process),
        _Contender("process: python -c create_all() script", script_process),
        _Contender("whizbang-schema apply --url", cli),
        _Contender("apply_schema(url)", library),
        _Contender("create_engine + create_all()", create_all),
        _Contender("apply_statements, connection open", open_whizbang),
        _Contender("create_all(), engine connected", open_create_all),
    ]


_SA_SCRIPT = """
import pickle, sys
import sqlalchemy as sa
with open(sys.argv[1], "rb") as f:
    metadata = pickle.load(f)
engine = sa.create_engine(sys.argv[2])
metadata.create_all(engine)
engine.dispose()
"""


def run(*, quick: bool) -> dict[str, Any]:
    try:
        import psycopg
    except ImportError:
        return {"skipped": "psycopg is not installed (pip install -e '.[bench]')"}
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        return {"skipped": f"PostgreSQL is not reachable at {ADMIN_URL}: {exc}"}
    repeats = 2 if quick else 9
    workdir = tempfile.TemporaryDirectory(prefix="wbbench-")
    try:
        version = admin.execute("SHOW server_version").fetchone()[0]
        contenders = _contenders(workdir.name)
        samples: dict[str, list[int]] = {c.label: [] for c in contenders}
        for repeat in range(repeats + 1):
            for contender in contenders:
                with _fresh_database(admin) as url:
                    call, cleanup = contender.prepare(url)
                    try:
                        elapsed = time_once(call)
                    finally:
                        cleanup()
                if repeat:  # the first round warms up both libraries
                    samples[contender.label].append(elapsed)
        trips = _round_trips(admin)
    finally:
        admin.close()
        workdir.cleanup()
    return {
        "postgres_version": version,
        "repeats": repeats,
        "medians": {label: median(values) for label, values in samples.items()},
        "round_trips": trips,
    }


@contextlib.contextmanager
def _traced_connections() -> Iterator[list[str]]:
    """Trace the protocol of every psycopg connection opened inside; yields the trace files."""
    import psycopg

    original = psycopg.connect
    files: list[str] = []

    def traced(*args: Any, **kwargs: Any) -> Any:
        connection = original(*args, **kwargs)
        handle, path = tempfile.mkstemp(prefix="wbbench-trace-", suffix=".txt")
        files.append(path)
        connection.pgconn.trace(handle)
        return connection

    psycopg.connect = traced  # type: ignore[assignment]
    try:
        yield files
    finally:
        psycopg.connect = original  # type: ignore[assignment]


def _wire_round_trips(files: list[str]) -> int:
    total = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as trace:
            total += 1 + sum(1 for line in trace if "\tReadyForQuery\t" in line)
        os.unlink(path)
    return total


def _round_trips(admin: Any) -> dict[str, dict[str, int]]:
    import sqlalchemy as sa
    from sqlalchemy import event

    metadata, _ = sqla.build_all(ALL_TABLES, "postgres")
    out: dict[str, dict[str, int]] = {}
    with _fresh_database(admin) as url, _traced_connections() as files:
        database = connect(url)
        try:
            statements = get_dialect("postgres").statements(SchemaConfiguration())
            result = apply_statements(database, statements)
            counted = database.round_trips
        finally:
            database.close()
        out["whizbang-schema"] = {
            "library": counted,
            "wire": _wire_round_trips(files),
            "statements": len(result.created),
        }
    with _fresh_database(admin) as url, _traced_connections() as files:
        engine = sa.create_engine(_sa_url(url))
        executed = [0]

        @event.listens_for(engine, "before_cursor_execute")
        def count(*_: Any) -> None:
            executed[0] += 1

        metadata.create_all(engine)
        engine.dispose()
        out["SQLAlchemy"] = {"library": executed[0], "wire": _wire_round_trips(files)}
    return out
