"""The pluggy markers. A plugin needs only ``from whizbang_schema import hookimpl``."""

from __future__ import annotations

from typing import Final

import pluggy

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

#: The pluggy project name, which is also the entry-point group plugins register under.
PROJECT_NAME: Final = "whizbang_schema"

hookspec: Final = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl: Final = pluggy.HookimplMarker(PROJECT_NAME)
