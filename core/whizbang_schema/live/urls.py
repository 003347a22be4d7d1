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
    "quote_password",
    "redact_url",
    "server_url",
    "url_password",
    "url_secrets",
    "with_database",
]

#: ``scheme://`` at the start of a target; what is not a URL is a path.
URL_SCHEME: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


#: A query parameter (or libpq ``key=value`` setting) whose value is a secret: ``password``,
#: ``sslpassword``, ``passwd``, ``pwd``, ``secret``, ``token`` and their like.
_SECRET_PARAMETER: Final = re.compile(
    r"(?i)(?<![A-Za-z0-9_])([A-Za-z0-9_]*(?:pass|pwd|secret|token)[A-Za-z0-9_]*)="
)
#: ``scheme://user:`` where a password may follow (the user holds no ``: / @``).
_USER_INFO: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:")
#: What is left of a URL in ``%XX`` form: only unreserved characters stay as written.
_UNRESERVED: Final = re.compile(r"%[0-9A-Fa-f]{2}|[A-Za-z0-9._~-]")


def redact_url(url: str) -> str:
    """``url`` (or any message quoting one) with every password replaced by ``***``.

    Hidden are the password of a user-info part, whatever it holds (a raw ``/``, ``@``,
    ``:``, ``%`` or ``#``: it runs to the last ``@`` of the text), and the value of every
    query parameter or ``key=value`` setting named like a secret (``password``,
    ``sslpassword``...: it runs to the next ``&``). Where it cannot be told where a secret
    ends, more is hidden rather than less.
    """
    spans = list(_secret_spans(url))
    if not spans:
        return url
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    shown, last = [], 0
    for start, end in merged:
        shown.append(url[last:start] + "***")
        last = end
    return "".join(shown) + url[last:]


def _secret_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SECRET_PARAMETER.finditer(text):
        end = text.find("&", match.end())
        spans.append((match.end(), len(text) if end < 0 else end))
    user = _USER_INFO.search(text)
    if user is not None:
        end = text.rfind("@", user.end())
        if end >= 0:
            spans.append((user.end(), end))
    return spans


def url_password(target: str) -> str | None:
    """The password in ``target``'s user-info as the driver receives it (percent-decoded),
    if any."""
    try:
        password = urllib.parse.urlsplit(quote_password(target)).password
    except ValueError:  # an unclosed IPv6 bracket: the driver reports it
        return None
    return urllib.parse.unquote(password) if password else None


def url_secrets(target: str) -> tuple[str, ...]:
    """Every secret ``target`` gives the driver, percent-decoded: the user-info password and
    the values of query parameters named like one (``sslpassword``...)."""
    secrets = [url_password(target)]
    query = target.partition("?")[2]
    for match in _SECRET_PARAMETER.finditer(query):
        end = query.find("&", match.end())
        secrets.append(urllib.parse.unquote_plus(query[match.end() : None if end < 0 else end]))
    return tuple(dict.fromkeys(s for s in secrets if s))


def quote_password(target: str) -> str:
    """``target`` with its user-info password percent-encoded, so that a password holding
    ``/ @ : # ?`` or a ``%`` that starts no ``%XX`` reaches the driver whole, not cut into a
    host, a port and a path (which a driver's message would then quote).

    The password runs to the last ``@`` that a path follows (``@host/db``), else to the
    first ``@`` before the path; ``%XX`` is kept as written, as URL rules have it.
    """
    match = URL_SCHEME.match(target)
    if match is None:
        return target
    user = re.match(r"[^:/@?#]*:", target[match.end() :])
    if user is None:
        return target
    start = match.end() + user.end()
    end = target.rfind("@", start)
    if end < 0 or "/" not in target[end:]:
        end = target.find("@", start, _find(target, "/", start))
        if end < 0:
            return target
    password = target[start:end]
    quoted = "".join(
        piece if _UNRESERVED.fullmatch(piece) else urllib.parse.quote(piece, safe="")
        for piece in re.findall(r"%[0-9A-Fa-f]{2}|.", password, re.DOTALL)
    )
    return target[:start] + quoted + target[end:]


def _find(text: str, what: str, start: int) -> int:
    found = text.find(what, start)
    return len(text) if found < 0 else found


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
        parts = urllib.parse.urlsplit(quote_password(target))
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


def with_database(url: str, database: str) -> str:
    """``url`` naming ``database`` on the same server instead of its own (query string,
    user and password kept as written): how a test fixture names the databases it creates."""
    parts = urllib.parse.urlsplit(quote_password(url))
    path = "/" + urllib.parse.quote(database, safe="")
    return urllib.parse.urlunsplit(parts._replace(path=path))
