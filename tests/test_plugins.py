"""Plugins installed for real with pip: overrides, third-party dialects and broken plugins.

Each test package under ``tests/plugins`` is installed with pip into its own directory, which
the child process puts on its path; the entry points are then found exactly as for any
installed distribution, without touching the test environment itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from whizbang_schema import (
    Capabilities,
    DialectConflictError,
    DialectInfo,
    DialectNotFoundError,
    PluginError,
    PluginRegistry,
    TableDefinition,
    get_dialect,
    hookimpl,
)
from whizbang_schema.tables import OUTBOX

PLUGINS = Path(__file__).parent / "plugins"

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Install a test plugin with pip (once per session); return its directory."""
    done: dict[str, Path] = {}

    def install(name: str) -> Path:
        if name not in done:
            target = tmp_path_factory.mktemp(name)
            # pip builds a local project in its own directory (setuptools' build/ and
            # egg-info), so two xdist workers installing the same plugin at once share those
            # files (a likely cause of a rare run where the installed override was not seen).
            # Each installs from a copy of its own.
            source = tmp_path_factory.mktemp(f"{name}-source") / name
            shutil.copytree(PLUGINS / name, source)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--no-deps",
                    "--no-build-isolation",
                    "--disable-pip-version-check",
                    "--target",
                    str(target),
                    str(source),
                ],
                check=True,
                capture_output=True,
            )
            done[name] = target
        return done[name]

    return install


@pytest.fixture
def with_plugins(installed: Callable[[str], Path]) -> Callable[..., Runner]:
    """A runner of ``python -m whizbang_schema ...`` or ``python -c`` with plugins installed."""

    def make(*names: str) -> Runner:
        path = os.pathsep.join(str(installed(n)) for n in names)
        env = {**os.environ, "PYTHONPATH": path}

        def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
            command = (
                [sys.executable, "-c", code]
                if code
                else [sys.executable, "-m", "whizbang_schema", *args]
            )
            return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

        return run

    return make


def test_an_installed_override_changes_one_decision(with_plugins: Callable[..., Runner]) -> None:
    run = with_plugins("wbtest-json-override")
    out = run("render", "--dialect", "postgres", "--table", "outbox")
    assert out.returncode == 0, out.stderr
    assert "event_data JSON NOT NULL" in out.stdout
    assert "JSONB" not in out.stdout
    assert "message_id UUID NOT NULL" in out.stdout  # the rest is untouched
    other = run("render", "--dialect", "sqlite", "--table", "outbox")
    assert "event_data TEXT NOT NULL" in other.stdout  # only postgres is overridden
    listed = json.loads(run("plugins", "--json").stdout)
    override = next(p for p in listed["plugins"] if p["distribution"] == "wbtest-json-override")
    assert override["version"] == "1.2.0"
    assert override["hooks"] == ["whizbang_schema_render_type"]


def test_without_the_override_postgres_uses_jsonb() -> None:
    assert "event_data JSONB NOT NULL" in get_dialect("postgres").render(OUTBOX)


def test_the_override_applies_through_the_library_api_too(
    with_plugins: Callable[..., Runner],
) -> None:
    code = (
        "from whizbang_schema import get_dialect; from whizbang_schema.tables import OUTBOX;"
        "print(get_dialect('postgres').generate_create_table(OUTBOX))"
    )
    out = with_plugins("wbtest-json-override")(code=code)
    assert "metadata JSON NOT NULL" in out.stdout, out.stderr


def test_a_third_party_dialect_in_a_few_lines(with_plugins: Callable[..., Runner]) -> None:
    run = with_plugins("wbtest-toy-dialect")
    listed = json.loads(run("dialects", "--json").stdout)
    toy = next(d for d in listed["dialects"] if d["name"] == "toy")
    assert (toy["distribution"], toy["version"]) == ("wbtest-toy-dialect", "0.9.0")
    out = run("render", "--dialect", "toy", "--table", "message_deduplication")
    assert out.returncode == 0, out.stderr
    assert "first_seen_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP" in out.stdout
    # generic SQL from the core: IF NOT EXISTS, named key, prefixed index
    assert "CONSTRAINT wh_message_deduplication_pkey PRIMARY KEY (message_id)" in out.stdout
    partial = run("render", "--dialect", "toy", "--table", "outbox")
    assert partial.returncode == 0
    assert "WHERE" not in partial.stdout  # no partial indexes: full indexes...
    assert "warning" in partial.stderr and "without its predicate" in partial.stderr  # ...said so


def test_a_plugin_that_fails_to_import_is_reported_and_the_rest_work(
    with_plugins: Callable[..., Runner],
) -> None:
    run = with_plugins("wbtest-broken")
    listed = run("dialects", "--json")
    assert listed.returncode == 0, listed.stderr
    payload = json.loads(listed.stdout)
    assert {d["name"] for d in payload["dialects"]} >= {"postgres", "sqlite", "sqlserver"}
    (failure,) = payload["failures"]
    assert failure["distribution"] == "wbtest-broken" and failure["version"] == "0.0.1"
    assert failure["kind"] == "import"
    assert "RuntimeError: this plugin is broken on purpose" in failure["error"]
    out = run("render", "--dialect", "sqlite", "--table", "sequences")
    assert out.returncode == 0
    assert "CREATE TABLE IF NOT EXISTS wh_sequences" in out.stdout
    assert (
        "warning: plugin 'wbtest-broken:broken' from wbtest-broken 0.0.1 failed to import"
        in out.stderr
    )
    human = run("dialects")
    assert "failed: plugin 'wbtest-broken:broken'" in human.stdout


