"""A property of the command line: whatever the arguments, ``main`` ends with 0, 1 or 2.

``main(argv)`` is called in-process with junk and half-right arguments, in a scratch directory.
It must return (or exit through argparse with) 0, 1 or 2 and never let another exception out;
nothing it prints may be a traceback or an "internal error" (a bug's one line). Targets are
kept local and harmless: closed ports on 127.0.0.1, files in the scratch directory, and only
the definitions modules written here.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator

from hypothesis import event, given
from hypothesis import strategies as st

from whizbang_schema.cli import main

MODULES = {
    "zz_good": (
        "from whizbang_schema import ColumnDefinition, TableDefinition, WhizbangDataType as T\n"
        "TABLE = TableDefinition('t', [ColumnDefinition('id', T.UUID, primary_key=True)])\n"
        "MANY = [TABLE]\nNUMBER = 1\n"
    ),
    "zz_syntax": "x = (\n",
    "zz_exits": "raise SystemExit(4)\n",
    "zz_raises": "raise LookupError('at import')\n",
}
MODULE_NAMES = [*MODULES, *(f"{name}.py" for name in MODULES)]

#: Junk that is neither a path outside the scratch directory nor a connection string, and
#: does not hold the URLs' password ("secret", which must never be printed) itself: Hypothesis
#: draws text from the literals of the code under test too.
junk = (
    st.text(st.characters(codec="utf-8", exclude_characters="/=\x00"), max_size=12)
    | st.sampled_from(["", " ", "-", "--", "-x", "--json", "=", "\udcff", "é"])
).filter(lambda text: "secret" not in text)

values = {
    "--dialect": st.sampled_from(["sqlite", "postgres", "sqlserver", "mysql", "oracle"]) | junk,
    "--url": st.sampled_from(
        [
            "postgresql://postgres@127.0.0.1:1/x",
            "postgresql://u:secret@127.0.0.1:1/x",
            "postgresql://[::1",
            "mysql://root@127.0.0.1:1/x",
            "mysql://[::1",
            "mysql://",
            "mssql://sa@127.0.0.1:1/x",
            "mssql://",
            "oracle://x/y",
            "sqlite:///scratch.db",
            "sqlite://",
            "garbage",
            "://",
        ]
    )
    | junk,
    "--database": st.sampled_from(["scratch.db", "missing/dir/x.db", ".", "zz_good.py"]) | junk,
    "--prefix": junk,
    "--schema": junk,
    "--table": st.sampled_from(["outbox", "inbox", "t"]) | junk,
    "--definitions": st.builds(
        lambda module, attribute: f"{module}:{attribute}",
        st.sampled_from(MODULE_NAMES) | junk.map(lambda text: "zz_" + text),
        st.sampled_from(["TABLE", "MANY", "NUMBER", "MISSING"]) | junk,
    )
    | junk,
    "--option": st.sampled_from(["uuid=blob", "uuid=binary", "strict=yes", "strict=maybe", "x=1"])
    | junk,
    "-o": st.sampled_from(["out.sql", "missing/dir/out.sql", "."]) | junk,
}
SELECTION = ["--prefix", "--schema", "--table", "--definitions", "--option", "--verbatim-names"]
LIVE = ["--url", "--database", "--dialect", *SELECTION]
#: The options each command takes (others are tried too, now and then).
OPTIONS = {
    "render": ["--dialect", *SELECTION, "-o", "--json"],
    "apply": [*LIVE, "--dry-run", "--json"],
    "diff": [*LIVE, "--json"],
    "check": [*LIVE, "--json"],
    "migrate": [*LIVE, "--dry-run", "--json"],
    "tables": ["--definitions", "--json"],
    "dialects": ["--json"],
    "plugins": ["--json"],
}
#: Accepted by every command, before or after its name.
GLOBAL = ["--quiet", "--strict", "--json"]
EVERY_OPTION = sorted({option for options in OPTIONS.values() for option in options} | {*GLOBAL})


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    if draw(st.integers(0, 9)) == 0:
        command = draw(junk.filter(lambda text: not text.startswith("-")))
    else:
        command = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [command]
    if command == "render" and draw(st.integers(0, 9)):
        argv += ["--dialect", draw(values["--dialect"])]
    allowed = [*OPTIONS[command], *GLOBAL] if command in OPTIONS else EVERY_OPTION
    for _ in range(draw(st.integers(0, 4))):
        option = draw(st.sampled_from(EVERY_OPTION if draw(st.integers(0, 9)) == 0 else allowed))
        argv += [option] if option not in values else [option, draw(values[option])]
    return argv


@contextlib.contextmanager
def scratch() -> Iterator[None]:
    """A scratch working directory with the modules, undone afterwards: cwd, sys.path and
    sys.modules as they were."""
    before_cwd, before_path = os.getcwd(), list(sys.path)
    before_modules = set(sys.modules)
    with tempfile.TemporaryDirectory() as directory:
        for name, text in MODULES.items():
            with open(os.path.join(directory, f"{name}.py"), "w") as file:
                file.write(text)
        os.chdir(directory)
        try:
            yield
        finally:
            os.chdir(before_cwd)
            sys.path[:] = before_path
            for name in set(sys.modules) - before_modules:
                if name.startswith("zz_"):
                    del sys.modules[name]


@given(argvs())
def test_main_ends_with_0_1_or_2_and_never_a_traceback(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with scratch(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code: object = main(argv)
        except SystemExit as exc:  # argparse: usage errors (2), --help and --version (0)
            code = exc.code
    printed = err.getvalue()
    event(f"exit {code}")  # --hypothesis-show-statistics shows how the outcomes spread
    assert code in (0, 1, 2), (argv, code, printed)
    assert "Traceback" not in printed + out.getvalue(), (argv, printed)
    assert "internal error" not in printed, (argv, printed)
    if code == 2:
        assert ": error: " in printed, (argv, printed)
    assert "secret" not in printed + out.getvalue(), (argv, printed)
    flags = argv[: argv.index("--")] if "--" in argv else argv
    if "--json" in flags and (code != 0 or out.getvalue()):
        # --json: one JSON object on stdout, an error included (so that jq -e fails on it)
        assert json.loads(out.getvalue())["format"] == 1, (argv, out.getvalue())
