"""RESULTS.md: the measurements as Markdown tables, with the machine, versions and date."""

from __future__ import annotations

import datetime
import os
import subprocess
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from timing import machine, ms, ratio, us

_HERE = os.path.dirname(os.path.abspath(__file__))


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=_HERE,
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=_HERE,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def environment(*, quick: bool) -> dict[str, Any]:
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": [
            ("whizbang-schema", f"{_version('whizbang-schema')} (commit {_commit()})"),
            ("SQLAlchemy", _version("SQLAlchemy")),
            ("pluggy", _version("pluggy")),
            ("attrs", _version("attrs")),
            ("psycopg", _version("psycopg")),
        ],
        "quick": quick,
    }


def markdown(env: dict[str, Any], results: dict[str, Any]) -> str:
    lines = ["# whizbang-schema against SQLAlchemy Core", ""]
    if env["quick"]:
        lines += ["**Quick smoke run (`--quick`): small sizes, few repeats; not for quoting.**", ""]
    lines += [
        "Written by `python benchmarks/run.py` (or `nox -s benchmarks`); every figure below comes "
        "from one run, both libraries measured side by side on the same machine, interleaved.",
        "",
        "| | |",
        "|---|---|",
        f"| date | {env['date']} |",
    ]
    lines += [f"| {key} | {value} |" for key, value in env["machine"]]
    versions = list(env["versions"])
    apply = results.get("apply")
    if apply and "postgres_version" in apply:
        versions.append(("PostgreSQL", apply["postgres_version"]))
    lines += [f"| {key} | {value} |" for key, value in versions]
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    lines += [f"| load average at end | {load} |", ""]
    lines += [
        "Noise: the machine is small and shared (other jobs run tests on the same cores), so "
        "single samples jump around. Every figure is a median, the contenders are interleaved "
        "so that a busy moment slows all of them, and the ratios (measured side by side) are "
        "steadier than the absolute times. Expect a few percent of run-to-run variation in "
        "ratios and more in absolute times.",
        "",
    ]
    targets = _targets(results)
    if targets:
        lines += [
            "## Targets (issues 7, 12 and 18)",
            "",
            "| target | measured | met |",
            "|---|---|---|",
        ]
        lines += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in targets]
        lines.append("")
    for key, render in (
        ("render", _render),
        ("schema", _schema),
        ("startup", _startup),
        ("apply", _apply),
        ("introspect", _introspect),
        ("testdb", _testdb),
    ):
        if key in results:
            lines += render(results[key])
    return "\n".join(lines).rstrip() + "\n"


def _targets(results: dict[str, Any]) -> list[tuple[str, str, bool]]:
    out = []
    for row in results.get("render", []):
        for key, label, wanted in (
            ("warm", "warm (cached), issue 7", 10),
            ("new", "a table no cache has seen (new table), issue 12", 5),
            ("cold", "cold (caches emptied), issue 12", 5),
        ):
            factor = row["sqlalchemy"] / row[key]
            goal = "" if wanted == 10 else " (goal 10x)"
            out.append(
                (
                    f"outbox render on {row['dialect']}, {label}: at least {wanted}x "
                    f"SQLAlchemy{goal}",
                    f"{factor:.1f}x ({us(row[key])} µs against {us(row['sqlalchemy'])} µs)",
                    factor >= wanted,
                )
            )
    startup = results.get("startup")
    if startup:
        medians = startup["medians"]
        share = medians["whizbang-schema dialects"] / medians['python -c "import sqlalchemy"']
        out.append(
            (
                "`whizbang-schema dialects` at most half of `import sqlalchemy`",
                f"{share:.2f} of it ({ms(medians['whizbang-schema dialects'])} ms against "
                f"{ms(medians['python -c ' + chr(34) + 'import sqlalchemy' + chr(34)])} ms)",
                share <= 0.5,
            )
        )
    apply = results.get("apply")
    if apply and "medians" in apply:
        medians = apply["medians"]
        for ours, theirs in (
            ("process: whizbang-schema apply --url", "process: python -c create_all() script"),
            ("whizbang-schema apply --url", "create_engine + create_all()"),
            ("apply_statements, connection open", "create_all(), engine connected"),
        ):
            share = medians[ours] / medians[theirs]
            out.append(
                (
                    f"apply at most half of `create_all()`: {ours} / {theirs}",
                    f"{share:.2f} ({ms(medians[ours])} ms against {ms(medians[theirs])} ms)",
                    share <= 0.5,
                )
            )
    for engine, result in (results.get("testdb") or {}).items():
        if not isinstance(result, dict) or "medians" not in result:
            continue
        medians = result["medians"]
        theirs = medians[TESTDB_SQLALCHEMY]
        ours = medians["whizbang_database"]
        out.append(
            (
                f"a fresh {engine} database per test (whizbang_database) at most 0.2x "
                f"SQLAlchemy's new database + create_all(), issue 18",
                f"{ours / theirs:.2f}x ({ms(ours)} ms against {ms(theirs)} ms)",
                ours <= 0.2 * theirs,
            )
        )
    return out


