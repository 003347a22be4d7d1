"""A conformance kit for dialect authors: one suite every dialect runs against its engine.

Subclass :class:`ConformanceSuite` in your dialect's tests, set ``dialect``, and provide a
``whizbang_target`` fixture that yields a fresh, empty database for each test. The suite
renders and applies every type and default kind, keys, unique constraints, indexes and
partial-index predicates, awkward names and the nine canonical tables; checks idempotence,
what a failing statement leaves behind, and the values defaults produce. The built-in
dialects and the example MySQL dialect all run it. Needs pytest (it is only imported by tests).
"""

from __future__ import annotations

from .suite import ConformanceSuite
from .tables import AWKWARD, EVERY_DEFAULT, EVERY_TYPE, KEYS, KIT_TABLES

__all__ = ["AWKWARD", "EVERY_DEFAULT", "EVERY_TYPE", "KEYS", "KIT_TABLES", "ConformanceSuite"]
