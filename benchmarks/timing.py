"""Timing helpers shared by the benchmark sections.

Everything is measured with :func:`time.perf_counter_ns` and summarised by the median, which
shrugs off the occasional sample slowed down by another process on a shared machine.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


def time_each(function: Callable[[T], object], items: Sequence[T]) -> list[int]:
    """Call ``function(item)`` for each item; the nanoseconds each call took.

    The garbage collector is paused while timing, as :mod:`timeit` does, so that one sample
    does not pay for a collection caused by all the others.
    """
    samples: list[int] = []
    clock = time.perf_counter_ns
    enabled = gc.isenabled()
    gc.disable()
    try:
        for item in items:
            start = clock()
            function(item)
            samples.append(clock() - start)
    finally:
        if enabled:
            gc.enable()
    return samples


def time_once(function: Callable[[], object]) -> int:
    """Nanoseconds one call of ``function()`` took (garbage collector left on: the large
    runs must pay for their garbage)."""
    start = time.perf_counter_ns()
    function()
    return time.perf_counter_ns() - start


def time_process(argv: Sequence[str], *, cwd: str | None = None) -> int:
    """Nanoseconds a whole process took, from spawn to exit. Fails if it fails.

    The process may write bytecode caches whatever ``PYTHONDONTWRITEBYTECODE`` says here: an
    installed package has them (pip compiles at install), so a source tree run without them
    would compile every module it imports at each start, and SQLAlchemy, installed, would not.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter_ns()
    subprocess.run(
        argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter_ns() - start


def machine() -> list[tuple[str, str]]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return [
        ("OS", platform.platform()),
        ("CPU", f"{cpu}; {os.cpu_count()} logical CPUs"),
        ("load average at start (1, 5, 15 min)", load),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("executable", os.path.basename(sys.executable)),
    ]


def us(ns: float) -> str:
    """Nanoseconds as microseconds for a table cell."""
    return f"{ns / 1000:,.1f}"


def ms(ns: float) -> str:
    """Nanoseconds as milliseconds for a table cell."""
    return f"{ns / 1e6:,.1f}"


def ratio(slow: float, fast: float) -> str:
    """``slow / fast`` as ``12.3x``."""
    return f"{slow / fast:,.1f}x" if fast else "n/a"
