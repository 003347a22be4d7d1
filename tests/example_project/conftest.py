"""Helpers of the example's tests: one driver per engine, and a record of which database
each test got (the outer test reads it to see databases reused)."""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.parse
from typing import Any

import pytest


def open_connection(url: str) -> Any:
    """The application's own connection to ``url``, as its code would open one."""
    if url.startswith("sqlite:"):
        return sqlite3.connect(url.removeprefix("sqlite:///"))
    if url.startswith("postgresql:"):
        import psycopg

        return psycopg.connect(url)
    import pymysql

    parts = urllib.parse.urlsplit(url)
    return pymysql.connect(
        host=parts.hostname,
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        database=parts.path.lstrip("/"),
    )


@pytest.fixture(autouse=True)
def record(request: pytest.FixtureRequest) -> Any:
    yield
    database = request.node.funcargs.get("whizbang_database")
    log = os.environ.get("EXAMPLE_LOG")
    if database is not None and log:
        with open(log, "a", encoding="utf-8") as out:
            entry = {"test": request.node.nodeid, "url": database.url, "reused": database.reused}
            out.write(json.dumps(entry) + "\n")
