"""Check rendered T-SQL against SQL Server's documented rules, without a server.

SQL Server cannot run everywhere the tests run, so its output is held to these checks, which
read the rendered text (not the definitions) and so catch a renderer that is wrong about a
rule rather than repeat it. Each rule names its source in the SQL Server documentation:

1. There is no ``CREATE TABLE/INDEX ... IF NOT EXISTS``; every CREATE TABLE is guarded by
   ``IF OBJECT_ID(N'<table>', N'U') IS NULL`` and every CREATE INDEX by a ``sys.indexes``
   lookup of the same index on the same table; ``CREATE SCHEMA`` appears only inside ``EXEC``
   (it must be alone in its batch).
2. Identifiers are at most 128 characters.
3. Every DEFAULT is named (``CONSTRAINT name DEFAULT``) and every column says NULL or NOT NULL.
4. T-SQL has no TRUE/FALSE literals.
5. Index, primary-key and unique keys: at most 32 columns, no ``(max)`` or ``json`` column, and
   at most 900 bytes for the (clustered) primary key, 1,700 for other keys (NVARCHAR(n) takes
   2n bytes, VARBINARY(n) n, DECIMAL(p, s) 5, 9, 13 or 17 for p up to 9, 19, 28 and 38,
   "decimal and numeric"; DATE 3, FLOAT 8, "Data types").
6. A filtered index predicate is AND-ed conjuncts ``column <op> constant``,
   ``column IS [NOT] NULL`` or ``column IN (constant, ...)``.
7. Each filter constant has its column's type ("Create filtered indexes", limitations: a
   conversion of the column is an error): strings for NVARCHAR, UNIQUEIDENTIFIER and
   DATETIMEOFFSET, 0 or 1 for BIT, integers within the column's range for INT, SMALLINT and
   BIGINT, where one beyond 2,147,483,647 (a DECIMAL constant, "Constants") is written
   ``CONVERT(BIGINT, n)``.
8. A row's fixed-size part (fixed-size columns, BIT columns eight to a byte, the null bitmap
   of ``2 + (columns + 7) // 8`` bytes and a 4-byte header, "Estimate the size of a heap")
   fits in 8,060 bytes ("Maximum capacity specifications for SQL Server").
9. ``ALTER TABLE ... ADD`` of a nullable column with a DEFAULT says ``WITH VALUES`` ("ALTER
   TABLE", column_definition), or existing rows stay NULL where other engines fill them.
10. A script (:func:`check_script`) first sets ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS,
    ARITHABORT, CONCAT_NULL_YIELDS_NULL and QUOTED_IDENTIFIER ON and NUMERIC_ROUNDABORT OFF
    ("CREATE INDEX", required SET options; ``sqlcmd`` runs with QUOTED_IDENTIFIER OFF without
    ``-I``, "sqlcmd utility"), and ends every batch with ``GO``; a statement never holds GO.
12. A foreign key's actions are NO ACTION, CASCADE, SET NULL or SET DEFAULT (there is no
    RESTRICT: "CREATE TABLE", table_constraint); its columns have key types (no ``(max)``);
    it references a table created before it, by that table's primary key or one of its UNIQUE
    constraints ("Primary and foreign key constraints": a filtered unique index cannot be
    referenced).
13. ``ALTER TABLE ... ADD CONSTRAINT`` of a foreign key or CHECK (added once both tables exist,
    or to an existing table) is guarded by ``IF OBJECT_ID(N'<schema>.<constraint>') IS NULL``:
    there is no ADD ... IF NOT EXISTS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from whizbang_schema import Statement

__all__ = ["check_script", "check_statements"]

_TOKEN = re.compile(
    r"""
    \s+
    | (?P<bracket>\[(?:[^\]]|\]\])*\])
    | (?P<string>N?'(?:[^']|'')*')
    | (?P<number>\d+(?:\.\d+)?)
    | (?P<word>[A-Za-z_@#][A-Za-z0-9_@#$]*)
    | (?P<op><>|!=|>=|<=|!<|!>|[=<>(),.;&|^~+\-*/%])
    """,
    re.VERBOSE,
)

_WIDTHS = {
    "UNIQUEIDENTIFIER": 16,
    "DATETIMEOFFSET": 10,
    "BIGINT": 8,
    "INT": 4,
    "SMALLINT": 2,
    "BIT": 1,
    "DATE": 3,
    "FLOAT": 8,
}
_DECIMAL = re.compile(r"(?:DECIMAL|NUMERIC)\((\d+),(\d+)\)")
_COMPARISONS = {"=", "<>", "!=", ">", ">=", "!>", "<", "<=", "!<"}
_INTEGERS = {"INT": 2**31, "SMALLINT": 2**15, "BIGINT": 2**63}  # -n <= value < n
_INT_CONSTANT_MAX = 2**31 - 1  # beyond, an integer constant is DECIMAL
_MAX_ROW = 8060
_ON = ("ANSI_NULLS", "ANSI_PADDING", "ANSI_WARNINGS", "ARITHABORT", "CONCAT_NULL_YIELDS_NULL")
_REQUIRED_ON = frozenset((*_ON, "QUOTED_IDENTIFIER"))


def _tokens(sql: str) -> list[str]:
    out: list[str] = []
    pos = 0
    while pos < len(sql):
        match = _TOKEN.match(sql, pos)
        if match is None:
            raise ValueError(f"cannot read T-SQL at {sql[pos : pos + 20]!r}")
        pos = match.end()
        if match.lastgroup:
            out.append(match.group())
    return out


def _name(token: str) -> str:
    return token[1:-1].replace("]]", "]") if token.startswith("[") else token


def _qualified(tokens: list[str], at: int) -> tuple[str, int]:
    """Read ``a.b`` or ``a`` at ``at``; return the last part and the next position."""
    name = _name(tokens[at])
    at += 1
    while at + 1 < len(tokens) and tokens[at] == ".":
        name = _name(tokens[at + 1])
        at += 2
    return name, at


def _literal_name(literal: str) -> str:
    """The last part of a name held in an N'...' literal, e.g. N'dbo.[x]' -> x."""
    text = literal[2:-1].replace("''", "'")
    return _qualified(_tokens(text), 0)[0]


def _split_top(tokens: list[str]) -> list[list[str]]:
    """Split a parenthesised list's contents on top-level commas."""
    parts: list[list[str]] = [[]]
    depth = 0
    for token in tokens:
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        if token == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _closing(tokens: list[str], at: int) -> int:
    """Position of the parenthesis closing the one at ``at``."""
    depth = 0
    for i in range(at, len(tokens)):
        if tokens[i] == "(":
            depth += 1
        elif tokens[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parentheses")


def _width(sql_type: str) -> int | None:
    """Bytes of a key column of ``sql_type``; None for a type that cannot be a key."""
    upper = sql_type.upper()
    match = re.fullmatch(r"NVARCHAR\((\d+)\)", upper)
    if match:
        return 2 * int(match.group(1))
    match = re.fullmatch(r"VARBINARY\((\d+)\)", upper)
    if match:
        return int(match.group(1))
    return _fixed_width(upper)


def _fixed_width(upper: str) -> int | None:
    """Bytes of a fixed-size column of ``upper`` (a type in capitals), or None."""
    match = _DECIMAL.fullmatch(upper)
    if match:
        precision = int(match.group(1))
        return next(
            size for digits, size in ((9, 5), (19, 9), (28, 13), (38, 17)) if precision <= digits
        )
    return _WIDTHS.get(upper)


def _constant(tok: list[str]) -> tuple[str, str] | None:
    """``(kind, value)`` of a constant: ``("string", text)``, ``("number", digits)`` or
    ``("typed <TYPE>", digits)`` for ``CONVERT(<TYPE>, n)``; ``None`` if it is none."""
    upper = [t.upper() for t in tok]
    if len(tok) >= 6 and upper[:2] == ["CONVERT", "("] and upper[3] == "," and upper[-1] == ")":
        inner = _constant(tok[4:-1])
        if inner is None or inner[0] != "number":
            return None
        return f"typed {_name(tok[2]).upper()}", inner[1]
    sign = ""
    if len(tok) == 2 and tok[0] == "-":
        sign, tok = "-", tok[1:]
    if len(tok) != 1:
        return None
    if tok[0][0].isdigit():
        return "number", sign + tok[0]
    if tok[0].startswith(("N'", "'")) and not sign:
        return "string", tok[0]
    return None


def _constant_problem(tok: list[str], sql_type: str) -> str | None:
    """Why ``tok`` is not a constant of ``sql_type`` (rule 7), or ``None``."""
    found = _constant(tok)
    if found is None:
        return "not a constant"
    kind, value = found
    upper = sql_type.upper()
    if upper.startswith("NVARCHAR") or upper in ("UNIQUEIDENTIFIER", "DATETIMEOFFSET", "JSON"):
        return None if kind == "string" else f"{value} is not a {upper} constant"
    if upper == "BIT":
        return None if kind == "number" and value in ("0", "1") else f"{value} is not 0 or 1"
    bound = _INTEGERS.get(upper)
    if bound is None or kind == "string" or "." in value:
        return f"{value} is not a {upper} constant"
    number = int(value)
    if not -bound <= number < bound:
        return f"{value} is outside {upper}'s range"
    if kind == "number" and abs(number) > _INT_CONSTANT_MAX:
        return f"{value} is a DECIMAL constant: the {upper} column would be converted"
    if kind.startswith("typed ") and kind[6:] != upper:
        return f"{value} is typed {kind[6:]}, not {upper}"
    return None


def _filter_problems(tokens: list[str], columns: dict[str, str]) -> list[str]:
    conjuncts: list[list[str]] = [[]]
    for token in tokens:
        if token.upper() == "AND":
            conjuncts.append([])
        else:
            conjuncts[-1].append(token)
    problems = []
    for part in conjuncts:
        if not part or _name(part[0]) not in columns:
            return ["the filter predicate is not one SQL Server accepts (rule 6)"]
        sql_type = columns[_name(part[0])]
        rest = [t.upper() for t in part[1:]]
        if rest in (["IS", "NULL"], ["IS", "NOT", "NULL"]):
            continue
        if rest and rest[0] in _COMPARISONS and _constant(part[2:]) is not None:
            constants = [part[2:]]
        elif rest[:2] == ["IN", "("] and rest[-1] == ")":
            constants = _split_top(part[3:-1])
            if not constants or any(_constant(item) is None for item in constants):
                return ["the filter predicate is not one SQL Server accepts (rule 6)"]
        else:
            return ["the filter predicate is not one SQL Server accepts (rule 6)"]
        for constant in constants:
            problem = _constant_problem(constant, sql_type)
            if problem is not None:
                problems.append(f"filter on {_name(part[0])!r}: {problem} (rule 7)")
    return problems


def _row_problem(columns: dict[str, str]) -> str | None:
    fixed = sum(_fixed_width(t.upper()) or 0 for t in columns.values() if t.upper() != "BIT")
    fixed += (sum(1 for t in columns.values() if t.upper() == "BIT") + 7) // 8
    row = fixed + 2 + (len(columns) + 7) // 8 + 4
    if row > _MAX_ROW:
        return f"a row takes at least {row} bytes, over {_MAX_ROW} (rule 8)"
    return None


def check_script(script: str) -> list[str]:
    """Return every rule (10) a rendered script breaks: the SET options first, each batch
    closed by ``GO`` on its own line."""
    problems: list[str] = []
    lines = [line for line in script.split("\n") if not line.startswith("--")]
    batches = "\n".join(lines).split("\nGO\n")
    head = _tokens(batches[0]) if batches else []
    upper = [t.upper() for t in head]
    on: set[str] = set()
    off: set[str] = set()
    for statement in " ".join(upper).split(";"):
        words = statement.replace(",", " ").split()
        if words[:1] == ["SET"] and words[-1] in ("ON", "OFF"):
            (on if words[-1] == "ON" else off).update(words[1:-1])
    if not on >= _REQUIRED_ON or "NUMERIC_ROUNDABORT" not in off or on & off:
        problems.append("the script does not begin with the SET options filtered indexes need")
    if not script.endswith("\nGO\n"):
        problems.append("the script's last batch is not closed by GO")
    for batch in batches[1:]:
        if re.search(r"^\s*GO\s*$", batch, re.MULTILINE | re.IGNORECASE):
            problems.append("GO inside a batch")
    return problems


def check_statements(statements: Iterable[Statement]) -> list[str]:
    """Return every rule the statements break (empty when they follow them all)."""
    problems: list[str] = []
    tables: dict[str, dict[str, str]] = {}  # table -> column -> type
    keys: dict[str, list[tuple[str, ...]]] = {}  # table -> its primary and UNIQUE keys
    for statement in statements:
        try:
            problems.extend(_check(statement, tables, keys))
        except (ValueError, IndexError) as exc:
            problems.append(f"{statement.name}: unreadable T-SQL ({exc})")
    return problems


def _change_problems(name: str, words: list[str]) -> list[str]:
    """Rule 11, a migration plan's ALTER TABLE ("ALTER TABLE"): ALTER COLUMN says NULL or NOT
    NULL (without it the column becomes nullable), a DEFAULT is added as a named constraint
    FOR its column, and nothing else is altered than columns and constraints."""
    if words[:2] == ["ALTER", "COLUMN"]:
        if words[-1] != "NULL":
            return [f"{name}: ALTER COLUMN does not say NULL or NOT NULL (rule 11)"]
        return []
    if words[0] == "DROP":
        if words[1] not in ("CONSTRAINT", "COLUMN"):
            return [f"{name}: ALTER TABLE DROP of something else than a constraint or column"]
        return []
    if "DEFAULT" in words and "FOR" not in words:
        return [f"{name}: a DEFAULT constraint without FOR column (rule 11)"]
    if "DEFAULT" not in words and "UNIQUE" not in words:
        return [f"{name}: ADD CONSTRAINT of neither a DEFAULT nor a UNIQUE key"]
    return []


def _foreign_key_problems(
    name: str,
    element: list[str],
    columns: dict[str, str],
    tables: dict[str, dict[str, str]],
    keys: dict[str, list[tuple[str, ...]]],
) -> list[str]:
    """Rule 12 for one ``CONSTRAINT n FOREIGN KEY (..) REFERENCES t (..) [ON ...]``."""
    words = [t.upper() for t in element]
    problems = []
    if "RESTRICT" in words:
        problems.append(f"{name}: SQL Server has no RESTRICT action (rule 12)")
    start = words.index("FOREIGN") + 2
    end = _closing(element, start)
    cols = [_name(part[0]) for part in _split_top(element[start + 1 : end])]
    for column in cols:
        sql_type = columns.get(column)
        if sql_type is None:
            problems.append(f"{name}: foreign key names unknown column {column!r}")
        elif _width(sql_type) is None:
            problems.append(f"{name}: foreign key column {column!r} is {sql_type} (rule 12)")
    referenced, at = _qualified(element, words.index("REFERENCES") + 1)
    refs = tuple(_name(part[0]) for part in _split_top(element[at + 1 : _closing(element, at)]))
    if referenced not in tables:
        problems.append(f"{name}: references {referenced!r}, not created before it (rule 12)")
    elif refs not in keys.get(referenced, []):
        problems.append(
            f"{name}: references ({', '.join(refs)}) of {referenced!r}, not its primary key or "
            f"a UNIQUE constraint (rule 12)"
        )
    return problems


def _check(
    statement: Statement,
    tables: dict[str, dict[str, str]],
    keys: dict[str, list[tuple[str, ...]]],
) -> list[str]:
    problems: list[str] = []
    name = statement.name
    tokens = _tokens(statement.sql)
    upper = [t.upper() for t in tokens]
    if upper[:3] == ["IF", "OBJECT_ID", "("] and "ALTER" in upper:
        alter = upper.index("ALTER")
        if upper[alter - 2 : alter] != ["IS", "NULL"] or _literal_name(tokens[3]) != name:
            problems.append(f"{name}: ADD CONSTRAINT without an OBJECT_ID guard (rule 13)")
        tokens, upper = tokens[alter:], upper[alter:]
        table, at = _qualified(tokens, 2)
        if upper[at : at + 2] != ["ADD", "CONSTRAINT"]:
            return [*problems, f"{name}: a guarded ALTER TABLE other than ADD CONSTRAINT"]
        if upper[at + 3] == "FOREIGN":
            problems.extend(
                _foreign_key_problems(name, tokens[at + 1 :], tables.get(table, {}), tables, keys)
            )
        return problems
    for token in tokens:
        if token.startswith("[") and len(_name(token)) > 128:
            problems.append(f"{name}: identifier longer than 128 characters (rule 2)")
    for i, token in enumerate(upper):
        if token in ("TRUE", "FALSE"):
            problems.append(f"{name}: T-SQL has no {token} literal (rule 4)")
        if token == "CREATE" and i + 1 < len(upper) and upper[i + 1] == "SCHEMA":
            problems.append(f"{name}: CREATE SCHEMA outside EXEC (rule 1)")
        if token == "IF" and upper[i + 1 : i + 3] == ["NOT", "EXISTS"] and upper[i + 3] != "(":
            problems.append(f"{name}: IF NOT EXISTS is not T-SQL DDL syntax (rule 1)")
    if "GO" in upper:
        problems.append(f"{name}: GO is the client tools' batch separator, not T-SQL (rule 10)")
    if upper[:2] == ["ALTER", "TABLE"]:
        table, at = _qualified(tokens, 2)
        if upper[at : at + 2] == ["ADD", "CONSTRAINT"] and upper[at + 3] in ("FOREIGN", "CHECK"):
            return [*problems, f"{name}: ADD CONSTRAINT without an OBJECT_ID guard (rule 13)"]
        if upper[at] in ("ALTER", "DROP") or upper[at : at + 2] == ["ADD", "CONSTRAINT"]:
            return [*problems, *_change_problems(name, upper[at:])]
        if upper[at] != "ADD":
            return [*problems, f"{name}: an ALTER TABLE other than ADD"]
        words = upper[at + 1 :]
        nullable = "NULL" in words and words[words.index("NULL") - 1] != "NOT"
        if "DEFAULT" in words:
            if words[words.index("DEFAULT") - 2] != "CONSTRAINT":
                problems.append(f"{name}: the added column has an unnamed DEFAULT (rule 3)")
            filled = words[words.index("DEFAULT") + 1] != "NULL"
            if nullable and filled and words[-2:] != ["WITH", "VALUES"]:
                problems.append(
                    f"{name}: a nullable column added with a DEFAULT needs WITH VALUES (rule 9)"
                )
        if "NULL" not in words:
            problems.append(f"{name}: the added column does not say NULL or NOT NULL (rule 3)")
        return problems
    if upper[:2] == ["DROP", "INDEX"]:
        if "ON" not in upper:
            problems.append(f"{name}: DROP INDEX without ON table is deprecated syntax (rule 11)")
        return problems
    if upper[:2] == ["EXEC", "SP_RENAME"]:
        return problems
    if "CREATE" not in upper:
        if not (upper[:2] == ["IF", "SCHEMA_ID"] and "EXEC" in upper):
            problems.append(f"{name}: neither a guarded CREATE nor a schema creation (rule 1)")
        return problems
    create = upper.index("CREATE")
    head = upper[:create]
    if upper[create + 1] == "TABLE":
        if head[:3] != ["IF", "OBJECT_ID", "("] or head[-2:] != ["IS", "NULL"]:
            problems.append(f"{name}: CREATE TABLE without an OBJECT_ID guard (rule 1)")
        elif _literal_name(tokens[3]) != name or tokens[5].upper() != "N'U'":
            problems.append(f"{name}: the OBJECT_ID guard checks another object (rule 1)")
        table, at = _qualified(tokens, create + 2)
        end = _closing(tokens, at)
        columns: dict[str, str] = {}
        tables[table] = columns  # filled below; a foreign key may reference its own table
        for element in _split_top(tokens[at + 1 : end]):
            words = [t.upper() for t in element]
            if words[0] == "CONSTRAINT" and words[2] == "FOREIGN":
                problems.extend(_foreign_key_problems(name, element, columns, tables, keys))
                continue
            if words[0] == "CONSTRAINT" and words[2] == "CHECK":
                continue  # any expression; TRUE/FALSE are caught above (rule 4)
            if words[0] == "CONSTRAINT":
                kind = words[2]
                inner = element[element.index("(") + 1 : -1]
                keys.setdefault(table, []).append(tuple(_name(p[0]) for p in _split_top(inner)))
                cols = [_name(part[0]) for part in _split_top(inner)]
                limit = 900 if kind == "PRIMARY" else 1700
                problems.extend(_key_problems(name, f"{kind} constraint", cols, columns, limit))
                continue
            column = _name(element[0])
            sql_type = (
                "".join(element[1 : _closing(element, 2) + 1])
                if element[2:3] == ["("]
                else element[1]
            )
            columns[column] = sql_type
            if "DEFAULT" in words and words[words.index("DEFAULT") - 2] != "CONSTRAINT":
                problems.append(f"{name}: column {column!r} has an unnamed DEFAULT (rule 3)")
            if words[-1] != "NULL":
                problems.append(f"{name}: column {column!r} does not say NULL or NOT NULL (rule 3)")
        tables[table] = columns
        row = _row_problem(columns)
        if row is not None:
            problems.append(f"{name}: {row}")
    elif "INDEX" in upper[create + 1 : create + 3]:
        at = upper.index("INDEX", create) + 1
        index, at = _qualified(tokens, at)
        table, at = _qualified(tokens, at + 1)
        if head[:4] != ["IF", "NOT", "EXISTS", "("] or "SYS" not in head or "INDEXES" not in head:
            problems.append(f"{name}: CREATE INDEX without a sys.indexes guard (rule 1)")
        else:
            literals = [t for t in tokens[:create] if t.startswith("N'")]
            if (
                len(literals) != 2
                or literals[0][2:-1].replace("''", "'") != index
                or _literal_name(literals[1]) != table
            ):
                problems.append(f"{name}: the sys.indexes guard checks another index (rule 1)")
        end = _closing(tokens, at)
        cols = [_name(part[0]) for part in _split_top(tokens[at + 1 : end])]
        columns = tables.get(table, {})
        problems.extend(_key_problems(name, "index", cols, columns, 1700))
        if "WHERE" in upper[end:]:
            where = tokens[upper.index("WHERE", end) + 1 :]
            problems.extend(f"{name}: {p}" for p in _filter_problems(where, columns))
    return problems


def _key_problems(
    name: str, what: str, cols: list[str], columns: dict[str, str], limit: int
) -> list[str]:
    problems = []
    if len(cols) > 32:
        problems.append(f"{name}: {what} has {len(cols)} key columns, over 32 (rule 5)")
    total = 0
    for column in cols:
        sql_type = columns.get(column)
        if sql_type is None:
            problems.append(f"{name}: {what} names unknown column {column!r}")
            continue
        width = _width(sql_type)
        if width is None:
            problems.append(
                f"{name}: {what} column {column!r} is {sql_type}, not a key type (rule 5)"
            )
        else:
            total += width
    if total > limit:
        problems.append(f"{name}: {what} key is {total} bytes, over {limit} (rule 5)")
    return problems
