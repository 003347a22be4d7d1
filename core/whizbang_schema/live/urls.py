"""Targets as users write them: the one URL rule for file databases, the parts of a server's
URL, and passwords kept out of messages.

A file database is named by a plain path or by a URL with an empty host, as SQLAlchemy spells
them: ``scheme:///relative/path`` (three slashes, relative to the working directory) and
``scheme:////absolute/path`` (four slashes). The path is taken as written (no percent-decoding,
no query string), so any file name a shell can type works. A dialect for an embedded engine
calls :func:`file_database_path` instead of inventing its own rule; one whose driver takes the
address in parts (host, port, user...) rather than a URL calls :func:`server_url`.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from typing import Final

import attrs

from ..model.errors import DatabaseError

__all__ = [
    "URL_SCHEME",
    "ServerURL",
    "file_database_path",
    "redact_url",
    "server_url",
    "url_password",
]

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


@attrs.frozen
class ServerURL:
    """The parts of ``scheme://user:password@host:port/database``, percent-decoded; ``None``
    where the URL leaves a part out, so the dialect applies its engine's default."""

    host: str | None
    port: int | None
    user: str | None
    password: str | None
    database: str


def server_url(target: str, schemes: Sequence[str], *, engine: str) -> ServerURL:
    """The parts of a server URL whose scheme is one of ``schemes`` (with an optional
    ``+driver`` suffix) and which names a database.

    A URL that cannot be parsed or lacks either raises :class:`~whizbang_schema.DatabaseError`
    showing the expected form with ``schemes[0]``. A port that is not a number raises
    ``ValueError`` when read, as the driver would; :class:`~whizbang_schema.DBAPIDatabase`
    reports it as a failure to connect.
    """
    try:
        parts = urllib.parse.urlsplit(target)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        raise DatabaseError(f"{redact_url(target)} is not a valid URL: {exc}") from None
    database = urllib.parse.unquote(parts.path.lstrip("/"))
    if parts.scheme.lower().split("+", 1)[0] not in schemes or not database:
        raise DatabaseError(
            f"a {engine} URL is {schemes[0]}://user:password@host:port/database, "
            f"got {redact_url(target)}"
        )
    return ServerURL(
        host=parts.hostname,
        port=parts.port,
        user=urllib.parse.unquote(parts.username) if parts.username else None,
        password=urllib.parse.unquote(parts.password) if parts.password else None,
        database=database,
    )
