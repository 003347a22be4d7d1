"""The plugins' entry points, found without importing :mod:`importlib.metadata` when possible.

Every command starts by finding the plugins. ``import importlib.metadata`` alone took about
30 ms in the start-up profile (it brings in the ``email`` package to parse metadata), a third
of what ``whizbang-schema dialects`` adds to a bare interpreter. The registry needs only a
narrow part of it: the entry points of one group, with the name and version of the
distribution that declares each. This module reads exactly that from the ``*.dist-info`` and
``*.egg-info`` directories on :data:`sys.path`, as importlib.metadata finds them (path order;
the first distribution of a name wins), and leaves the work to importlib.metadata whenever the
environment is anything else: a zip archive on the path, or an import hook that provides
distributions of its own. ``tests/test_entry_points.py`` holds the two to the same answer.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from typing import Any

__all__ = ["FoundEntryPoint", "find_entry_points"]

_SUFFIXES = (".dist-info", ".egg-info")
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


class FoundEntryPoint:
    """One entry point: ``name = value`` in a group, declared by ``distribution``."""

    __slots__ = ("distribution", "name", "value", "version")

    def __init__(
        self, name: str, value: str, distribution: str | None, version: str | None
    ) -> None:
        self.name = name
        self.value = value
        self.distribution = distribution
        self.version = version

    def __repr__(self) -> str:
        return f"FoundEntryPoint({self.name!r}, {self.value!r}, {self.distribution!r})"

    def load(self) -> Any:
        """Import the module the entry point names and return the object it points at."""
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        target: Any = importlib.import_module(match.group("module"))
        for part in (match.group("attr") or "").split("."):
            if part:
                target = getattr(target, part)
        return target


def find_entry_points(group: str) -> list[FoundEntryPoint]:
    """Every entry point in ``group`` of the installed distributions."""
    if not _plain_environment():
        return _with_importlib_metadata(group)
    found: list[FoundEntryPoint] = []
    seen: set[str] = set()
    for entry in sys.path:
        directory = entry or "."
        try:
            children = os.listdir(directory)
        except OSError:
            if os.path.isfile(directory):  # a zip archive: importlib.metadata reads those
                return _with_importlib_metadata(group)
            continue
        for child in children:
            low = child.lower()
            if not low.endswith(_SUFFIXES):
                continue
            key = _normalize(low.rpartition(".")[0].partition("-")[0])
            if key in seen:
                continue  # an earlier path entry has this distribution: it wins
            seen.add(key)
            info = os.path.join(directory, child)
            text = _read(os.path.join(info, "entry_points.txt"))
            if text is None or f"[{group}]" not in text:
                continue
            name, version = _name_and_version(info)
            found.extend(
                FoundEntryPoint(ep_name, value, name, version)
                for ep_name, value in _section(text, group)
            )
    return found


def _plain_environment() -> bool:
    """Whether distributions come only from the standard path finder."""
    from importlib.machinery import PathFinder

    return all(
        finder is PathFinder or not hasattr(finder, "find_distributions")
        for finder in sys.meta_path
    )


def _with_importlib_metadata(group: str) -> list[FoundEntryPoint]:
    from importlib.metadata import entry_points

    return [
        FoundEntryPoint(
            ep.name,
            ep.value,
            ep.dist.name if ep.dist else None,
            ep.dist.version if ep.dist else None,
        )
        for ep in entry_points(group=group)
    ]


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except OSError:
        return None


def _name_and_version(info: str) -> tuple[str | None, str | None]:
    """``Name`` and ``Version`` from the metadata headers (``METADATA`` or ``PKG-INFO``)."""
    text = _read(os.path.join(info, "METADATA")) or _read(os.path.join(info, "PKG-INFO")) or ""
    name = version = None
    for line in text.splitlines():
        if not line.strip():
            break  # the headers end at the first blank line
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key == "name" and name is None:
            name = value.strip()
        elif sep and key == "version" and version is None:
            version = value.strip()
    return name, version


def _section(text: str, group: str) -> list[tuple[str, str]]:
    """``(name, value)`` pairs of section ``[group]`` of an ``entry_points.txt``."""
    pairs: list[tuple[str, str]] = []
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[]")
            continue
        if current == group:
            name, _, value = line.partition("=")
            pairs.append((name.strip(), value.strip()))
    return pairs
