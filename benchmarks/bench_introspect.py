"""Issue 6: reading a PostgreSQL database of many tables back.

One scratch database holds the synthetic schema twice, under two prefixes: 100 tables
(``s_``) and 1,000 tables (``b_``). Each side reads one prefix's tables back: whizbang-schema's
``read_schema`` (what ``diff``, ``check`` and ``migrate`` use) against SQLAlchemy's
``MetaData.reflect(only=...)``, which reads the same facts (columns, types, defaults, keys,
indexes, unique constraints) for the listed tables. Queries are counted on both sides
(whizbang-schema's ``round_trips``; SQLAlchemy's ``before_cursor_execute`` events), so the
growth of queries with tables is visible next to the growth of time.
"""

from __future__ import annotations

import contextlib
import os
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import synthetic
from timing import median, time_once

from whizbang_schema import (
    DegradedRenderWarning,
    SchemaConfiguration,
    apply_schema,
    connect,
    read_schema,
)

ADMIN_URL = os.environ.get(
    "WHIZBANG_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
SIZES = {"s_": 100, "b_": 1000}


@contextlib.contextmanager
def _database() -> Iterator[str]:
    import psycopg

    admin = psycopg.connect(ADMIN_URL, autocommit=True)
    name = f"wbbench_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def run(*, quick: bool) -> dict[str, Any]:
    import sqlalchemy as sa

    repeats = 3 if quick else 7
    sizes = {"s_": 10, "b_": 100} if quick else SIZES
    try:
        database_context = _database()
        url = database_context.__enter__()
    except Exception as exc:  # no server: say so in the results instead of failing the run
        return {"skipped": f"PostgreSQL not reachable at {ADMIN_URL}: {exc}"}
    try:
        configurations = {
            prefix: SchemaConfiguration(prefix=prefix, tables=synthetic.tables(count))
            for prefix, count in sizes.items()
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegradedRenderWarning)
            for configuration in configurations.values():
                apply_schema(url, configuration)
        engine = sa.create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
        queries = {"sa": 0}

        @sa.event.listens_for(engine, "before_cursor_execute")
        def count(*_: object) -> None:
            queries["sa"] += 1

        database = connect(url)
        rows: dict[str, dict[str, Any]] = {}
        for prefix, configuration in configurations.items():
            names = [prefix + t.name for t in configuration.tables]
            whizbang_times, sqlalchemy_times = [], []
            whizbang_queries = sqlalchemy_queries = 0
            for _ in range(repeats):
                before = database.round_trips
                whizbang_times.append(time_once(lambda c=configuration: read_schema(database, c)))
                whizbang_queries = database.round_trips - before
                queries["sa"] = 0
                sqlalchemy_times.append(
                    time_once(lambda n=names: sa.MetaData().reflect(engine, only=n))
                )
                sqlalchemy_queries = queries["sa"]
            rows[str(len(names))] = {
                "whizbang": median(whizbang_times),
                "sqlalchemy": median(sqlalchemy_times),
                "whizbang_queries": whizbang_queries,
                "sqlalchemy_queries": sqlalchemy_queries,
            }
        database.close()
        engine.dispose()
        return {"repeats": repeats, "rows": rows}
    finally:
        database_context.__exit__(None, None, None)
