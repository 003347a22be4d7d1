"""Progress of a long live command on a terminal: ``[12/801] create_index wh_idx_outbox_x``.

Shown on stderr, rewritten in place, only when stderr is a terminal, only once the command has
run for about a second (a quick run stays quiet), and never with ``--quiet``: a pipe or a log
file gets nothing extra.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from ..render.statements import Statement

DELAY = 1.0  # seconds before the first progress line


class TerminalProgress:
    """A progress callback for :func:`~whizbang_schema.apply_schema` and ``migrate_schema``."""

    def __init__(self, stream: TextIO, *, delay: float = DELAY) -> None:
        self._stream = stream
        self._start = time.monotonic()
        self._delay = delay
        self._shown = False

    def __call__(self, done: int, total: int, statement: Statement) -> None:
        if time.monotonic() - self._start < self._delay:
            return
        width = shutil.get_terminal_size((80, 24)).columns - 1
        line = f"whizbang-schema: [{done}/{total}] {statement.kind.value} {statement.name}"
        self._stream.write("\r\x1b[K" + line[:width])
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        """Erase the progress line, so that what follows starts on a clean line."""
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False


def progress_for(quiet: bool) -> TerminalProgress | None:
    """A progress display for this run, or None (not a terminal, or ``--quiet``)."""
    if quiet or not sys.stderr.isatty():
        return None
    return TerminalProgress(sys.stderr)
