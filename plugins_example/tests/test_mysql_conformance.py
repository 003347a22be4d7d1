"""The example dialect runs the same conformance kit as the built-in dialects."""

from __future__ import annotations

from typing import ClassVar

import pytest

from whizbang_schema.testing import ConformanceSuite


class TestMySQLConformance(ConformanceSuite):
    dialect = "mysql"
    session_time_zone_sql = "SET time_zone = '+05:45'"
    double_infinities = False  # DOUBLE holds no infinity ("out of range")

    @pytest.fixture
    def whizbang_target(self, mysql_url: str) -> str:
        return mysql_url


class TestMySQLBinaryUuidConformance(ConformanceSuite):
    dialect = "mysql"
    session_time_zone_sql = "SET time_zone = '+05:45'"
    double_infinities = False  # DOUBLE holds no infinity ("out of range")
    options: ClassVar[dict[str, object]] = {"uuid": "binary16"}

    @pytest.fixture
    def whizbang_target(self, mysql_url: str) -> str:
        return mysql_url
