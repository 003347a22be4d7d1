"""What a planned statement may do to a busy database or its data: the words of a plan.

A migration plan (``migrate --plan``) tags every statement with the hazards it carries, so
that a reviewer sees which step locks a table or loses data, and CI can refuse a plan that
carries one (``--deny HAZARD``). The words are stable: they are part of the plan's format.
"""

from __future__ import annotations

from typing import Final

__all__ = ["HAZARDS", "Hazard", "check_hazard"]


class Hazard:
    """The hazard words as constants, for dialects to tag statements with: a misspelt
    constant fails when the module is imported, where a misspelt string is only refused when
    a plan is made (and never matched by ``--deny``)."""

    LOCKS_WRITES: Final = "locks-writes"
    LOCKS_READS: Final = "locks-reads"
    REWRITES_TABLE: Final = "rewrites-table"
    SCANS_TABLE: Final = "scans-table"
    UPDATES_ROWS: Final = "updates-rows"
    MAY_FAIL: Final = "may-fail-on-existing-rows"
    DROPS_DATA: Final = "drops-data"
    NOT_TRANSACTIONAL: Final = "not-transactional"
    RENAMES: Final = "renames-object"


#: Every hazard, with what it means for the person reviewing the plan.
HAZARDS: Final[dict[str, str]] = {
    Hazard.LOCKS_WRITES: "writers to the table wait until the statement ends",
    Hazard.LOCKS_READS: "readers of the table wait too (an exclusive lock)",
    Hazard.REWRITES_TABLE: "every row is copied: time and disk grow with the table",
    Hazard.SCANS_TABLE: "every row is read to validate the change (under the statement's lock)",
    Hazard.UPDATES_ROWS: "existing rows are changed (a backfill)",
    Hazard.MAY_FAIL: "existing rows may break the new rule; the plan checks them first and stops",
    Hazard.DROPS_DATA: "a column, table or index and what it holds are removed for good",
    Hazard.NOT_TRANSACTIONAL: (
        "runs outside the plan's transaction: if it fails, the steps before it stay done"
    ),
    Hazard.RENAMES: "code that still uses the old name fails after this statement",
}


def check_hazard(name: str) -> str:
    """``name`` if it is a hazard; else :class:`ValueError` listing the hazards."""
    if name not in HAZARDS:
        raise ValueError(f"no hazard named {name!r}; hazards: {', '.join(HAZARDS)}")
    return name
