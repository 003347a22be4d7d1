"""A third party's PostgreSQL-compatible dialect, as its author would ship it: a subclass of
``PostgresDialect`` under a new name, in its own package, pip-installed into a fresh virtual
environment beside whizbang-schema built from this checkout. It is listed, renders, applies to
the real PostgreSQL server and reads back with no drift (``check`` exits 0).

The subclass changes the type mapping (JSON as ``JSON``, timestamps with millisecond
precision), overrides one rendering decision (tables get ``WITH (fillfactor = 90)``), extends
``parse_type`` so the catalog's spelling of its new timestamp type reads back, and claims its
own URL scheme (``pgjson://``), which it turns into a URL psycopg accepts.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import venv
from pathlib import Path
from typing import Any

import pytest

CORE = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "whizbang-schema-pgjson"
version = "2.0.1"
description = "PostgreSQL with JSON as json: a third-party whizbang-schema dialect."
dependencies = ["whizbang-schema[postgres]>=0.1"]

[project.entry-points.whizbang_schema]
pgjson = "whizbang_schema_pgjson:PgJsonDialect"

[tool.setuptools]
packages = ["whizbang_schema_pgjson"]
"""

PLUGIN = '''\
"""PostgreSQL with JSON stored as ``json`` (the text as given, key order kept) and timestamps
to the millisecond."""

import re

from whizbang_schema import DialectInfo, Statement, StatementKind, WhizbangDataType
from whizbang_schema_postgres import PostgresDialect

_MILLISECONDS = re.compile(r"timestamptz\\(3\\)|timestamp\\(3\\) with time zone")


class PgJsonDialect(PostgresDialect):
    info = DialectInfo(
        name="pgjson",
        description="PostgreSQL, JSON as json, timestamps to the millisecond",
        capabilities=PostgresDialect.info.capabilities,
        url_schemes=("pgjson",),
    )
    TYPES = {
        **PostgresDialect.TYPES,
        WhizbangDataType.JSON: "JSON",
        WhizbangDataType.TIMESTAMP_TZ: "TIMESTAMPTZ(3)",
    }

    def render_create_table(self, table, context):
        return Statement(
            StatementKind.CREATE_TABLE,
            context.table_name(table),
            context.create_table_sql(table, suffix=" WITH (fillfactor = 90)"),
            schema=context.effective_schema,
        )

    def parse_type(self, sql_type, context):
        # As rendered (TIMESTAMPTZ(3)) and as the catalog prints it.
        if _MILLISECONDS.fullmatch(sql_type.strip().lower()):
            return WhizbangDataType.TIMESTAMP_TZ, None
        return super().parse_type(sql_type, context)

    def connect(self, target, read_only):
        # pgjson://user@host/db names this dialect; psycopg wants postgresql://.
        database = super().connect("postgresql://" + target.partition("://")[2], read_only)
        database.dialect = self.name  # read back through this dialect, not postgres
        return database
'''


def run(*command: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, check=False, timeout=600
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, command))} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
    return done


def make_package(root: Path) -> Path:
    package = root / "whizbang-schema-pgjson"
    (package / "whizbang_schema_pgjson").mkdir(parents=True)
    (package / "pyproject.toml").write_text(PYPROJECT)
    (package / "whizbang_schema_pgjson" / "__init__.py").write_text(textwrap.dedent(PLUGIN))
    return package


def column_types(postgres: Any, table: str) -> dict[str, str]:
    rows = postgres.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (table,),
    ).fetchall()
    return dict(rows)


def test_a_pip_installed_postgres_subclass_renders_applies_and_reads_back(
    tmp_path: Path, postgres_url: str, postgres: Any
) -> None:
    wheels = tmp_path / "wheels"
    for project in (CORE, make_package(tmp_path)):  # built here, with this environment's tools
        run(
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            wheels,
            project,
        )
    core_wheel = next(wheels.glob("whizbang_schema-*.whl"))
    plugin_wheel = next(wheels.glob("whizbang_schema_pgjson-*.whl"))

    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    pip, cli = env / "bin" / "pip", env / "bin" / "whizbang-schema"
    run(pip, "install", "--quiet", "--disable-pip-version-check", f"{core_wheel}[postgres]")
    run(pip, "install", "--quiet", "--disable-pip-version-check", plugin_wheel)

    listed = json.loads(run(cli, "dialects", "--json").stdout)
    pgjson = next(d for d in listed["dialects"] if d["name"] == "pgjson")
    assert (pgjson["distribution"], pgjson["version"]) == ("whizbang-schema-pgjson", "2.0.1")
    assert not listed["failures"]
    plugins = json.loads(run(cli, "plugins", "--json").stdout)["plugins"]
    (record,) = [p for p in plugins if p["distribution"] == "whizbang-schema-pgjson"]
    own = {"render_create_table", "parse_type", "connect", "render_literal", "read_catalog"}
    assert {f"whizbang_schema_{d}" for d in own} <= set(record["hooks"])  # its own and inherited

    rendered = run(cli, "render", "--dialect", "pgjson", "--table", "outbox").stdout
    assert "event_data JSON NOT NULL" in rendered and "JSONB" not in rendered
    assert "created_at TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP" in rendered
    assert ") WITH (fillfactor = 90);" in rendered
    assert "WHERE lease_expiry IS NOT NULL" in rendered  # the rest is PostgreSQL's
    postgres_render = run(cli, "render", "--dialect", "postgres", "--table", "outbox").stdout
    assert "event_data JSONB NOT NULL" in postgres_render  # the parent is untouched
    assert "fillfactor" not in postgres_render

    url = "pgjson://" + postgres_url.partition("://")[2]
    applied = run(cli, "apply", "--url", url)
    assert applied.stdout.rstrip().endswith("(pgjson): 37 created, 0 already existed"), (
        applied.stdout
    )
    assert column_types(postgres, "wh_outbox")["event_data"] == "json"
    assert column_types(postgres, "wh_outbox")["created_at"] == "timestamp(3) with time zone"
    (options,) = postgres.execute(
        "SELECT reloptions FROM pg_class WHERE relname = 'wh_outbox'"
    ).fetchone()
    assert options == ["fillfactor=90"]

    checked = run(cli, "check", "--url", url, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    diff = json.loads(run(cli, "diff", "--url", url, "--json").stdout)
    assert (diff["drift"], diff["extras"]) == ([], [])

    # The comparison is real: read through plain PostgreSQL, the millisecond timestamps are a
    # type it does not know, and check says so.
    as_postgres = run(cli, "check", "--url", postgres_url, check=False)
    assert as_postgres.returncode == 1
    assert "timestamp(3) with time zone" in as_postgres.stdout + as_postgres.stderr
