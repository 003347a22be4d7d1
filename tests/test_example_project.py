"""An application's test suite (tests/example_project) using the pytest plugin's fixtures,
run as its own pytest with xdist (-n 2) on PostgreSQL, SQLite and MariaDB at once: every test
starts from the definitions and no rows although the tests before it on its worker committed
rows and created tables, databases are reused where that is safe, and none is left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).parent / "example_project"


def test_the_example_project_passes_on_every_engine_with_xdist(
    tmp_path: Path,
    postgres_server_url: str,
    postgres_admin: Any,
    mariadb_server_url: str,
    mariadb_admin: Any,
) -> None:
    urls = {
        "postgres": postgres_server_url,
        "sqlite": "sqlite://",
        "mariadb": mariadb_server_url,
    }
    runs = {}
    for engine, url in urls.items():
        log = tmp_path / f"{engine}.jsonl"
        # An outer xdist worker's variables would name the inner run's workers wrongly.
        outer = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
        environment = {
            **outer,
            "WHIZBANG_DATABASE_URL": url,
            "EXAMPLE_LOG": str(log),
            "TMPDIR": str(tmp_path),  # where sqlite:// puts its files
            "PYTHONPATH": str(EXAMPLE),
            # Only the plugins it names (the -p way in; also seconds less start-up per worker).
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        }
        command = [
            *(sys.executable, "-m", "pytest", "-q", "-W", "ignore::Warning"),
            *("-n", "2", "-p", "xdist", "-p", "whizbang_schema.testing.databases"),
        ]
        runs[engine] = (
            subprocess.Popen(
                command,
                cwd=EXAMPLE,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            ),
            log,
        )
    made: dict[str, set[str]] = {}
    for engine, (process, log) in runs.items():
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, f"{engine}:\n{output}"
        assert "10 passed" in output, f"{engine}:\n{output}"
        entries = [json.loads(line) for line in log.read_text().splitlines()]
        assert len(entries) == 10
        made[engine] = {e["url"].rsplit("/", 1)[1] for e in entries}
        workers = {name.split("_")[2] for name in made[engine]}
        assert workers == {"gw0", "gw1"}, engine  # one template per xdist worker
        if engine == "postgres":  # an unchanged schema: emptied and handed on
            assert any(e["reused"] for e in entries)
        else:  # no fingerprint: a new copy for every test
            assert not any(e["reused"] for e in entries)
            assert len(made[engine]) == 10

    # Dropped at the end of each session, templates too (named like the others, _template).
    templates = {name.rsplit("_", 1)[0] + "_template" for name in made["postgres"]}
    leftovers = postgres_admin.execute(
        "SELECT datname FROM pg_database WHERE datname = ANY(%s)",
        (sorted(made["postgres"] | templates),),
    ).fetchall()
    assert leftovers == []
    for name in made["mariadb"]:
        assert mariadb_admin.query("SHOW DATABASES LIKE %s", (name,)) == []
    assert list(tmp_path.glob("*.sqlite3")) == []
