"""The plugin registry: finds plugins through entry points, lazily, and keeps bad ones contained.

Every plugin, the built-in dialects included, is an entry point in the ``whizbang_schema``
group, naming a :class:`~whizbang_schema.Dialect` subclass (or instance), or a module of
``@hookimpl`` functions: override plugins, and dialects written in the 0.1 style. Loading
happens on first use, not at import, so ``import whizbang_schema`` stays cheap.

Each dialect object is also registered with pluggy, through a small proxy whose hook
implementations answer for that dialect only (``trylast``), so pluggy's own callers, listing
and checks see every implementation. Rendering does not walk them: each dialect's
:class:`~whizbang_schema.plugins.dispatch.Decisions` asks the override plugins and then the
dialect's own method.

A broken plugin never takes the host down:

* one that fails to import is recorded (distribution, version, error), reported by
  ``whizbang-schema dialects`` and raised as a :class:`PluginLoadWarning`; the others work;
* one that is malformed (a misspelt hook or method name, a wrong parameter, no hooks at all)
  is recorded too, and rendering refuses to run while it is installed, so a typo in an
  override can never silently leave the override out;
* two distributions claiming one dialect name raise :class:`DialectConflictError` naming both.
"""

from __future__ import annotations

import copy
import difflib
import threading
import warnings
from collections.abc import Callable, Iterable
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
from . import hookspecs
from .dialect import Dialect
from .dispatch import DECISIONS, Decisions, method_parameters
from .entrypoints import find_entry_points
from .markers import PROJECT_NAME, hookimpl

__all__ = [
    "PluginFailure",
    "PluginRecord",
    "PluginRegistry",
    "available_dialects",
    "default_registry",
    "get_dialect",
]

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
    """A registered plugin: where it came from and which hooks it implements (for a dialect
    class: the decisions it makes itself rather than inherits from the generic SQL)."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


class _ModuleDialect(Dialect):
    """A dialect described by a 0.1-style module (``whizbang_schema_dialects``): its decisions
    are the module's guarded hook functions (asked as override plugins), then the generic SQL."""

    def __init__(self, info: DialectInfo) -> None:
        self.info = info  # type: ignore[misc]  # per instance, not per class
        super().__init__()


def _guarded(dialect: Dialect, decision: str) -> Callable[..., Any]:
    """A hook implementation that answers with ``dialect``'s method for that dialect only."""
    method = getattr(dialect, decision)
    params = DECISIONS[decision]
    wanted, _ = method_parameters(method)
    positions = [params.index(name) for name in wanted]
    name = dialect.name

    def answer(asked: str, *args: Any) -> Any:
        return method(*(args[i] for i in positions)) if asked == name else None

    answer.__wrapped__ = getattr(hookspecs, _HOOK_PREFIX + decision)  # type: ignore[attr-defined]
    answer.__name__ = answer.__qualname__ = _HOOK_PREFIX + decision
    return hookimpl(trylast=True)(answer)


class _DialectPlugin:
    """What pluggy sees of one dialect object (see the module's docstring)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        for decision in DECISIONS:
            setattr(self, _HOOK_PREFIX + decision, _guarded(dialect, decision))

        def whizbang_schema_dialects() -> list[DialectInfo]:
            return [dialect.info]

        self.whizbang_schema_dialects = hookimpl(whizbang_schema_dialects)

    def __repr__(self) -> str:
        return f"<plugin of {self.dialect!r}>"


def _own_decisions(dialect: Dialect) -> tuple[str, ...]:
    """The decisions ``dialect``'s class chain makes itself rather than inherits from the
    generic SQL."""
    return tuple(
        sorted(d for d in DECISIONS if getattr(type(dialect), d, None) is not getattr(Dialect, d))
    )


def _dialect_problem(dialect: Dialect) -> str | None:
    """What is wrong with a dialect object's methods, if anything."""
    cls = type(dialect).__name__
    for decision, params in DECISIONS.items():
        method = getattr(dialect, decision, None)
        if not callable(method):
            return f"{cls}.{decision} is not a method"
        positional, keyword_only = method_parameters(method)
        for parameter in positional + keyword_only:
            if parameter not in params:
                return (
                    f"{cls}.{decision}() takes {parameter!r}, which is not one of its "
                    f"parameters ({', '.join(params)})"
                )
        if keyword_only:
            return f"{cls}.{decision}() takes {keyword_only[0]!r} as keyword-only; drop the *"
    base = set(dir(Dialect))
    for klass in type(dialect).__mro__:
        if klass is Dialect:
            break
        for attribute in vars(klass):
            if attribute.startswith("_") or attribute in base or attribute.isupper():
                continue
            close = difflib.get_close_matches(attribute, list(DECISIONS), n=1, cutoff=0.85)
            if close:
                return (
                    f"{klass.__name__}.{attribute} is not a decision, so nothing calls it; "
                    f"did you mean {close[0]!r}?"
                )
    return None


