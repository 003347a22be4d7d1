"""Targets as users write them: the one URL rule for file databases, and passwords kept out of
messages.

A file database is named by a plain path or by a URL with an empty host, as SQLAlchemy spells
them: ``scheme:///relative/path`` (three slashes, relative to the working directory) and
``scheme:////absolute/path`` (four slashes). The path is taken as written (no percent-decoding,
no query string), so any file name a shell can type works. A dialect for an embedded engine
calls :func:`file_database_path` instead of inventing its own rule.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Final

from ..model.errors import DatabaseError

__all__ = ["URL_SCHEME", "file_database_path", "redact_url", "url_password"]

#: ``scheme://`` at the start of a target; what is not a URL is a path.
URL_SCHEME: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages and logs."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


def url_password(target: str) -> str | None:
    """The password in ``target`` as the driver receives it (percent-decoded), if any."""
    try:
        password = urllib.parse.urlsplit(target).password
    except ValueError:  # an unclosed IPv6 bracket: the driver reports it
        return None
    return urllib.parse.unquote(password) if password else None


def file_database_path(target: str, scheme: str, *, engine: str | None = None) -> str:
    """The file ``target`` names: ``scheme:///relative/path`` gives ``relative/path``,
    ``scheme:////absolute/path`` gives ``/absolute/path``, and a target that is not a URL is
    already a path.

    The scheme matches case-insensitively, with an optional ``+driver`` suffix, as
    :func:`~whizbang_schema.dialect_for_target` matches it. ``scheme:///`` gives ``""``: the
    dialect decides what an empty path means (SQLite: an in-memory database). A URL with a
    host (``scheme://name``), or of another scheme, raises
    :class:`~whizbang_schema.DatabaseError` stating the rule; ``engine`` names the engine in
    that message (default: the scheme).
    """
    match = URL_SCHEME.match(target)
    if match is None:
        return target
    label = engine or scheme
    given = match.group(1).lower().split("+", 1)[0]
    rest = target[match.end() :]
    if given != scheme.lower() or not rest.startswith("/"):
        raise DatabaseError(
            f"a {label} URL is {scheme}:///relative/path or {scheme}:////absolute/path, "
            f"got {redact_url(target)!r}"
        )
    return rest[1:]
