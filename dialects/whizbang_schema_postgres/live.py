"""A live PostgreSQL database through psycopg 3 (the ``[postgres]`` extra).

What differs from the other engines: libpq reads the URL itself, read-only is a session
setting, the schema lock is a transaction-level advisory lock, and the server's message and
SQLSTATE come from the error's diagnostics.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import Any, Final

from whizbang_schema import DBAPIDatabase, Statement, StatementKind

#: The advisory-lock key every whizbang-schema apply takes, so concurrent appliers queue
#: instead of racing (concurrent CREATE TABLE IF NOT EXISTS can fail on pg_type's index).
LOCK_KEY: Final = zlib.crc32(b"whizbang_schema apply")

_EXISTING_SQL: Final = """
SELECT 'r', n.nspname, c.relname
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relname = ANY(%(names)s)
UNION ALL
SELECT 's', nspname, nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(%(schemas)s)
UNION ALL
SELECT 'c', current_schema(), ''
"""

#: ``postgresql+psycopg://`` (SQLAlchemy's spelling) names the same server as ``postgresql://``.
_DRIVER_SUFFIX: Final = re.compile(r"^(postgres(?:ql)?)\+[^:/]*://", re.IGNORECASE)


class PostgresDatabase(DBAPIDatabase):
    """A PostgreSQL connection in autocommit mode; :meth:`transaction` opens explicit ones."""

    dialect = "postgres"
    engine = "PostgreSQL"
    driver_module = "psycopg"
    install_hint = "pip install 'whizbang-schema[postgres]'"

    def open(self, target: str, read_only: bool) -> Any:
        target = _DRIVER_SUFFIX.sub(r"\1://", target)
        settings: dict[str, str] = {}
        if read_only:  # in the start-up packet: no extra round trip, the URL's options kept
            given = self.driver.conninfo.conninfo_to_dict(target).get("options") or ""
            settings["options"] = f"{given} -c default_transaction_read_only=on".strip()
        return self.driver.connect(target, autocommit=True, connect_timeout=10, **settings)

    def lock(self) -> None:
        self.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")

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

    def describe_error(self, exc: BaseException) -> tuple[str, str | None]:
        message, sqlstate = super().describe_error(exc)
        primary = getattr(getattr(exc, "diag", None), "message_primary", None)
        return primary or message, sqlstate
