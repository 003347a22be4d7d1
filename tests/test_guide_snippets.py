"""Every ```python block of the dialect guide and of the README runs as written.

The blocks of one document run in order in one namespace (later steps build on earlier ones),
in a child process of their own (they register dialects in the process-wide registry), in an
empty working directory (they create SQLite files). Each block is compiled under the
document's name and line numbers, so a failure points at the guide's own line. A fragment that
cannot run on its own is marked ```` ```python no-run ```` and is the exception: the tests hold
how many there are. Where a block is followed directly by a ```` ```sql ```` block, that block
is its output, and must be exactly what the code prints.

The guide's live snippets use the real servers: SQLite files here, and a fresh PostgreSQL
database named by ``WHIZBANG_GUIDE_PGJSON_URL``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "writing-a-dialect.md"
README = ROOT / "README.md"

_FENCE = re.compile(r"^(`{3,})(.*)$")


@attrs.frozen
class Block:
    """A fenced code block: its info string's words, its first line of code (1-based), its
    text, and the block that follows it with nothing but blank lines between (its output)."""

    info: tuple[str, ...]
    line: int
    code: str
    output: Block | None = None

    @property
    def runnable(self) -> bool:
        return self.info[:1] == ("python",) and "no-run" not in self.info


def blocks(path: Path) -> list[Block]:
    """The document's fenced blocks, each with the block right after it."""
    found: list[tuple[tuple[str, ...], int, int, str]] = []  # info, start, end, code
    lines = path.read_text(encoding="utf-8").splitlines()
    position = 0
    while position < len(lines):
        opening = _FENCE.match(lines[position])
        if opening is None:
            position += 1
            continue
        fence, info = opening.group(1), tuple(opening.group(2).split())
        end = position + 1
        while end < len(lines) and lines[end].rstrip() != fence:
            end += 1
        assert end < len(lines), f"{path.name}:{position + 1}: unclosed code block"
        found.append((info, position + 2, end + 1, "\n".join(lines[position + 1 : end]) + "\n"))
        position = end + 1
    result: list[Block] = []
    for index in reversed(range(len(found))):
        info, start, end, code = found[index]
        follower = None
        if index + 1 < len(found) and result:
            gap = lines[end : found[index + 1][1] - 2]
            if all(not line.strip() for line in gap):
                follower = result[0]
        result.insert(0, Block(info, start, code, follower))
    return result


#: Runs blocks in order in one namespace; prints a JSON line per block with what it printed.
DRIVER = r"""
import contextlib, io, json, sys
document, blocks = sys.argv[1], json.load(open(sys.argv[2]))
namespace = {"__name__": "__guide__"}
for line, code in blocks:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile("\n" * (line - 1) + code, document, "exec"), namespace)
    print(json.dumps({"line": line, "stdout": out.getvalue()}))
"""


def run_document(path: Path, tmp_path: Path, env: dict[str, str] | None = None) -> dict[int, str]:
    """Run the document's runnable blocks; return what each printed, by its first line."""
    runnable = [(b.line, b.code) for b in blocks(path) if b.runnable]
    listing = tmp_path / "blocks.json"
    listing.write_text(json.dumps(runnable))
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(path), str(listing)],
        cwd=work,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"a snippet of {path.name} failed:\n{done.stderr}"
    printed = {}
    for line in done.stdout.splitlines():
        record = json.loads(line)
        printed[record["line"]] = record["stdout"]
    assert len(printed) == len(runnable)
    return printed


def test_the_guide_marks_its_few_fragments_and_uses_no_unknown_info_strings() -> None:
    found = blocks(GUIDE)
    python = [b for b in found if b.info[:1] == ("python",)]
    assert len([b for b in python if b.runnable]) >= 10
    assert len([b for b in python if not b.runnable]) <= 2
    assert {b.info for b in python} <= {("python",), ("python", "no-run")}
    # every language named is one a reader's renderer knows; a bare fence is a file tree
    assert {b.info[0] for b in found if b.info} <= {"python", "sql", "toml", "sh"}


def test_every_guide_snippet_runs_as_written(tmp_path: Path, postgres_url: str) -> None:
    pgjson_url = "pgjson://" + postgres_url.partition("://")[2]
    printed = run_document(GUIDE, tmp_path, {"WHIZBANG_GUIDE_PGJSON_URL": pgjson_url})
    shown = [b for b in blocks(GUIDE) if b.runnable and b.output and b.output.info == ("sql",)]
    assert shown, "the guide shows the output of its first dialect"
    for block in shown:
        assert block.output is not None
        assert printed[block.line].rstrip("\n") == block.output.code.rstrip("\n"), (
            f"{GUIDE.name}:{block.output.line}: the output shown is not what the code prints"
        )


def test_every_readme_snippet_runs_as_written(tmp_path: Path) -> None:
    assert any(b.runnable for b in blocks(README))
    run_document(README, tmp_path)
