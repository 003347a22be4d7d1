"""The example dialect as a user gets it: a wheel, installed with pip beside whizbang-schema in
a fresh virtual environment, then uninstalled."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1]
CORE = EXAMPLE.parent

pytestmark = pytest.mark.slow


def run(*command: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, check=check, timeout=600
    )


def test_wheel_installs_lists_renders_applies_and_uninstalls(
    tmp_path: Path, mysql_url: str
) -> None:
    wheels = tmp_path / "wheels"
    for project in (CORE, EXAMPLE):  # built here, with this environment's setuptools
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
    built = sorted(p.name for p in wheels.glob("*.whl"))
    assert [name.split("-")[0] for name in built] == ["whizbang_schema", "whizbang_schema_mysql"]

    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    pip, cli = env / "bin" / "pip", env / "bin" / "whizbang-schema"
    run(pip, "install", "--quiet", "--disable-pip-version-check", *wheels.glob("*.whl"), "PyMySQL")

    listed = json.loads(run(cli, "dialects", "--json").stdout)
    mysql = next(d for d in listed["dialects"] if d["name"] == "mysql")
    assert (mysql["distribution"], mysql["version"]) == ("whizbang-schema-mysql", "0.1.0")

    rendered = run(cli, "render", "--dialect", "mysql", "--table", "sequences")
    assert "ENGINE=InnoDB" in rendered.stdout
    applied = run(cli, "apply", "--url", mysql_url)
    assert applied.stdout.rstrip().endswith("(mysql): 9 created, 0 already existed")

    run(pip, "uninstall", "--yes", "--quiet", "whizbang-schema-mysql")
    listed = json.loads(run(cli, "dialects", "--json").stdout)
    assert "mysql" not in {d["name"] for d in listed["dialects"]}
    assert {d["name"] for d in listed["dialects"]} == {"postgres", "sqlite", "sqlserver"}
    gone = run(cli, "render", "--dialect", "mysql", check=False)
    assert gone.returncode == 2
    assert "unknown dialect 'mysql'" in gone.stderr
