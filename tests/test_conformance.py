"""The built-in dialects run the same conformance kit as any third-party dialect."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from whizbang_schema.testing import ConformanceSuite


class TestPostgresConformance(ConformanceSuite):
    dialect = "postgres"
    session_time_zone_sql = "SET TIME ZONE 'Asia/Kathmandu'"

    @pytest.fixture
    def whizbang_target(self, postgres_url: str) -> str:
        return postgres_url


class TestSqliteConformance(ConformanceSuite):
    dialect = "sqlite"
    integer_ranges_enforced = False  # one 64-bit INTEGER storage class; no session zone
    decimal_digits = 15  # DECIMAL is REAL: order over exactness (see the dialect)

    @pytest.fixture
    def whizbang_target(self, tmp_path: Path) -> str:
        return str(tmp_path / "kit.db")


class TestSqliteStrictConformance(ConformanceSuite):
    dialect = "sqlite"
    options: ClassVar[dict[str, object]] = {"strict": True}
    integer_ranges_enforced = False  # STRICT checks the storage class, not the range
    decimal_digits = 15

    @pytest.fixture
    def whizbang_target(self, tmp_path: Path) -> str:
        return str(tmp_path / "kit.db")


class TestSqlServerConformance(ConformanceSuite):
    dialect = "sqlserver"  # no session time zone: SYSDATETIMEOFFSET() is the server's
    double_infinities = False  # float holds no infinity (error 8115)

    @pytest.fixture
    def whizbang_target(self, sqlserver_url: str) -> str:
        return sqlserver_url