class PluginRegistry:
    """A pluggy plugin manager with whizbang-schema's hooks, loaded from entry points."""

    def __init__(self, *, load_entry_points: bool = True, group: str = PROJECT_NAME) -> None:
        self._pm = pluggy.PluginManager(PROJECT_NAME)
        self._pm.add_hookspecs(hookspecs)
        self._group = group
        self._pending_entry_points = load_entry_points
        # Threads asking at once wait for one load; the loading thread may ask again inside it.
        # Registering, removing and reading the plugin set take it too: pluggy's manager is
        # not safe to read while another thread changes it.
        self._load_lock = threading.RLock()
        self._loading = False
        self._origins: dict[str, tuple[str | None, str | None]] = {}
        self._failures: list[PluginFailure] = []
        self._dialects: dict[str, Dialect] | None = None
        self._dialect_classes: set[type[Dialect]] = set()
        self._generation = 0

    # -- loading ----------------------------------------------------------------------------

    def _ensure_loaded(self) -> None:
        if not self._pending_entry_points:  # loaded: no lock to take
            return
        with self._load_lock:
            if self._pending_entry_points and not self._loading:
                self._loading = True
                try:
                    self._load_entry_points()
                finally:
                    self._loading = False
                    self._pending_entry_points = False

    def _load_entry_points(self) -> None:
        found = sorted(
            find_entry_points(self._group), key=lambda ep: (ep.distribution or "", ep.name)
        )
        for ep in found:
            dist, version = ep.distribution, ep.version
            name = f"{dist or '?'}:{ep.name}"
            try:
                plugin = ep.load()
                if isinstance(plugin, type) and issubclass(plugin, Dialect):
                    if plugin in self._dialect_classes:
                        continue  # two entry points naming one class: already in
                    plugin = plugin()
            except Exception as exc:  # a plugin's import error must not take the host down
                failure = PluginFailure(name, dist, version, "import", _describe(exc))
                self._failures.append(failure)
                warnings.warn(PluginLoadWarning(str(failure)), stacklevel=4)
                continue
            self._register(plugin, name, dist, version)
        self._changed()

    def _register(self, plugin: object, name: str, dist: str | None, version: str | None) -> None:
        if isinstance(plugin, Dialect):
            self._register_dialect(plugin, name, dist, version)
            return
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

    def _register_dialect(
        self, dialect: Dialect, name: str, dist: str | None, version: str | None
    ) -> None:
        problem = _dialect_problem(dialect)
        if problem:
            self._failures.append(PluginFailure(name, dist, version, "invalid", problem))
            return
        if dialect._registry is not None and dialect._registry is not self:
            dialect = copy.copy(dialect)  # one object per registry: each has its own caches
            dialect._forget()
        dialect._registry = self
        info = dialect.info
        if info.distribution is None and info.version is None and (dist or version):
            dialect.info = attrs.evolve(info, distribution=dist, version=version)  # type: ignore[misc]
        try:
            self._pm.register(_DialectPlugin(dialect), name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self._failures.append(PluginFailure(name, dist, version, "invalid", _describe(exc)))
            return
        self._dialect_classes.add(type(dialect))
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

    # -- programmatic use -------------------------------------------------------------------

    def register(
        self,
        plugin: object,
        *,
        name: str | None = None,
        distribution: str | None = None,
        version: str | None = None,
    ) -> str:
        """Register ``plugin`` directly: a :class:`~whizbang_schema.Dialect` subclass or
        instance, or a module or object with hook implementations.

        Raises :class:`PluginError` if it is malformed. Returns the name it is registered under.
        """
        self._ensure_loaded()
        if isinstance(plugin, type) and issubclass(plugin, Dialect):
            plugin = plugin()
        name = name or f"{getattr(plugin, '__name__', type(plugin).__name__)}@{id(plugin):x}"
        with self._load_lock:
            before = len(self._failures)
            self._register(plugin, name, distribution, version)
            if len(self._failures) > before:
                raise PluginError(str(self._failures.pop()))
            self._changed()
        return name

    def unregister(self, name: str) -> None:
        """Remove the plugin registered as ``name``."""
        with self._load_lock:
            plugin = self._pm.unregister(name=name)
            if isinstance(plugin, _DialectPlugin):
                self._dialect_classes.discard(type(plugin.dialect))
                plugin.dialect._registry = None
            self._origins.pop(name, None)
            self._changed()

    # -- queries ----------------------------------------------------------------------------

    @property
    def hook(self) -> Any:
        """The pluggy hook relay, loading plugins first if needed. Every hook implementation
        takes part, each dialect answering for itself only; rendering uses
        :meth:`decisions_for` instead, which asks one dialect."""
        self._ensure_loaded()
        return self._pm.hook

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
        """Every registered plugin with the hooks it implements."""
        self._ensure_loaded()
        records = []
        for name, plugin in self._pm.list_name_plugin():
            if isinstance(plugin, _DialectPlugin):
                own = _own_decisions(plugin.dialect)
                hooks = tuple(sorted(_HOOK_PREFIX + d for d in (*own, "dialects")))
            else:
                hooks = tuple(sorted(c.name for c in self._pm.get_hookcallers(plugin) or []))
            dist, version = self._origins.get(name, ("whizbang-schema", None))
            records.append(PluginRecord(name, dist, version, hooks))
        return tuple(records)

    def check_usable(self) -> None:
        """Raise :class:`PluginError` if a malformed plugin is installed (see module docs)."""
        self._ensure_loaded()
        if not self._failures:  # the usual case, asked on every render
            return
        invalid = [f for f in self._failures if f.kind == "invalid"]
        if invalid:
            raise PluginError("; ".join(str(f) for f in invalid))

    def dialects(self) -> dict[str, DialectInfo]:
        """Every dialect the plugins provide, by name, with its distribution and version."""
        return {name: dialect.info for name, dialect in self._dialect_objects().items()}

    def dialect(self, name: str) -> Dialect:
        """The dialect object called ``name``; :class:`DialectNotFoundError` if none."""
        dialects = self._dialect_objects()
        dialect = dialects.get(name) if isinstance(name, str) else None
        if dialect is None:
            failed = [str(f) for f in self.failures]
            hint = f" (plugins that failed to load: {'; '.join(failed)})" if failed else ""
            raise DialectNotFoundError(name, tuple(dialects), hint)
        return dialect

    def dialect_info(self, name: str) -> DialectInfo:
        """The description of dialect ``name``; :class:`DialectNotFoundError` if none."""
        return self.dialect(name).info

    def decisions_for(self, dialect: Dialect) -> Decisions:
        """``dialect``'s decisions under the current plugin set: the override plugins, then
        its own methods (see :mod:`whizbang_schema.plugins.dispatch`)."""
        self._ensure_loaded()

        def subset(hook_name: str) -> Any:
            return self._pm.subset_hook_caller(hook_name, remove_plugins=others)

        def dialect_of(plugin: object) -> Dialect | None:
            return plugin.dialect if isinstance(plugin, _DialectPlugin) else None

        with self._load_lock:  # the plugin set as one (another thread may be changing it)
            others = [
                plugin
                for plugin in self._pm.get_plugins()
                if isinstance(plugin, _DialectPlugin) and plugin.dialect is not dialect
            ]
            return Decisions.for_dialect(dialect, dialect.name, self._pm.hook, dialect_of, subset)

    def _dialect_objects(self) -> dict[str, Dialect]:
        self._ensure_loaded()
        dialects = self._dialects
        if dialects is None:
            with self._load_lock:
                dialects = self._dialects = self._collect_dialects()
        return dialects

    def _collect_dialects(self) -> dict[str, Dialect]:
        found: dict[str, Dialect] = {}
        for impl in self._pm.hook.whizbang_schema_dialects.get_hookimpls():
            if isinstance(impl.plugin, _DialectPlugin):
                self._add_dialect(found, impl.plugin.dialect)
                continue
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
                dialect = _ModuleDialect(info)
                dialect._registry = self
                self._add_dialect(found, dialect)
        return dict(sorted(found.items()))

    @staticmethod
    def _add_dialect(found: dict[str, Dialect], dialect: Dialect) -> None:
        info = dialect.info
        other = found.get(info.name)
        if other is not None:
            raise DialectConflictError(
                f"dialect {info.name!r} is provided by two distributions: "
                f"{other.info.distribution or '(not installed)'} {other.info.version or ''} and "
                f"{info.distribution or '(not installed)'} {info.version or ''}; "
                f"uninstall one of them"
            )
        found[info.name] = dialect


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


def get_dialect(name: str, *, registry: PluginRegistry | None = None) -> Dialect:
    """The installed dialect called ``name`` (``postgres``, ``sqlite``, ``sqlserver``...): a
    :class:`~whizbang_schema.Dialect` object that renders with the override plugins applied.

    Raises :class:`~whizbang_schema.DialectNotFoundError`, listing what is available, for an
    unknown name.
    """
    return (registry or default_registry()).dialect(name)


def available_dialects(*, registry: PluginRegistry | None = None) -> tuple[DialectInfo, ...]:
    """Every installed dialect's description, sorted by name."""
    return tuple((registry or default_registry()).dialects().values())