TESTDB_SQLALCHEMY = "SQLAlchemy: new database + create_all()"


def _testdb(results: dict[str, Any]) -> list[str]:
    lines = ["## 6. A fresh database with the nine tables for every test (issue 18)", ""]
    if "skipped" in results:
        return [*lines, f"Skipped: {results['skipped']}", ""]
    lines += [
        "Per test, set-up plus tear-down (the test between them writes one row and commits, "
        "not timed); medians, the contenders taking turns test by test. See "
        "`bench_testdb.py` for what each does.",
        "",
    ]
    for engine, result in results.items():
        if "skipped" in result:
            lines += [f"{engine}: skipped: {result['skipped']}", ""]
            continue
        theirs = result["medians"][TESTDB_SQLALCHEMY]
        lines += [
            f"**{engine}**, {result['tests']} tests each; the plugin's one-off session cost "
            f"(template and first copy): {ms(result['session'])} ms.",
            "",
            "| per test | median | share of SQLAlchemy's |",
            "|---|--:|--:|",
        ]
        lines += [
            f"| {label} | {ms(value)} ms | {value / theirs:.2f} |"
            for label, value in result["medians"].items()
        ]
        lines.append("")
    return lines


def _render(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## 1. Rendering the outbox",
        "",
        "CREATE TABLE (18 columns) and its six CREATE INDEX statements; median microseconds "
        "per table. SQLAlchemy compiles `CreateTable` and one `CreateIndex` per index each "
        "time (it does not cache DDL). whizbang-schema four ways:",
        "",
        "- **warm**: the same `OUTBOX` object again: answered by the statement cache, keyed on "
        "the frozen definition and the plugin registry's generation;",
        "- **equal copy**: a new object equal to `OUTBOX` each time (definitions rebuilt): the "
        "cache still answers, by equality with the cached tables of the same name;",
        "- **new table** (*a table no cache has seen*): a copy of the outbox under a new name, "
        "never rendered, so no statement cache answers and every decision is asked for it; the "
        "render context of the configuration (its settings and the names it has quoted) is in "
        "hand, as SQLAlchemy's dialect object keeps its quoted names "
        "(`IdentifierPreparer._strings`) from one compile to the next: what each further table "
        "costs;",
        "- **cold**: the same, after `clear_caches()` empties every render cache of the dialect "
        "(contexts, quoted names, tables) before each render: the context is rebuilt and every "
        "name is quoted afresh, which SQLAlchemy, whose quoted names stay cached, never pays. "
        "What survives is derived from the dialect and its plugins alone (the resolved "
        "decisions, the compiled bare-name pattern) or was computed when the definitions were "
        "built (parsed predicates, the primary key).",
        "",
        "| dialect | whizbang warm | whizbang equal copy | whizbang new table | whizbang cold | "
        "SQLAlchemy | SQLAlchemy / warm | SQLAlchemy / new table | SQLAlchemy / cold |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['dialect']} | {us(row['warm'])} µs | {us(row['equal'])} µs | "
            f"{us(row['new'])} µs | {us(row['cold'])} µs | {us(row['sqlalchemy'])} µs | "
            f"{ratio(row['sqlalchemy'], row['warm'])} | {ratio(row['sqlalchemy'], row['new'])} | "
            f"{ratio(row['sqlalchemy'], row['cold'])} |"
        )
    return [*lines, ""]


