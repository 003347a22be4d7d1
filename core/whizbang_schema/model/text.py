"""What can reach an engine as text: the one check names, string defaults and the prefix share."""

from __future__ import annotations

import re

__all__ = ["check_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(value: str) -> str | None:
    """Return why ``value`` cannot be sent to an engine as text, or ``None`` if it can."""
    if "\x00" in value:
        return "cannot contain NUL (no engine stores it in text)"
    surrogate = _SURROGATE.search(value)
    if surrogate:
        return (
            f"cannot contain the lone surrogate U+{ord(surrogate.group()):04X} (it cannot be "
            f"encoded, so no driver can send it)"
        )
    return None
