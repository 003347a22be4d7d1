"""Item 3: cold start, as whole processes, repeated.

Each command is a new interpreter, from spawn to exit, with its output thrown away. The
commands run round-robin (one of each, then again) after one warm-up round that also writes
the bytecode caches, so a noisy moment slows all of them alike. All use the interpreter this
script runs under, so they share its site-packages (and its start-up cost, which
``python -c pass`` shows).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from timing import median, time_process


def commands() -> list[tuple[str, list[str]]]:
    python = sys.executable
    script = os.path.join(os.path.dirname(python), "whizbang-schema")
    if not os.path.exists(script):
        raise SystemExit(f"whizbang-schema is not installed beside {python}")
    return [
        ("python -c pass", [python, "-c", "pass"]),
        ('python -c "import sqlalchemy"', [python, "-c", "import sqlalchemy"]),
        ("whizbang-schema dialects", [script, "dialects"]),
        ("whizbang-schema render --dialect postgres", [script, "render", "--dialect", "postgres"]),
        ('python -c "import whizbang_schema"', [python, "-c", "import whizbang_schema"]),
    ]


def run(*, quick: bool) -> dict[str, Any]:
    runs = 5 if quick else 21
    todo = commands()
    samples: dict[str, list[int]] = {label: [] for label, _ in todo}
    for round_ in range(runs + 1):
        for label, argv in todo:
            elapsed = time_process(argv)
            if round_:  # round 0 is the warm-up
                samples[label].append(elapsed)
    return {"runs": runs, "medians": {label: median(v) for label, v in samples.items()}}
