"""The rendering hooks, resolved once per plugin set so that calling them is cheap.

Rendering one table asks the ``firstresult`` hooks dozens of times (a quote, a type, a default
and a column definition per column; a statement per index). Through pluggy's generic caller
each call builds a keyword dict, checks it against the specification, copies the list of
implementations and collects results in a list: profiling the cold render showed that
bookkeeping costing more than the implementations themselves.

:func:`first_result` does the same call with the bookkeeping done in advance: it keeps the
implementations in pluggy's calling order (newest first; ``tryfirst`` before the others,
``trylast`` after) with, for each, which of the hook's arguments it takes, and returns the
first answer that is not ``None``, which is what pluggy does for a ``firstresult`` hook. Where
pluggy would do more than that (a wrapper or an old-style hookwrapper around the hook, or an
implementation with keyword-only arguments) it hands the call to pluggy unchanged. A
:class:`RenderHooks` belongs to one registry generation: registering or removing a plugin
builds a new one, so an override registered at any time takes effect on the next render.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

__all__ = ["RenderHooks", "first_result"]

_Pick = Callable[[tuple[Any, ...]], tuple[Any, ...]]


def _picker(spec: tuple[str, ...], wanted: tuple[str, ...]) -> _Pick | None:
    """A function from the hook's arguments (in specification order) to those one
    implementation takes, in its order; ``None`` when it takes them all, in order."""
    if wanted == spec:
        return None
    positions = [spec.index(name) for name in wanted]
    start = positions[0] if positions else 0
    if positions == list(range(start, start + len(positions))):  # also one, or none
        return operator.itemgetter(slice(start, start + len(positions)))
    getter: _Pick = operator.itemgetter(*positions)
    return getter


def first_result(caller: Any, names: tuple[str, ...]) -> Callable[..., Any]:
    """A function calling the ``firstresult`` hook ``caller`` with the specification's
    arguments, positionally. (A closure rather than an object with ``__call__``: in the
    profile, the call itself was a tenth of the hook's cost.)"""
    spec = caller.spec
    if spec is None or not spec.opts.get("firstresult"):
        raise TypeError(f"{caller.name} is not a firstresult hook")
    if tuple(spec.argnames) != names:
        raise TypeError(f"{caller.name} takes {spec.argnames}, not {names}")
    impls = caller.get_hookimpls()
    if any(impl.hookwrapper or impl.wrapper or getattr(impl, "kwargnames", ()) for impl in impls):

        def through_pluggy(*args: Any) -> Any:
            return caller(**dict(zip(names, args, strict=True)))

        call = through_pluggy
    else:
        plan = tuple(
            (impl.function, _picker(names, tuple(impl.argnames))) for impl in reversed(impls)
        )

        def first_answer(*args: Any) -> Any:
            for function, pick in plan:
                result = function(*args) if pick is None else function(*pick(args))
                if result is not None:
                    return result
            return None

        call = first_answer
    call.__name__ = call.__qualname__ = caller.name
    return call


class RenderHooks:
    """The rendering hooks of one plugin set, each a :func:`first_result` function.

    Arguments are positional, in the order of :mod:`whizbang_schema.hookspecs`, which is
    checked here: a specification that changes its parameters fails loudly, not silently.
    """

    __slots__ = (
        "quote_identifier",
        "relay",
        "render_column",
        "render_create_schema",
        "render_create_table",
        "render_default",
        "render_index",
        "render_literal",
        "render_type",
    )

    def __init__(self, relay: Any) -> None:
        #: pluggy's hook relay, for the hooks that are not on the rendering path.
        self.relay = relay

        def hook(name: str, *names: str) -> Callable[..., Any]:
            return first_result(getattr(relay, "whizbang_schema_" + name), names)

        self.quote_identifier = hook("quote_identifier", "dialect", "name", "context")
        self.render_type = hook("render_type", "dialect", "column", "table", "context")
        self.render_default = hook(
            "render_default", "dialect", "column", "default", "table", "context"
        )
        self.render_literal = hook("render_literal", "dialect", "column", "value", "context")
        self.render_column = hook("render_column", "dialect", "column", "table", "context")
        self.render_create_table = hook("render_create_table", "dialect", "table", "context")
        self.render_index = hook("render_index", "dialect", "table", "index", "context")
        self.render_create_schema = hook("render_create_schema", "dialect", "schema", "context")
