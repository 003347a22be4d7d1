"""The plugin registry: finds plugins through entry points, lazily, and keeps bad ones contained.

Every plugin, the built-in dialects included, is an entry point in the ``whizbang_schema``
group. Loading happens on first use, not at import, so ``import whizbang_schema`` stays cheap.

A broken plugin never takes the host down:

* one that fails to import is recorded (distribution, version, error), reported by
  ``whizbang-schema dialects`` and raised as a :class:`PluginLoadWarning`; the others work;
* one that is malformed (a misspelt hook name, a wrong parameter, no hooks at all) is recorded
  too, and rendering refuses to run while it is installed, so a typo in an override can never
  silently leave the override out;
* two distributions claiming one dialect name raise :class:`DialectConflictError` naming both.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable
from typing import Any

import attrs
import pluggy

from ..model.capabilities import DialectInfo
from ..model.errors import (
    DialectConflictError,
    DialectNotFoundError,
    PluginError,
    PluginLoadWarning,
)
from ..render import generic
from . import hookspecs
from .entrypoints import find_entry_points
from .hookcalls import RenderHooks
from .markers import PROJECT_NAME

__all__ = ["PluginFailure", "PluginRecord", "PluginRegistry", "default_registry"]

_HOOK_PREFIX = "whizbang_schema_"


@attrs.frozen(slots=True)
class PluginFailure:
    """A plugin that could not be used. ``kind`` is ``"import"`` or ``"invalid"``."""

    plugin: str
    distribution: str | None
    version: str | None
    kind: str
    error: str

    def __str__(self) -> str:
        origin = self.distribution or "(not installed)"
        if self.version:
            origin += f" {self.version}"
        verb = "failed to import" if self.kind == "import" else "is invalid"
        return f"plugin {self.plugin!r} from {origin} {verb}: {self.error}"


@attrs.frozen(slots=True)
class PluginRecord:
    """A registered plugin: where it came from and which hooks it implements."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


