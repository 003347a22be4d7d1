"""The installed command under bad input: one clear line on stderr and the documented exit code.

Exit codes (README, "Command reference"): 0 done, 1 the answer is "no", 2 trouble of any
kind (bad usage or input included), 130 interrupted. Never a traceback, never the word "Traceback". Each case runs the real console
script in a fresh directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "whizbang-schema"

MODULES = {
    "syntax_error.py": "x = (\n",
    "exits.py": "raise SystemExit(3)\n",
    "exits_with_text.py": "import sys\nsys.exit('bye')\n",
    "odd_base_exception.py": "class Odd(BaseException):\n    pass\nraise Odd('odd')\n",
    "not_utf8.py": b"\xff\xfe = 1\n",
    "values.py": textwrap.dedent(
        """
        from whizbang_schema import ColumnDefinition, TableDefinition, WhizbangDataType as T

        GOOD = TableDefinition("good", [ColumnDefinition("id", T.UUID, primary_key=True)])
        NUMBER = 42
        MIXED = [GOOD, "not a table"]
        NOTHING = None


        class Exploding:
            def __iter__(self):
                raise RuntimeError("iteration failed")


        EXPLODING = Exploding()


        def __getattr__(name):
            if name == "LAZY":
                raise RuntimeError("lazy attribute failed")
            raise AttributeError(name)
        """
    ),
    "bad_table.py": textwrap.dedent(
        """
        from whizbang_schema import ColumnDefinition, TableDefinition, WhizbangDataType as T

        BAD = TableDefinition("t", [ColumnDefinition("id", T.UUID, primary_key=True, nullable=True)])
        """
    ),
}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    for name, text in MODULES.items():
        if isinstance(text, bytes):
            (tmp_path / name).write_bytes(text)
        else:
            (tmp_path / name).write_text(text)
    (tmp_path / "a_directory.py").mkdir()
    (tmp_path / "a_directory.db").mkdir()
    (tmp_path / "not_a_database.db").write_text("plain text, not SQLite " * 100)
    return tmp_path


def run(
    workdir: Path, *args: str, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), str(SCRIPT), *args],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(workdir)},
        capture_output=True,
        text=True,
        timeout=120,
    )


RENDER = ["render", "--dialect", "sqlite"]

# (arguments, exit code, text the one line must contain)
CASES: list[tuple[list[str], int, str]] = [
    # files that are missing, unreadable or not what they should be
    ([*RENDER, "--definitions", "missing.py:X"], 2, "does not exist"),
    ([*RENDER, "--definitions", "a_directory.py:X"], 2, "'a_directory.py' is not a file"),
    ([*RENDER, "--definitions", "not_utf8.py:X"], 2, "SyntaxError"),
    ([*RENDER, "--definitions", "not_utf8:X"], 2, "SyntaxError"),
    ([*RENDER, "-o", "a_directory.py"], 2, "cannot write 'a_directory.py'"),
    ([*RENDER, "-o", "no/such/dir/out.sql"], 2, "cannot write"),
    (["apply", "--database", "a_directory.db"], 2, "is a directory"),
    (["apply", "--database", "not_a_database.db"], 2, "file is not a database"),
    (["apply", "--database", "no/such/dir/x.db"], 2, "does not exist"),
    (["diff", "--database", "not_a_database.db"], 2, "file is not a database"),
    # modules that fail on import
    ([*RENDER, "--definitions", "syntax_error:X"], 2, "SyntaxError"),
    ([*RENDER, "--definitions", "syntax_error.py:X"], 2, "SyntaxError"),
    ([*RENDER, "--definitions", "exits:X"], 2, "SystemExit: 3"),
    ([*RENDER, "--definitions", "exits_with_text:X"], 2, "SystemExit: bye"),
    ([*RENDER, "--definitions", "odd_base_exception:X"], 2, "Odd: odd"),
    ([*RENDER, "--definitions", "no_such_module:X"], 2, "no such module"),
    ([*RENDER, "--definitions", ".relative:X"], 2, "importing '.relative' failed"),
    # attributes that are not definitions
    ([*RENDER, "--definitions", "values:NUMBER"], 2, "is a int, not a TableDefinition"),
    ([*RENDER, "--definitions", "values:MIXED"], 2, "is a list, not a TableDefinition"),
    ([*RENDER, "--definitions", "values:NOTHING"], 2, "is a NoneType"),
    ([*RENDER, "--definitions", "values:EXPLODING"], 2, "RuntimeError: iteration failed"),
    ([*RENDER, "--definitions", "values:LAZY"], 2, "RuntimeError: lazy attribute failed"),
    ([*RENDER, "--definitions", "values:MISSING"], 2, "has no attribute 'MISSING'"),
    ([*RENDER, "--definitions", "bad_table:BAD"], 2, "field 'nullable'"),
    ([*RENDER, "--definitions", "values"], 2, "--definitions takes MODULE:ATTRIBUTE"),
    # URLs: unknown scheme, garbage, missing parts, servers that do not answer
    (["apply", "--url", "oracle://scott@db/orcl"], 2, "no installed dialect handles"),
    (["apply", "--url", "garbage"], 2, "--url takes a URL"),
    (["apply", "--url", "://nothing"], 2, "--url takes a URL"),
    (["diff", "--url", "not a url"], 2, "--url takes a URL"),
    (["apply", "--url", "mysql://"], 2, "a MySQL URL is"),
    (["apply", "--url", "mssql://"], 2, "a SQL Server URL is"),
    (["apply", "--url", "sqlite://x"], 2, "a SQLite URL is"),
    (["apply", "--url", "mysql://root@[::1/x"], 2, "is not a valid URL"),
    (["apply", "--url", "mssql://sa@[::1/x"], 2, "is not a valid URL"),
    (["apply", "--url", "postgresql://[::1"], 2, "cannot connect to PostgreSQL"),
    (["apply", "--url", "postgresql://postgres@127.0.0.1:1/x"], 2, "cannot connect to PostgreSQL"),
    (["apply", "--url", "mysql://root@127.0.0.1:1/x"], 2, "cannot connect to MySQL"),
    (["check", "--url", "mysql://root@127.0.0.1:1/x"], 2, "cannot connect to MySQL"),
    (["migrate", "--url", "postgresql://postgres@127.0.0.1:1/x"], 2, "cannot connect"),
    (["apply", "--url", "postgresql://postgres@127.0.0.1:99999/x"], 2, "invalid port"),
    (["apply", "--url", "mysql://root@127.0.0.1:port/x"], 2, "cannot connect to MySQL"),
    # dialects and options
    (["render", "--dialect", "oracle"], 2, "unknown dialect 'oracle'"),
    (["apply", "--dialect", "oracle"], 2, "unknown dialect 'oracle'"),
    ([*RENDER, "--option", "uuid"], 2, "--option takes KEY=VALUE"),
    ([*RENDER, "--option", "=blob"], 2, "--option takes KEY=VALUE"),
    ([*RENDER, "--option", "colour=red"], 2, "has no option 'colour'"),
    ([*RENDER, "--option", "uuid=binary"], 2, "must be one of text, blob"),
    ([*RENDER, "--option", "strict=perhaps"], 2, "is true or false"),
    ([*RENDER, "--prefix", " p"], 2, "field 'prefix'"),
    ([*RENDER, "--schema", ""], 2, "field 'schema'"),
    ([*RENDER, "--table", "nope"], 2, "no table named 'nope'"),
]


@pytest.mark.parametrize(
    ("args", "code", "says"), CASES, ids=[" ".join(args) for args, _, _ in CASES]
)
def test_bad_input_gives_one_clear_line_and_the_documented_code(
    workdir: Path, args: list[str], code: int, says: str
) -> None:
    out = run(workdir, *args)
    assert out.returncode == code, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr + out.stdout
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("whizbang-schema: error: "), lines[0]
    assert says in lines[0], lines[0]
    assert "internal error" not in lines[0]


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], ["render"], ["apply", "--database", "a", "--url", "b://"], ["--bogus"]],
    ids=["unknown command", "missing --dialect", "exclusive flags", "unknown flag"],
)
def test_argparse_usage_errors_exit_2_with_usage_and_one_error_line(
    workdir: Path, args: list[str]
) -> None:
    out = run(workdir, *args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("usage: ")
    last = out.stderr.splitlines()[-1]
    assert last.startswith("whizbang-schema") and ": error: " in last, last


def test_failed_apply_leaves_no_database_file_and_no_warnings(workdir: Path) -> None:
    # The degraded-index warnings of a rendering that then fails are not printed: one line.
    out = run(workdir, "apply", "--option", "uuid=binary")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1, out.stderr
    assert not (workdir / "whizbang.db").exists()
    out = run(workdir, "apply", "--url", "mysql://root@127.0.0.1:1/x")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1, out.stderr


def test_interrupt_while_importing_exits_130_with_one_line(workdir: Path) -> None:
    (workdir / "interrupts.py").write_text("raise KeyboardInterrupt\n")
    out = run(workdir, *RENDER, "--definitions", "interrupts:X")
    assert out.returncode == 130
    assert out.stderr == "whizbang-schema: interrupted\n"


# Root reads a file whatever its mode. Dropping the two capabilities that let it do so from
# the child's bounding set (util-linux's setpriv, on every Debian) makes a mode-000 file as
# unreadable for it as for anyone else, so the test runs, and can fail, under root too.
WITHOUT_OVERRIDE = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([*RENDER, "--definitions", "locked.py:X"], "PermissionError"),
        (["apply", "--database", "locked.db"], "unable to open database file"),
        ([*RENDER, "-o", "locked.sql"], "cannot write 'locked.sql': Permission denied"),
    ],
    ids=["definitions", "database", "output"],
)
def test_files_without_permission(workdir: Path, args: list[str], says: str) -> None:
    for name in ("locked.py", "locked.db", "locked.sql"):
        (workdir / name).write_text("X = 1\n")
        (workdir / name).chmod(0)
    out = run(workdir, *args, prefix=WITHOUT_OVERRIDE)
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1, out.stderr
    assert says in out.stderr and "Traceback" not in out.stderr
