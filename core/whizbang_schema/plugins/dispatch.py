"""One dialect's decisions, resolved once per plugin set so that each is one call.

A decision (``render_type``, ``parse_default``...) is answered, for dialect X, by the module
plugins (override plugins and 0.1-style dialects: hook implementations taking ``dialect``) and
X's own method, in pluggy's order: ``tryfirst`` implementations, then the newest registered
first, ``trylast`` ones last; X's method (resolved by inheritance along X's class chain down to
the generic SQL of :class:`~whizbang_schema.Dialect`) stands where pluggy has X's plugin, which
is registered ``trylast``. The first answer that is not ``None`` wins. Other dialects are never
asked.

:class:`Decisions` holds, for each decision, a function of the hook's arguments without
``dialect``. With no override for a decision (the usual case) that function *is* the dialect's
bound method: one call, no loop. With overrides it is a small closure that asks each of them
(giving each only the arguments it takes) and falls through to the method when all defer with
``None``. Where pluggy would do more than that (a wrapper around the hook) the call goes
through pluggy's own caller for the subset of plugins that serve X.
"""

from __future__ import annotations

import inspect
import operator
from collections.abc import Callable, Sequence
from typing import Any, Final

from . import hookspecs

__all__ = ["DECISIONS", "Decisions", "decision_parameters", "method_parameters"]

_HOOK_PREFIX: Final = "whizbang_schema_"

_Pick = Callable[[tuple[Any, ...]], tuple[Any, ...]]


def _spec_parameters() -> dict[str, tuple[str, ...]]:
    found = {}
    for name, function in vars(hookspecs).items():
        if name.startswith(_HOOK_PREFIX) and name != "whizbang_schema_dialects":
            params = tuple(inspect.signature(function).parameters)
            assert params[0] == "dialect", name
            found[name[len(_HOOK_PREFIX) :]] = params[1:]
    return found


#: Every decision a dialect makes, by method name, with its parameters (the hook's without
#: ``dialect``), in the order the core passes them.
DECISIONS: Final[dict[str, tuple[str, ...]]] = _spec_parameters()


def decision_parameters(decision: str) -> tuple[str, ...]:
    """The parameters the core passes to ``decision``, in order."""
    return DECISIONS[decision]


