"""How a dialect describes itself: its name, what its engine can do, and its options.

A dialect is mostly data. The rendering pipeline reads these descriptions (identifier limits,
reserved words, quote characters, partial-index support...) instead of asking each dialect to
re-implement the same decisions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs

from .constraints import ForeignKeyAction
from .errors import OptionError

__all__ = ["Capabilities", "DialectInfo", "DialectOption", "OptionValue"]

OptionValue = str | bool | int

_DIALECT_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")

#: The default ``Capabilities.bare_identifier``: lower case ASCII letters, digits, underscores.
PLAIN_BARE_IDENTIFIER = r"[a-z_][a-z0-9_]*"


def _lower_words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _options(values: Iterable[DialectOption]) -> tuple[DialectOption, ...]:
    return tuple(values)


@attrs.frozen(slots=True)
class Capabilities:
    """What an engine accepts, as far as rendering is concerned.

    ``max_identifier_bytes`` counts UTF-8 bytes (PostgreSQL: 63); ``max_identifier_chars``
    counts characters as UTF-16 does (SQL Server: 128, its names being ``nvarchar(128)``), so a
    character outside the Basic Multilingual Plane counts two. ``None`` means no limit.
    ``reserved_words`` are compared case-insensitively; a name that is one is always quoted.
    ``bare_identifier`` is a regular expression for names that may stay unquoted (when not
    reserved): by default lower case ASCII letters, digits and underscores, which every engine
    reads back unchanged.
    """

    partial_indexes: bool
    transactional_ddl: bool
    max_identifier_bytes: int | None = None
    max_identifier_chars: int | None = None
    reserved_words: frozenset[str] = attrs.field(default=frozenset(), converter=_lower_words)
    quote_start: str = '"'
    quote_end: str = '"'
    bare_identifier: str = PLAIN_BARE_IDENTIFIER
    #: Whether schemas are created with ``CREATE SCHEMA`` (SQLite's are attached databases).
    create_schema: bool = True
    default_schema: str | None = None
    #: Whether a schema lives inside a database, so that a copy of a database holds its
    #: schemas' tables (PostgreSQL, SQL Server); not where a schema is a database of its own
    #: (MySQL, MariaDB) or an attached file (SQLite): test databases refuse ``schema=`` there.
    schemas_in_database: bool = True
    #: The most columns one index, primary key or unique constraint may have.
    max_index_columns: int | None = None
    #: The most columns one table may have.
    max_columns: int | None = None
    #: SQLite writes ``CREATE INDEX schema.index ON table``; most engines ``ON schema.table``.
    schema_qualified_index_names: bool = False
    #: SQL Server names each DEFAULT (``<table>_<column>_default``), a schema-wide object
    #: whose name must not collide with another table's keys, indexes or defaults.
    named_defaults: bool = False
    #: Whether ``ALTER TABLE ... ADD CONSTRAINT`` adds a foreign key or CHECK to an existing
    #: table (SQLite cannot: its constraints are declared in CREATE TABLE only).
    add_constraint: bool = True
    #: The ON DELETE / ON UPDATE actions the engine accepts (SQL Server has no RESTRICT,
    #: InnoDB refuses SET DEFAULT); any other is refused before rendering.
    foreign_key_actions: frozenset[ForeignKeyAction] = frozenset(ForeignKeyAction)


@attrs.frozen(slots=True)
class DialectOption:
    """A setting a dialect accepts, such as SQLite's UUID representation.

    ``choices`` limits a string option to those values; a bool ``default`` makes a flag.
    """

    name: str
    default: OptionValue
    description: str
    choices: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def check(self, dialect: str, value: object) -> OptionValue:
        """Return ``value`` if this option accepts it; raise :class:`OptionError` if not."""
        if isinstance(self.default, bool):
            if not isinstance(value, bool):
                raise OptionError(
                    f"{dialect}: option {self.name!r} is a flag (true or false), got {value!r}"
                )
        elif self.choices:
            if value not in self.choices:
                raise OptionError(
                    f"{dialect}: option {self.name!r} must be one of "
                    f"{', '.join(self.choices)}; got {value!r}"
                )
        elif not isinstance(value, type(self.default)) or isinstance(value, bool):
            raise OptionError(
                f"{dialect}: option {self.name!r} takes a {type(self.default).__name__}, "
                f"got {value!r}"
            )
        assert isinstance(value, (str, bool, int))
        return value


@attrs.frozen(slots=True)
class DialectInfo:
    """A dialect's description, returned by ``whizbang_schema_dialects`` hooks.

    ``distribution`` and ``version`` name the installed package that provides the dialect; the
    registry fills them in from the entry point, so plugins leave them unset.
    ``url_schemes`` are the URL schemes (``postgresql``) that ``apply --url`` maps to it.
    """

    name: str = attrs.field()
    description: str
    capabilities: Capabilities
    options: tuple[DialectOption, ...] = attrs.field(default=(), converter=_options)
    url_schemes: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    distribution: str | None = None
    version: str | None = None

    @name.validator
    def _check_name(self, attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not _DIALECT_NAME.match(value):
            raise ValueError(
                f"a dialect name must be lower-case letters, digits and underscores, got {value!r}"
            )

    def resolve_options(self, given: Mapping[str, object]) -> tuple[tuple[str, OptionValue], ...]:
        """Check ``given`` against this dialect's options and fill in defaults.

        Returns sorted ``(name, value)`` pairs, hashable so rendering can be cached on them.
        """
        known = {option.name: option for option in self.options}
        unknown = sorted(set(given) - set(known))
        if unknown:
            listed = ", ".join(sorted(known)) if known else "none"
            raise OptionError(
                f"{self.name}: unknown option {unknown[0]!r}; this dialect's options: {listed}"
            )
        return tuple(
            (name, option.check(self.name, given[name]) if name in given else option.default)
            for name, option in sorted(known.items())
        )
