"""The README's promises: its commands are the ones CI runs, its examples run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block, "the README opens with a sh block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_two_commands() -> None:
    commands = shell_commands()
    assert len(commands) == 2
    assert README.index("```sh") < README.index("## ")  # before any section
    assert commands[0].endswith("whizbang-schema apply")


def test_ci_runs_the_readmes_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = shell_commands()[1]
    assert test_command in ci.splitlines()
    assert "services.sh" in ci


def test_quickstart_runs(tmp_path: Path) -> None:
    block = re.search(r"## Quickstart\n\n```python\n(.*?)```", README, re.S)
    assert block
    out = subprocess.run(
        [sys.executable, "-c", block.group(1)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert out.returncode == 0, out.stderr
    assert "app_jobs" in out.stdout and "app_outbox" in out.stdout  # the nine too
    assert (tmp_path / "app.db").exists()


def test_override_example_in_readme_matches_the_tested_plugin() -> None:
    tested = (
        ROOT / "tests/plugins/wbtest-json-override/wbtest_json_override/__init__.py"
    ).read_text()
    body = re.search(r"# my_json_plugin.py.*?\n(.*?)```", README, re.S)
    assert body
    for line in body.group(1).strip().splitlines():
        if line.startswith(("@", "def", "    ")):
            assert line.strip() in tested, line
