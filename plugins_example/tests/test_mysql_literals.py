"""Literals the dialect spells, read back by a real MariaDB server as the values they stand for."""

from __future__ import annotations

import json
from typing import Any

import pytest

from whizbang_schema import ColumnDefinition, SchemaConfiguration, WhizbangDataType, get_dialect

CONTEXT = get_dialect("mysql").context(SchemaConfiguration())


@pytest.mark.parametrize(
    "value",
    [
        {"k": [1, "two", None]},
        {"quote": 'say "hi"', "backslash": "a\\b", "newline": "x\ny", "it's": "é\U0001f600"},
        ["\\", '"', "'"],
    ],
    ids=["plain", "escapes", "list"],
)
def test_a_json_literal_reads_back_as_its_value(mysql: Any, value: object) -> None:
    literal = CONTEXT.render_literal(ColumnDefinition("j", WhizbangDataType.JSON), value)
    with mysql.cursor() as cursor:
        cursor.execute(f"SELECT {literal}, JSON_VALID({literal})")
        text, valid = cursor.fetchone()
    assert valid == 1, literal
    assert json.loads(text) == value


@pytest.mark.parametrize("value", ["a\\b", "it's", "\\'", "x\U0001f600y", "tab\there"])
def test_a_string_literal_reads_back_as_its_value(mysql: Any, value: str) -> None:
    literal = CONTEXT.render_literal(ColumnDefinition("s", WhizbangDataType.STRING), value)
    with mysql.cursor() as cursor:
        cursor.execute(f"SELECT {literal}")
        (text,) = cursor.fetchone()
    assert text == value