def method_parameters(method: Callable[..., Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(positional, required keyword-only)`` parameter names of a bound method."""
    positional: list[str] = []
    keyword_only: list[str] = []
    for parameter in inspect.signature(method).parameters.values():
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            positional.append(parameter.name)
        elif parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            keyword_only.append(parameter.name)
    return tuple(positional), tuple(keyword_only)


def _picker(given: tuple[str, ...], wanted: tuple[str, ...]) -> _Pick | None:
    """A function from ``given`` arguments to the ``wanted`` ones, in ``wanted``'s order;
    ``None`` when they are the same."""
    if wanted == given:
        return None
    positions = [given.index(name) for name in wanted]
    start = positions[0] if positions else 0
    if positions == list(range(start, start + len(positions))):  # also one, or none
        return operator.itemgetter(slice(start, start + len(positions)))
    getter: _Pick = operator.itemgetter(*positions)
    return getter


def _method_call(method: Callable[..., Any], decision: str) -> Callable[..., Any]:
    """``method`` called with the decision's arguments, positionally."""
    params = DECISIONS[decision]
    wanted, _ = method_parameters(method)
    pick = _picker(params, wanted)
    if pick is None:
        return method

    def picked(*args: Any) -> Any:
        return method(*pick(args))

    return picked


def _chain(dialect: str, decision: str, plan: Sequence[Any]) -> Callable[..., Any]:
    """Ask each step of ``plan`` in turn; the first answer that is not ``None`` wins.

    A step is a pluggy ``HookImpl`` of a module plugin (given ``dialect`` and the arguments it
    takes) or the dialect's own method (given the decision's arguments).
    """
    full = ("dialect", *DECISIONS[decision])
    steps: list[tuple[Callable[..., Any], _Pick | None, bool]] = []
    for step in plan:
        if callable(step):
            steps.append((step, None, False))
        else:
            steps.append((step.function, _picker(full, tuple(step.argnames)), True))
    frozen = tuple(steps)

    def first_answer(*args: Any) -> Any:
        every = (dialect, *args)
        for function, pick, takes_dialect in frozen:
            if not takes_dialect:
                result = function(*args)
            else:
                result = function(*every) if pick is None else function(*pick(every))
            if result is not None:
                return result
        return None

    return first_answer


def _through_pluggy(dialect: str, decision: str, caller: Any) -> Callable[..., Any]:
    names = ("dialect", *DECISIONS[decision])

    def call(*args: Any) -> Any:
        return caller(**dict(zip(names, (dialect, *args), strict=True)))

    return call


class Decisions:
    """The decisions of one dialect under one plugin set, each a plain function.

    Built by the registry (:meth:`for_dialect`) or, for a dialect object nobody registered,
    from its methods alone (:meth:`direct`). Attribute names are the decision names.
    """

    def __init__(self, calls: dict[str, Callable[..., Any]], dialect: str = "") -> None:
        for decision in DECISIONS:
            setattr(self, decision, calls[decision])
        #: ``context.hook``, for 0.1 plugins that ask other decisions through the relay.
        self.relay = HookRelay(dialect, self)

    def __getattr__(self, name: str) -> Any:  # only reached for unknown names
        raise AttributeError(f"no decision named {name!r}; decisions: {', '.join(DECISIONS)}")

    @classmethod
    def direct(cls, dialect: object) -> Decisions:
        """The dialect's own methods, with no override plugins."""
        calls = {d: _method_call(getattr(dialect, d), d) for d in DECISIONS}
        return cls(calls, getattr(dialect, "name", ""))

    @classmethod
    def for_dialect(
        cls,
        dialect: object,
        name: str,
        hook_relay: Any,
        dialect_of: Callable[[object], object | None],
        subset: Callable[[str], Any],
    ) -> Decisions:
        """``dialect``'s decisions under the plugins registered in ``hook_relay``.

        The order is pluggy's (``tryfirst``, then newest registered first, ``trylast`` last),
        with ``dialect``'s own method where pluggy has that dialect's plugin (at the end for a
        0.1 module dialect, which has none); other dialects are left out. ``dialect_of(plugin)``
        gives the dialect object a registered plugin stands for (``None`` for a module);
        ``subset(hook_name)`` gives pluggy's caller without the other dialects, used for hooks
        with wrappers.
        """
        calls: dict[str, Callable[..., Any]] = {}
        for decision in DECISIONS:
            hook_name = _HOOK_PREFIX + decision
            impls = getattr(hook_relay, hook_name).get_hookimpls()
            terminal = _method_call(getattr(dialect, decision), decision)
            if any(impl.hookwrapper or impl.wrapper for impl in impls):
                calls[decision] = _through_pluggy(name, decision, subset(hook_name))
                continue
            plan: list[Any] = []
            placed = False
            for impl in reversed(impls):  # pluggy's calling order
                owner = dialect_of(impl.plugin)
                if owner is None:
                    plan.append(impl)
                elif owner is dialect:
                    plan.append(terminal)
                    placed = True
            if not placed:
                plan.append(terminal)
            calls[decision] = terminal if plan == [terminal] else _chain(name, decision, plan)
        return cls(calls, name)


class HookRelay:
    """``context.hook``: the 0.1 way for an implementation to ask another hook, e.g.
    ``context.hook.whizbang_schema_render_index(dialect=..., table=..., ...)``. It answers
    through the context's dialect, like every other call (``dialect`` must be that one)."""

    __slots__ = ("_decisions", "_dialect")

    def __init__(self, dialect: str, decisions: Decisions) -> None:
        self._dialect = dialect
        self._decisions = decisions

    def __getattr__(self, hook_name: str) -> Callable[..., Any]:
        decision = hook_name.removeprefix(_HOOK_PREFIX)
        if decision not in DECISIONS or decision == hook_name:
            raise AttributeError(f"no hook named {hook_name!r}")
        function = getattr(self._decisions, decision)
        params = DECISIONS[decision]
        dialect = self._dialect

        def call(**kwargs: Any) -> Any:
            asked = kwargs.pop("dialect", dialect)
            if asked != dialect:
                raise ValueError(
                    f"this context renders for {dialect!r}; ask {hook_name} of {asked!r} "
                    f"through that dialect's own context"
                )
            return function(*(kwargs[p] for p in params))

        return call
