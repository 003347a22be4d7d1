"""A migration plan as JSON: written by ``migrate --plan FILE``, read by ``--execute FILE``.

The format is documented in ``docs/migration-plan.md`` and ``docs/json/plan.schema.json``.
It is meant to be read in review: every change lists the differences it resolves and its
statements, each with its SQL and hazards; the fingerprint and per-table hashes say which
catalog the plan was written against.
"""

from __future__ import annotations

import json
from typing import Any

from ..model.errors import SchemaError
from ..render.statements import Statement, StatementKind
from .diff import Difference
from .plan import Plan, PlannedChange

__all__ = ["PLAN_FORMAT", "PlanFileError", "plan_from_json", "plan_to_dict", "plan_to_json"]

#: The plan format's name and version: a reader refuses any other.
PLAN_FORMAT = "whizbang-schema-plan/1"


def _difference(d: Difference) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "table": d.table,
        "name": d.name,
        "expected": d.expected,
        "actual": d.actual,
        "message": str(d),
    }


def _statement(s: Statement) -> dict[str, Any]:
    return {
        "kind": s.kind.value,
        "name": s.name,
        "table": s.table,
        "schema": s.schema,
        "sql": s.sql,
        "hazards": list(s.hazards),
        "concurrent": s.concurrent,
        "check": s.check,
        "notes": list(s.notes),
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """``plan`` as the JSON object of the documented format."""
    return {
        "format": PLAN_FORMAT,
        "dialect": plan.dialect,
        "prefix": plan.prefix,
        "schema": plan.schema,
        "fingerprint": plan.fingerprint,
        "tables": dict(plan.tables),
        "hazards": list(plan.hazards),
        "changes": [
            {
                "table": c.table,
                "differences": [_difference(d) for d in c.differences],
                "hazards": list(c.hazards),
                "statements": [_statement(s) for s in c.statements],
            }
            for c in plan.changes
        ],
        "refused": [{**_difference(d), "reason": why} for d, why in plan.refused],
        "extras": [_difference(d) for d in plan.extras],
    }


def plan_to_json(plan: Plan) -> str:
    """``plan`` as indented JSON text ending in a newline (stable: same plan, same bytes)."""
    return json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False) + "\n"


class PlanFileError(SchemaError, ValueError):
    """A plan file that is not one this version can run."""


def plan_from_json(text: str) -> Plan:
    """The plan in ``text``; :class:`PlanFileError` saying what is wrong with it."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
            found = data.get("format") if isinstance(data, dict) else None
            raise PlanFileError(f"not a {PLAN_FORMAT} plan (format {found!r})")

        def difference(d: dict[str, Any]) -> Difference:
            return Difference(d["kind"], d["table"], d["name"], d["expected"], d["actual"])

        def statement(s: dict[str, Any]) -> Statement:
            return Statement(
                StatementKind(s["kind"]),
                s["name"],
                s["sql"],
                table=s["table"],
                schema=s["schema"],
                notes=tuple(s["notes"]),
                hazards=tuple(s["hazards"]),
                concurrent=bool(s["concurrent"]),
                check=bool(s["check"]),
            )

        return Plan(
            data["dialect"],
            data["prefix"],
            data["schema"],
            data["fingerprint"],
            tuple((str(k), str(v)) for k, v in data["tables"].items()),
            tuple(
                PlannedChange(
                    c["table"],
                    tuple(difference(d) for d in c["differences"]),
                    tuple(statement(s) for s in c["statements"]),
                )
                for c in data["changes"]
            ),
            tuple((difference(r), r["reason"]) for r in data["refused"]),
            tuple(difference(d) for d in data["extras"]),
        )
    except PlanFileError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PlanFileError(f"the plan file is malformed: {type(exc).__name__}: {exc}") from None