def _schema(result: dict[str, Any]) -> list[str]:
    small, large = result["sizes"]
    lines = [
        f"## 2. A synthetic schema of {large:,} tables",
        "",
        f"`benchmarks/synthetic.py` (fixed seed): on average 16 columns and 2.4 indexes a table, "
        f"every type, defaults of every kind, composite keys, unique constraints, partial "
        f"indexes, reserved words. Cold throughout (new tables, caches emptied); median of "
        f"{result['repeats']} run(s), the garbage collector on. Peak memory: tracemalloc, "
        f"separate run, everything the render allocates and keeps (output, and "
        f"whizbang-schema's caches).",
        "",
        "| dialect | tables | statements | whizbang-schema | SQLAlchemy | ratio | "
        "whizbang µs/table | SQLAlchemy µs/table | whizbang peak | SQLAlchemy peak |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in result["rows"]:
        n = row["tables"]
        lines.append(
            f"| {row['dialect']} | {n:,} | {row['statements']:,} | {ms(row['whizbang'])} ms | "
            f"{ms(row['sqlalchemy'])} ms | {ratio(row['sqlalchemy'], row['whizbang'])} | "
            f"{us(row['whizbang'] / n)} | {us(row['sqlalchemy'] / n)} | "
            f"{row['whizbang_peak'] / 2**20:,.1f} MiB | {row['sqlalchemy_peak'] / 2**20:,.1f} MiB |"
        )
    lines += [
        "",
        f"Growth from {small:,} to {large:,} tables (linear is {large / small:.1f}x), from the "
        f"fastest of the runs of each size (load from other jobs only ever adds time, and the "
        f"two sizes ran minutes apart at most); time includes the garbage collector:",
        "",
        "| dialect | whizbang-schema time | SQLAlchemy time | whizbang-schema memory |",
        "|---|--:|--:|--:|",
    ]
    by = {(r["dialect"], r["tables"]): r for r in result["rows"]}
    for dialect in dict.fromkeys(r["dialect"] for r in result["rows"]):
        a, b = by[(dialect, small)], by[(dialect, large)]
        lines.append(
            f"| {dialect} | {b['whizbang_best'] / a['whizbang_best']:.1f}x | "
            f"{b['sqlalchemy_best'] / a['sqlalchemy_best']:.1f}x | "
            f"{b['whizbang_peak'] / a['whizbang_peak']:.1f}x |"
        )
    return [*lines, ""]


def _startup(result: dict[str, Any]) -> list[str]:
    medians = result["medians"]
    base = medians["python -c pass"]
    sa_import = medians['python -c "import sqlalchemy"']
    lines = [
        "## 3. Cold start",
        "",
        f"Whole processes, spawn to exit, output discarded; median of {result['runs']} runs "
        "each, round-robin after a warm-up round. Same interpreter and virtual environment "
        "for all.",
        "",
        "| command | median | minus `python -c pass` | / `import sqlalchemy` |",
        "|---|--:|--:|--:|",
    ]
    for label, value in medians.items():
        lines.append(
            f"| `{label}` | {ms(value)} ms | {ms(value - base)} ms | {value / sa_import:.2f} |"
        )
    return [*lines, ""]


def _apply(result: dict[str, Any]) -> list[str]:
    lines = ["## 4. Applying the nine tables to PostgreSQL", ""]
    if "skipped" in result:
        return [*lines, f"Skipped: {result['skipped']}", ""]
    medians = result["medians"]
    lines += [
        f"Fresh empty database for every run (created and dropped outside the timing); median "
        f"of {result['repeats']} runs each, interleaved. Both through psycopg 3 to PostgreSQL "
        f"{result['postgres_version']} on the same machine (TCP, 127.0.0.1). Both check what "
        f"exists first, so both are idempotent.",
        "",
        "| how | median |",
        "|---|--:|",
    ]
    lines += [f"| {label} | {ms(value)} ms |" for label, value in medians.items()]
    lines += [
        "",
        "Round trips for one apply of the nine tables (from nothing, connection included):",
        "",
        "| | counted by the library | on the wire (libpq trace) |",
        "|---|--:|--:|",
    ]
    for label, counts in result["round_trips"].items():
        lines.append(f"| {label} | {counts['library']} | {counts['wire']} |")
    lines += [
        "",
        "whizbang-schema's count includes the connection, BEGIN and COMMIT; SQLAlchemy's "
        "`before_cursor_execute` count does not see the connection, BEGIN, COMMIT or the "
        "rollback with which its pool resets a returned connection. The wire count treats "
        "both alike: one per ReadyForQuery, plus one for the connection start-up.",
        "",
    ]
    return lines


def _introspect(result: dict[str, Any]) -> list[str]:
    lines = ["## 5. Reading a PostgreSQL database back (issue 6)", ""]
    if "skipped" in result:
        return [*lines, f"Skipped: {result['skipped']}", ""]
    lines += [
        f"The synthetic schema applied to one scratch database under two prefixes; each side "
        f"reads one prefix's tables back (median of {result['repeats']} runs): whizbang-schema's "
        f"`read_schema` (what `diff`, `check` and `migrate` use) against SQLAlchemy's "
        f"`MetaData.reflect(only=...)`.",
        "",
        "| tables | whizbang-schema | queries | SQLAlchemy reflect | queries | ratio |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for tables, row in result["rows"].items():
        lines.append(
            f"| {tables} | {ms(row['whizbang'])} ms | {row['whizbang_queries']} | "
            f"{ms(row['sqlalchemy'])} ms | {row['sqlalchemy_queries']} | "
            f"{ratio(row['sqlalchemy'], row['whizbang'])} |"
        )
    return [*lines, ""]
