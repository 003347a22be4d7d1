"""Workers for the concurrency tests, in a module light enough for spawned processes."""

from __future__ import annotations

from typing import Any


def apply_at_once(target: str, barrier: Any, errors: Any) -> None:
    """Wait for every worker, then apply the nine tables; report any error to the parent."""
    from whizbang_schema import apply_schema

    try:
        barrier.wait(timeout=60)
        apply_schema(target)
    except Exception as exc:
        errors.put(f"{type(exc).__name__}: {exc}")


def apply_each_round(tasks: Any, barrier: Any, results: Any) -> None:
    """For each target the parent sends (None: stop), wait for every worker, then apply
    the nine tables and report "ok" or the error. One process serves every round, so that
    rounds measure the race, not process start-up."""
    from whizbang_schema import apply_schema

    while (target := tasks.get()) is not None:
        try:
            barrier.wait(timeout=60)
            apply_schema(target)
            results.put("ok")
        except Exception as exc:
            results.put(f"{type(exc).__name__}: {exc}")
