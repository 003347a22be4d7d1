"""The test-database plugin's configuration, run in-process by pytester: what it says when
it has no server, when the definitions' name is wrong, and a list of tables as definitions
(SQLite)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

USES_DATABASE = """
def test_uses_it(whizbang_database):
    pass
"""


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WHIZBANG_DATABASE_URL", raising=False)
    # The plugin alone, loaded the -p way (the other installed plugins cost a second a run).
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


PLUGIN = ("-p", "whizbang_schema.testing.databases")


def test_without_a_server_the_fixture_says_how_to_set_one(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(USES_DATABASE)
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*whizbang_database needs a server: set whizbang_database_url*"])


def test_definitions_that_are_not_definitions_are_refused(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nwhizbang_database_url = sqlite://\nwhizbang_definitions = os:sep\n")
    pytester.makepyfile(USES_DATABASE)
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*'os:sep' is str, not a SchemaConfiguration*"])


def test_a_list_of_tables_under_the_default_prefix(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        "[pytest]\nwhizbang_database_url = sqlite://\nwhizbang_definitions = app_tables:TABLES\n"
        "whizbang_reuse = false\n"
    )
    pytester.makepyfile(
        app_tables="from whizbang_schema.tables import OUTBOX, SEQUENCES\nTABLES = [OUTBOX, SEQUENCES]\n",
        test_app="""
import sqlite3

def test_holds_the_listed_tables(whizbang_database):
    assert whizbang_database.dialect == "sqlite" and not whizbang_database.reused
    with sqlite3.connect(whizbang_database.url.removeprefix("sqlite:///")) as connection:
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"wh_outbox", "wh_sequences"}
""",
    )
    pytester.syspathinsert()
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(passed=1)


def test_a_server_that_is_down_is_one_line_without_the_password(
    pytester: pytest.Pytester,
) -> None:
    # A traceback would print the URL arguments of every frame: CI logs keep them.
    url = "postgresql://postgres:s3cr3tpw@127.0.0.1:1/postgres"
    pytester.makeini(f"[pytest]\nwhizbang_database_url = {url}\n")
    pytester.makepyfile(USES_DATABASE)
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*whizbang_database: PostgreSQL: cannot connect*"])
    assert "s3cr3tpw" not in result.stdout.str() + result.stderr.str()


def test_the_environment_variable_overrides_the_ini_file(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The ini file is the project's (a developer's server); CI points elsewhere through the
    # environment, as pytest-django's DJANGO_SETTINGS_MODULE does.
    pytester.makeini("[pytest]\nwhizbang_database_url = postgresql://nobody@127.0.0.1:1/none\n")
    pytester.makepyfile(
        "def test_uses_it(whizbang_database):\n    assert whizbang_database.dialect == 'sqlite'\n"
    )
    monkeypatch.setenv("WHIZBANG_DATABASE_URL", "sqlite://")
    pytester.runpytest_inprocess(*PLUGIN).assert_outcomes(passed=1)
    # and the command line overrides both
    result = pytester.runpytest_inprocess(
        *PLUGIN, "--whizbang-database-url=postgresql://x@127.0.0.1:1/y"
    )
    result.assert_outcomes(errors=1)
