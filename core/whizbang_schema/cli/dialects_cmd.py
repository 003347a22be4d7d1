"""``whizbang-schema dialects``: every installed dialect, and plugins that failed to load."""

from __future__ import annotations

import argparse
from typing import Any

from ..model.capabilities import DialectInfo
from .common import EXIT_OK


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "dialects", help="list installed dialects and their capabilities"
    )
    parser.set_defaults(run=run)
    plugins: argparse.ArgumentParser = commands.add_parser(
        "plugins", help="list registered plugins with their hooks"
    )
    plugins.set_defaults(run=run_plugins)


def describe(info: DialectInfo) -> dict[str, Any]:
    caps = info.capabilities
    return {
        "name": info.name,
        "description": info.description,
        "distribution": info.distribution,
        "version": info.version,
        "url_schemes": list(info.url_schemes),
        "capabilities": {
            "partial_indexes": caps.partial_indexes,
            "transactional_ddl": caps.transactional_ddl,
            "max_identifier_bytes": caps.max_identifier_bytes,
            "max_identifier_chars": caps.max_identifier_chars,
            "create_schema": caps.create_schema,
            "default_schema": caps.default_schema,
            "max_index_columns": caps.max_index_columns,
            "max_columns": caps.max_columns,
            "reserved_words": len(caps.reserved_words),
        },
        "options": [
            {
                "name": o.name,
                "default": o.default,
                "choices": list(o.choices),
                "description": o.description,
            }
            for o in info.options
        ],
    }


def _failures(failures: Any) -> list[dict[str, Any]]:
    return [
        {
            "plugin": f.plugin,
            "distribution": f.distribution,
            "version": f.version,
            "kind": f.kind,
            "error": f.error,
        }
        for f in failures
    ]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def run(args: argparse.Namespace) -> int:
    from ..plugins.registry import default_registry

    registry = default_registry()
    dialects = list(registry.dialects().values())
    failures = registry.failures
    if args.json:
        from .output import emit

        emit({"dialects": [describe(info) for info in dialects], "failures": _failures(failures)})
        return EXIT_OK
    for info in dialects:
        caps = info.capabilities
        limit = (
            f"{caps.max_identifier_bytes} bytes"
            if caps.max_identifier_bytes
            else f"{caps.max_identifier_chars} characters"
            if caps.max_identifier_chars
            else "no limit"
        )
        print(f"{info.name}: {info.description}")
        print(f"  from: {info.distribution or '(not installed)'} {info.version or ''}".rstrip())
        print(
            f"  partial indexes: {_yes(caps.partial_indexes)}; transactional DDL: "
            f"{_yes(caps.transactional_ddl)}; identifiers: {limit}; "
            f"reserved words: {len(caps.reserved_words)}"
        )
        if info.url_schemes:
            print(f"  apply --url: {', '.join(s + '://' for s in info.url_schemes)}")
        for option in info.options:
            choices = f" ({'|'.join(option.choices)})" if option.choices else ""
            print(
                f"  option {option.name}={str(option.default).lower()}{choices}: "
                f"{option.description}"
            )
    if not dialects:
        print("no dialects installed")
    for failure in failures:
        print(f"failed: {failure}")
    return EXIT_OK


def run_plugins(args: argparse.Namespace) -> int:
    from ..plugins.registry import default_registry

    registry = default_registry()
    records = registry.plugins()
    if args.json:
        from .output import emit

        emit(
            {
                "plugins": [
                    {
                        "name": r.name,
                        "distribution": r.distribution,
                        "version": r.version,
                        "hooks": list(r.hooks),
                    }
                    for r in records
                ],
                "failures": _failures(registry.failures),
            }
        )
        return EXIT_OK
    for record in records:
        origin = " ".join(x for x in (record.distribution, record.version) if x)
        print(f"{record.name} ({origin})")
        for hook in record.hooks:
            print(f"  {hook}")
    for failure in registry.failures:
        print(f"failed: {failure}")
    return EXIT_OK
