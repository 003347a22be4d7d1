"""Developer sessions: ``nox -s tests``, ``lint``, ``typecheck``, ``example``, ``benchmarks``.

The tests need PostgreSQL and MariaDB on 127.0.0.1 (``bash .ci/services.sh`` starts them).
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite against the real engines."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the core and the built-in dialects."""
    session.install("-e", ".[test]")
    session.run("mypy")


@nox.session
def example(session: nox.Session) -> None:
    """The example MySQL/MariaDB dialect: install it beside the core and run its tests."""
    session.install("-e", ".[test]", "-e", "./plugins_example[test]")
    session.run("python", "-m", "pytest", "plugins_example/tests", *session.posargs)


@nox.session
def benchmarks(session: nox.Session) -> None:
    """Side-by-side measurements against SQLAlchemy Core; writes benchmarks/RESULTS.md."""
    session.install("-e", ".[bench]")
    session.run("python", "benchmarks/run.py", *session.posargs)