class PluginRegistry:
    """A pluggy plugin manager with whizbang-schema's hooks, loaded from entry points."""

    def __init__(self, *, load_entry_points: bool = True, group: str = PROJECT_NAME) -> None:
        self._pm = pluggy.PluginManager(PROJECT_NAME)
        self._pm.add_hookspecs(hookspecs)
        self._pm.register(generic, name="whizbang_schema.generic")
        self._group = group
        self._pending_entry_points = load_entry_points
        self._origins: dict[str, tuple[str | None, str | None]] = {}
        self._failures: list[PluginFailure] = []
        self._dialects: dict[str, DialectInfo] | None = None
        self._render_hooks: RenderHooks | None = None
        self._generation = 0
        #: Objects derived from the plugins (dialect objects), dropped whenever they change.
        self.memo: dict[object, object] = {}

    # -- loading ----------------------------------------------------------------------------

    def _ensure_loaded(self) -> None:
        if self._pending_entry_points:
            self._pending_entry_points = False
            self._load_entry_points()

    def _load_entry_points(self) -> None:
        found = sorted(
            find_entry_points(self._group), key=lambda ep: (ep.distribution or "", ep.name)
        )
        for ep in found:
            dist, version = ep.distribution, ep.version
            name = f"{dist or '?'}:{ep.name}"
            try:
                plugin = ep.load()
            except Exception as exc:  # a plugin's import error must not take the host down
                failure = PluginFailure(name, dist, version, "import", _describe(exc))
                self._failures.append(failure)
                warnings.warn(PluginLoadWarning(str(failure)), stacklevel=4)
                continue
            self._register(plugin, name, dist, version)
        self._changed()

    def _register(self, plugin: object, name: str, dist: str | None, version: str | None) -> None:
        if self._pm.is_registered(plugin):
            return  # two entry points naming one module: already in
        try:
            self._pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self._failures.append(PluginFailure(name, dist, version, "invalid", _describe(exc)))
            return
        problem = self._unknown_hooks(plugin)
        if problem:
            self._pm.unregister(plugin)
            self._failures.append(PluginFailure(name, dist, version, "invalid", problem))
            return
        self._origins[name] = (dist, version)

    def _unknown_hooks(self, plugin: object) -> str | None:
        callers = self._pm.get_hookcallers(plugin) or []
        if not callers:
            return f"it implements no {PROJECT_NAME} hooks (is the entry point right?)"
        known = [h for h in dir(hookspecs) if h.startswith(_HOOK_PREFIX)]
        for caller in callers:
            if not caller.has_spec():
                close = difflib.get_close_matches(caller.name, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                return f"unknown hook {caller.name!r}{hint}"
        return None

    def _changed(self) -> None:
        self._generation += 1
        self._dialects = None
        self._render_hooks = None
        self.memo.clear()

    # -- programmatic use -------------------------------------------------------------------

    def register(
        self,
        plugin: object,
        *,
        name: str | None = None,
        distribution: str | None = None,
        version: str | None = None,
    ) -> str:
        """Register ``plugin`` (a module or object with hook implementations) directly.

        Raises :class:`PluginError` if it is malformed. Returns the name it is registered under.
        """
        self._ensure_loaded()
        name = name or f"{getattr(plugin, '__name__', type(plugin).__name__)}@{id(plugin):x}"
        before = len(self._failures)
        self._register(plugin, name, distribution, version)
        if len(self._failures) > before:
            raise PluginError(str(self._failures.pop()))
        self._changed()
        return name

    def unregister(self, name: str) -> None:
        """Remove the plugin registered as ``name``."""
        self._pm.unregister(name=name)
        self._origins.pop(name, None)
        self._changed()

    # -- queries ----------------------------------------------------------------------------

    @property
    def hook(self) -> Any:
        """The pluggy hook relay, loading plugins first if needed."""
        self._ensure_loaded()
        return self._pm.hook

    @property
    def render_hooks(self) -> RenderHooks:
        """The rendering hooks of the current plugin set, resolved for fast calls (rebuilt
        whenever a plugin is registered or removed)."""
        self._ensure_loaded()
        if self._render_hooks is None:
            self._render_hooks = RenderHooks(self._pm.hook)
        return self._render_hooks

    @property
    def generation(self) -> int:
        """Changes whenever a plugin is registered or removed; render caches key on it."""
        self._ensure_loaded()
        return self._generation

    @property
    def failures(self) -> tuple[PluginFailure, ...]:
        """Plugins that could not be loaded or are malformed."""
        self._ensure_loaded()
        return tuple(self._failures)

    def plugins(self) -> tuple[PluginRecord, ...]:
        """Every registered plugin with the hooks it implements (the core's generic SQL first)."""
        self._ensure_loaded()
        records = []
        for name, plugin in self._pm.list_name_plugin():
            hooks = tuple(sorted(c.name for c in self._pm.get_hookcallers(plugin) or []))
            dist, version = self._origins.get(name, ("whizbang-schema", None))
            records.append(PluginRecord(name, dist, version, hooks))
        return tuple(records)

    def check_usable(self) -> None:
        """Raise :class:`PluginError` if a malformed plugin is installed (see module docs)."""
        invalid = [f for f in self.failures if f.kind == "invalid"]
        if invalid:
            raise PluginError("; ".join(str(f) for f in invalid))

    def dialects(self) -> dict[str, DialectInfo]:
        """Every dialect the plugins provide, by name, with its distribution and version."""
        self._ensure_loaded()
        if self._dialects is None:
            self._dialects = self._collect_dialects()
        return dict(self._dialects)

    def _collect_dialects(self) -> dict[str, DialectInfo]:
        found: dict[str, DialectInfo] = {}
        for impl in self._pm.hook.whizbang_schema_dialects.get_hookimpls():
            dist, version = self._origins.get(impl.plugin_name, (None, None))
            try:
                answer = impl.function()
                if not isinstance(answer, Iterable):
                    raise TypeError(f"expected a list of DialectInfo, got {answer!r}")
                infos: list[object] = list(answer)
                for candidate in infos:
                    if not isinstance(candidate, DialectInfo):
                        raise TypeError(f"expected DialectInfo, got {candidate!r}")
            except Exception as exc:
                self._failures.append(
                    PluginFailure(impl.plugin_name, dist, version, "invalid", _describe(exc))
                )
                continue
            for item in infos:
                assert isinstance(item, DialectInfo)
                info = attrs.evolve(
                    item,
                    distribution=item.distribution or dist,
                    version=item.version or version,
                )
                other = found.get(info.name)
                if other is not None:
                    raise DialectConflictError(
                        f"dialect {info.name!r} is provided by two distributions: "
                        f"{other.distribution or '(not installed)'} {other.version or ''} and "
                        f"{info.distribution or '(not installed)'} {info.version or ''}; "
                        f"uninstall one of them"
                    )
                found[info.name] = info
        return dict(sorted(found.items()))

    def dialect_info(self, name: str) -> DialectInfo:
        """The description of dialect ``name``; :class:`DialectNotFoundError` if none."""
        dialects = self.dialects()
        info = dialects.get(name) if isinstance(name, str) else None
        if info is None:
            failed = [str(f) for f in self.failures]
            hint = f" (plugins that failed to load: {'; '.join(failed)})" if failed else ""
            raise DialectNotFoundError(name, tuple(dialects), hint)
        return info


def _describe(exc: BaseException) -> str:
    """One line: the exception's type and its whole message."""
    text = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


_default: PluginRegistry | None = None


def default_registry() -> PluginRegistry:
    """The process-wide registry that :func:`get_dialect` and the command line use."""
    global _default
    if _default is None:
        _default = PluginRegistry()
    return _default
