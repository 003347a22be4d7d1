"""``--json`` output of every command, validated against its JSON Schema in ``docs/json/``
(with the ``jsonschema`` package, a test-only dependency), and ``check`` as a CI gate: exit 0,
1 on drift, 2 when the server cannot be reached, in text and JSON, and a ``jq -e`` gate that
fails in both bad cases.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

SCRIPT = Path(sys.executable).parent / "whizbang-schema"
SCHEMAS = Path(__file__).resolve().parent.parent / "docs" / "json"
UNREACHABLE = "postgresql://postgres:hunter2@127.0.0.1:1/nothing"  # nothing listens on port 1


def cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {"WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""}
    return subprocess.run(
        [str(SCRIPT), *args],
        cwd=cwd,
        env={**os.environ, **clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def valid(name: str, text: str) -> dict[str, Any]:
    """``text`` parsed, and held to ``docs/json/<name>.schema.json``."""
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    payload: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator(schema).validate(payload)
    assert payload["format"] == 1
    return payload


def test_every_schema_is_a_valid_schema() -> None:
    names = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    assert names == [
        f"{n}.schema.json"
        for n in (
            "apply",
            "check",
            "dialects",
            "diff",
            "error",
            "migrate",
            "plan",
            "plugins",
            "render",
            "tables",
        )
    ]
    for path in SCHEMAS.glob("*.schema.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text()))


def test_listing_commands() -> None:
    dialects = valid("dialects", cli("dialects", "--json").stdout)
    assert {"postgres", "sqlite", "sqlserver", "mysql"} <= {d["name"] for d in dialects["dialects"]}
    plugins = valid("plugins", cli("plugins", "--json").stdout)
    assert plugins["plugins"] and plugins["failures"] == []
    tables = valid("tables", cli("tables", "--json").stdout)
    assert len(tables["tables"]) == 9
    for dialect in ("postgres", "sqlite", "sqlserver", "mysql"):
        out = cli("render", "--dialect", dialect, "--json", "--quiet")
        rendered = valid("render", out.stdout)
        assert rendered["dialect"] == dialect and rendered["statements"]
        assert out.stderr == ""  # --quiet: not even the degraded-index warnings


def test_live_commands_on_postgres(postgres_url: str, postgres: Any) -> None:
    target = ["--url", postgres_url]
    dry = valid("apply", cli("apply", *target, "--dry-run", "--json").stdout)
    assert dry["dry_run"] and len(dry["created"]) == 37
    applied = valid("apply", cli("apply", *target, "--json").stdout)
    assert applied["target"] == postgres_url and applied["dialect"] == "postgres"
    assert len(applied["created"]) == 37 and applied["refused"] == []
    clean = valid("check", cli("check", *target, "--json").stdout)
    assert clean["matches"] and clean["drift"] == []

    postgres.execute("ALTER TABLE wh_outbox ALTER COLUMN scope SET NOT NULL")
    postgres.execute("ALTER TABLE wh_outbox DROP COLUMN error")
    postgres.execute("CREATE TABLE wh_mine (id int)")
    for command in ("diff", "check"):
        out = cli(command, *target, "--json")
        assert out.returncode == 1, out.stderr  # as diff(1): differences found
        payload = valid(command, out.stdout)
        assert not payload["matches"]
        assert {d["kind"] for d in payload["drift"]} == {"column_nullable", "missing_column"}
        assert [e["kind"] for e in payload["extras"]] == ["extra_table"]
    plan = valid("migrate", cli("migrate", *target, "--dry-run", "--json").stdout)
    assert [s["kind"] for s in plan["statements"]] == ["add_column"]
    (refused,) = plan["refused"]
    assert refused["kind"] == "column_nullable" and refused["name"] == "scope"
    assert refused["table"] == "wh_outbox" and refused["reason"]
    converged = cli("apply", *target, "--json")
    assert converged.returncode == 1  # the nullability needs a decision
    payload = valid("apply", converged.stdout)
    assert [s["name"] for s in payload["created"]] == ["error"]
    assert [r["name"] for r in payload["refused"]] == ["scope"]
    migrated = cli("migrate", *target, "--json")
    assert migrated.returncode == 1
    assert valid("migrate", migrated.stdout)["statements"] == []


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--url", UNREACHABLE],
        ["diff", "--url", UNREACHABLE],
        ["apply", "--url", UNREACHABLE],
        ["migrate", "--url", UNREACHABLE],
        ["render", "--dialect", "oracle"],
        ["render", "--dialect", "sqlite", "--option", "colour=red"],
        ["tables", "--definitions", "no_such_module:X"],
        ["frobnicate"],
        ["check", "--url", "not a url"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_errors_are_json_too(args: list[str]) -> None:
    out = cli(*args, "--json")
    assert out.returncode == 2, out.stderr
    payload = valid("error", out.stdout)
    assert payload["error"]["message"] in out.stderr
    assert "hunter2" not in out.stdout + out.stderr
    if "--url" in args and args[2] == UNREACHABLE:
        assert payload["target"] == "postgresql://postgres:***@127.0.0.1:1/nothing"
        assert payload["dialect"] == "postgres" and payload["error"]["kind"] == "database"


def test_check_as_a_ci_gate(postgres_url: str, postgres: Any) -> None:
    assert cli("apply", "--url", postgres_url).returncode == 0
    ok_text, ok_json = (
        cli("check", "--url", postgres_url),
        cli("check", "--url", postgres_url, "--json"),
    )
    assert (ok_text.returncode, ok_json.returncode) == (0, 0)

    postgres.execute("DROP INDEX wh_idx_outbox_status_created_at")
    drift_text = cli("check", "--url", postgres_url)
    drift_json = cli("check", "--url", postgres_url, "--json")
    assert (drift_text.returncode, drift_json.returncode) == (1, 1)
    assert drift_text.stderr.startswith("whizbang-schema: error: ")
    assert drift_text.stderr.rstrip().endswith("drifts from the definitions (1 difference)")

    down_text = cli("check", "--url", UNREACHABLE)
    down_json = cli("check", "--url", UNREACHABLE, "--json")
    assert (down_text.returncode, down_json.returncode) == (2, 2)
    assert down_text.stdout == "" and "cannot connect" in down_text.stderr

    jq = shutil.which("jq")
    assert jq is not None, "jq is not installed (bash .ci/services.sh installs it)"
    gate = [jq, "-e", ".matches"]

    def passes(payload: str) -> bool:
        return subprocess.run(gate, input=payload, capture_output=True, text=True).returncode == 0

    assert passes(ok_json.stdout)
    assert not passes(drift_json.stdout)
    assert not passes(down_json.stdout)  # an outage is a JSON error object: .matches is null


def test_the_url_and_prefix_from_the_environment(postgres_url: str, tmp_path: Path) -> None:
    env = {"WHIZBANG_SCHEMA_URL": postgres_url, "WHIZBANG_SCHEMA_PREFIX": "env_"}
    applied = cli("apply", "--json", "--table", "sequences", cwd=tmp_path, env=env)
    assert applied.returncode == 0, applied.stderr
    payload = valid("apply", applied.stdout)
    assert payload["target"] == postgres_url
    assert [s["name"] for s in payload["created"]] == ["env_sequences"]
    assert cli("check", "--table", "sequences", cwd=tmp_path, env=env).returncode == 0
    # flags win over the environment
    flagged = cli("check", "--table", "sequences", "--prefix", "other_", cwd=tmp_path, env=env)
    assert flagged.returncode == 1
    local = cli("apply", "--database", "here.db", "--table", "sequences", cwd=tmp_path, env=env)
    assert "here.db (sqlite)" in local.stdout and (tmp_path / "here.db").exists()
    bad = cli("check", "--json", cwd=tmp_path, env={"WHIZBANG_SCHEMA_URL": "nonsense"})
    assert bad.returncode == 2 and "$WHIZBANG_SCHEMA_URL takes a URL" in bad.stderr
    valid("error", bad.stdout)


def test_check_cannot_tell_when_mariadb_is_unreachable() -> None:
    # (A SQLite file that does not exist reads as an empty database: drift, exit 1.)
    url = "mysql://root:hunter2@127.0.0.1:1/nothing"
    text, as_json = cli("check", "--url", url), cli("check", "--url", url, "--json")
    assert (text.returncode, as_json.returncode) == (2, 2), text.stderr
    assert text.stdout == "" and text.stderr.startswith("whizbang-schema: error: ")
    payload = valid("error", as_json.stdout)
    assert payload["error"]["kind"] == "database" and "hunter2" not in as_json.stdout
    jq = shutil.which("jq")
    if jq is not None:
        gate = subprocess.run(
            [jq, "-e", ".matches"], input=as_json.stdout, capture_output=True, text=True
        )
        assert gate.returncode != 0
