"""Databases for tests: a SQLite database is a file, so a copy of a template is a file
written through the backup API (page by page, consistent even while another connection
reads the template) and dropping it deletes the file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import urllib.parse

from whizbang_schema import DatabaseError

from .live import database_path


def _directory(url: str) -> str:
    """Where databases beside ``url`` go: its file's directory, or the system's temporary
    directory when it names no file (``sqlite://``, an in-memory database)."""
    path = database_path(url) if url not in ("sqlite://", "") else ":memory:"
    if path == ":memory:":
        return tempfile.gettempdir()
    return os.path.dirname(os.path.abspath(path))


def _read_only_uri(path: str) -> str:
    # Quoted: '#', '?' and '%' in a directory's name are not the URI's fragment, query or
    # escapes (unquoted, SQLite would open, even create, another file).
    return "file:" + urllib.parse.quote(os.fsencode(os.path.abspath(path))) + "?mode=ro"


def create_database(url: str, name: str, template: str | None) -> str:
    directory = _directory(url)
    if not os.path.isdir(directory):
        raise DatabaseError(f"SQLite: cannot create databases in {directory!r}: it does not exist")
    path = os.path.join(directory, f"{name}.sqlite3")
    if os.path.exists(path):
        raise DatabaseError(f"SQLite: cannot create {path!r}: the file exists")
    try:
        target = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise DatabaseError(f"SQLite: cannot create {path!r}: {exc}") from None
    try:
        if template is not None:
            source = sqlite3.connect(_read_only_uri(database_path(template)), uri=True)
            try:
                source.backup(target)
            finally:
                source.close()
    except sqlite3.Error as exc:
        target.close()
        drop_database("sqlite:///" + path)  # no half-made copy left behind
        raise DatabaseError(f"SQLite: cannot copy {template!r} to {path!r}: {exc}") from None
    finally:
        target.close()
    return "sqlite:///" + path


def drop_database(url: str) -> bool:
    path = database_path(url)
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)
    return True