def test_two_plugins_claiming_one_dialect_is_an_error_naming_both(
    with_plugins: Callable[..., Runner],
) -> None:
    out = with_plugins("wbtest-conflict")("render", "--dialect", "postgres")
    assert out.returncode == 2
    assert "dialect 'sqlite' is provided by two distributions" in out.stderr
    assert "whizbang-schema" in out.stderr and "wbtest-conflict 3.0.0" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_misspelt_hook_fails_loudly(with_plugins: Callable[..., Runner]) -> None:
    run = with_plugins("wbtest-misspelt")
    out = run("render", "--dialect", "postgres")
    assert out.returncode == 2
    assert "unknown hook 'whizbang_schema_render_tpye'" in out.stderr
    assert "did you mean 'whizbang_schema_render_type'" in out.stderr
    assert "wbtest-misspelt" in out.stderr and "Traceback" not in out.stderr
    listed = run("dialects")
    assert listed.returncode == 0 and "is invalid: unknown hook" in listed.stdout


def test_an_unknown_dialect_lists_the_available_ones() -> None:
    with pytest.raises(
        DialectNotFoundError, match=r"available dialects: .*postgres, sqlite, sqlserver"
    ):
        get_dialect("oracle")


# -- the registry's semantics, with plugins registered in-process ---------------------------


class _Toy:
    @hookimpl
    def whizbang_schema_dialects(self) -> list[DialectInfo]:
        return [
            DialectInfo("toy", "toy", Capabilities(partial_indexes=True, transactional_ddl=True))
        ]

    @hookimpl
    def whizbang_schema_render_type(self, dialect: str) -> str | None:
        return "T" if dialect == "toy" else None

    @hookimpl
    def whizbang_schema_render_default(self, dialect: str) -> str | None:
        return None


def test_registering_a_plugin_takes_effect_on_dialects_already_in_hand() -> None:
    registry = PluginRegistry(load_entry_points=False)
    registry.register(_Toy(), name="toy")
    toy = get_dialect("toy", registry=registry)
    table = TableDefinition("t", OUTBOX.columns[:2])
    before = toy.render(table)
    assert "message_id T NOT NULL" in before

    class Override:
        @hookimpl(tryfirst=True)
        def whizbang_schema_render_type(self, dialect: str) -> str | None:
            return "U" if dialect == "toy" else None

    name = registry.register(Override())
    assert "message_id U NOT NULL" in toy.render(table)  # caches follow the plugin set
    registry.unregister(name)
    assert toy.render(table) == before


def test_registering_a_malformed_plugin_raises() -> None:
    registry = PluginRegistry(load_entry_points=False)

    class Misspelt:
        @hookimpl
        def whizbang_schema_render_tpye(self) -> None: ...

    class WrongArgument:
        @hookimpl
        def whizbang_schema_render_type(self, dialect: str, colum: object) -> None: ...

    with pytest.raises(PluginError, match="did you mean 'whizbang_schema_render_type'"):
        registry.register(Misspelt())
    with pytest.raises(PluginError, match="colum"):
        registry.register(WrongArgument())
    with pytest.raises(PluginError, match="implements no whizbang_schema hooks"):
        registry.register(object())


def test_conflicts_raise_in_process_too() -> None:
    registry = PluginRegistry(load_entry_points=False)
    registry.register(_Toy(), name="a", distribution="dist-a", version="1")
    registry.register(_Toy(), name="b", distribution="dist-b", version="2")
    with pytest.raises(DialectConflictError, match="dist-a 1 and dist-b 2"):
        registry.dialects()


def test_threads_asking_a_new_registry_at_once_all_see_every_dialect() -> None:
    """The entry points load once, and no thread sees the registry half loaded (six
    threads applying at once were told no dialect handles mysql://)."""
    import threading

    from whizbang_schema.plugins.registry import PluginRegistry

    for _ in range(5):
        registry = PluginRegistry()
        start = threading.Barrier(8)
        seen: list[object] = []

        def ask(
            registry: PluginRegistry = registry,
            start: threading.Barrier = start,
            seen: list[object] = seen,
        ) -> None:
            start.wait()
            try:
                seen.append(sorted(registry.dialects()))
            except Exception as exc:  # collected: an assertion in a thread would be lost
                seen.append(exc)

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen == [["mysql", "postgres", "sqlite", "sqlserver"]] * 8


class _Deferring:
    """An override plugin that answers nothing: its coming and going only changes the set."""

    @hookimpl(tryfirst=True)
    def whizbang_schema_render_type(self, dialect: str, column: object) -> None:
        return None


def test_threads_rendering_while_plugins_come_and_go_never_fail() -> None:
    """Renders in other threads read the plugin set (once per change of it) while one thread
    registers and removes plugins; pluggy's manager is not safe to read while it changes
    (RuntimeError: dictionary changed size during iteration). The interpreter is made to
    switch threads as often as it can."""
    import threading

    registry = PluginRegistry()
    postgres = get_dialect("postgres", registry=registry)
    expected = postgres.render(OUTBOX)
    stop = threading.Event()
    failures: list[object] = []

    def read() -> None:
        try:
            while not stop.is_set():
                registry.decisions_for(postgres)
                registry.dialects()
                if postgres.render(OUTBOX) != expected:  # the plugin changes no answer
                    failures.append("another script")
        except Exception as exc:  # collected: an assertion in a thread would be lost
            failures.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    threads = [threading.Thread(target=read) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for _ in range(100):
            names = [registry.register(_Deferring()) for _ in range(5)]
            for name in names:
                registry.unregister(name)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        sys.setswitchinterval(interval)
    assert failures == []
