"""A conformance kit for dialect authors: one suite every dialect runs against its engine.

Subclass :class:`ConformanceSuite` in your dialect's tests, set ``dialect``, and provide a
``whizbang_target`` fixture that yields a fresh, empty database for each test (or configure
one scratch database for the pytest plugin's fixture). The suite renders and applies every
type and default kind, keys, unique constraints, indexes and partial-index predicates,
awkward names, every reserved word as a column name, the integer ranges, instants under a
non-UTC session zone and the nine canonical tables; checks idempotence, what a failing
statement leaves behind, and the values defaults produce. The built-in dialects and the
example MySQL dialect all run it. Needs pytest (it is only imported by tests).

The names are imported on first use, not here: the pytest plugin
(:mod:`whizbang_schema.testing.pytest_plugin`, loaded through the ``pytest11`` entry point)
imports this package first and must register the kit's modules for assertion rewriting before
they are imported, so that a failing kit test shows the compared values.

Applications' tests have their own plugin here, :mod:`whizbang_schema.testing.databases`
(entry point ``whizbang_schema_databases``): a fresh database holding your definitions for
every test.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .suite import ConformanceSuite
    from .tables import (
        AWKWARD,
        COMMON_KEYWORDS,
        EVERY_DEFAULT,
        EVERY_TYPE,
        EXTREMES,
        GROWN,
        GROWN_DEFAULTS,
        INFINITE_DEFAULTS,
        KEYS,
        KIT_TABLES,
        LITERALS,
        RANGES,
        ZONES,
    )

__all__ = [
    "AWKWARD",
    "COMMON_KEYWORDS",
    "EVERY_DEFAULT",
    "EVERY_TYPE",
    "EXTREMES",
    "GROWN",
    "GROWN_DEFAULTS",
    "INFINITE_DEFAULTS",
    "KEYS",
    "KIT_TABLES",
    "LITERALS",
    "RANGES",
    "ZONES",
    "ConformanceSuite",
]

_HOMES = {**dict.fromkeys(__all__, ".tables"), "ConformanceSuite": ".suite"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
