"""A live MySQL or MariaDB database through PyMySQL (the ``[mysql]`` extra).

What differs from the other engines: the driver takes the address in parts, DDL commits
implicitly (so there is no transaction to roll back: ``transactional_ddl`` is false), the
schema lock is a server-wide named lock released explicitly, and the error number joins the
server's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from whizbang_schema import DatabaseError, DBAPIDatabase, Statement, StatementKind, server_url

#: A server-wide named lock: concurrent appliers queue on it (DDL itself cannot be in a
#: transaction here, so the lock is what keeps two appliers from racing).
LOCK_NAME: Final = "whizbang_schema apply"
LOCK_TIMEOUT_SECONDS: Final = 60


class MySQLDatabase(DBAPIDatabase):
    """A PyMySQL connection in autocommit mode (MySQL commits DDL implicitly anyway)."""

    dialect = "mysql"
    engine = "MySQL"
    driver_module = "pymysql"
    install_hint = "pip install 'whizbang-schema-mysql[mysql]'"
    transactional_ddl = False

    def open(self, target: str, read_only: bool) -> Any:
        url = server_url(target, ("mysql", "mariadb"), engine=self.engine)
        return self.driver.connect(
            host=url.host or "127.0.0.1",
            port=url.port or 3306,
            user=url.user or "root",
            password=url.password or "",
            database=url.database,
            charset="utf8mb4",
            autocommit=True,
            connect_timeout=10,
            init_command="SET SESSION TRANSACTION READ ONLY" if read_only else None,
        )

    def lock(self) -> None:
        (got,) = self.query("SELECT GET_LOCK(%s, %s)", (LOCK_NAME, LOCK_TIMEOUT_SECONDS))[0]
        if got != 1:
            raise DatabaseError(
                f"another apply held the schema lock for {LOCK_TIMEOUT_SECONDS} seconds"
            )

    def unlock(self) -> None:
        self.query("SELECT RELEASE_LOCK(%s)", (LOCK_NAME,))

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
