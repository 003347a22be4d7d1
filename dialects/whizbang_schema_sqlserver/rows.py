"""SQL Server's row budget: a row's fixed-size part must fit in 8,060 bytes.

"Maximum capacity specifications for SQL Server" gives 8,060 bytes per row; only variable-size
columns (NVARCHAR, VARBINARY, JSON) may move off the row. "Estimate the size of a heap" gives
the row's layout: the fixed-size data, a null bitmap of ``2 + (columns + 7) // 8`` bytes and a
4-byte header (variable-size columns add nothing to the smallest row). CREATE TABLE refuses a table
whose smallest row is over the budget (error 1701), so 1,024 BIGINT columns, which the column
limit allows, are refused here first.
"""

from __future__ import annotations

from typing import Final

from whizbang_schema import TableDefinition, WhizbangDataType

from .keys import LIMITS

#: The most bytes one row may take ("Maximum capacity specifications for SQL Server").
MAX_ROW_BYTES: Final = 8060


def smallest_row_bytes(table: TableDefinition) -> int:
    """The bytes of ``table``'s smallest row: fixed-size data (up to 8 BIT columns share a
    byte), the null bitmap and the row header."""
    fixed = 0
    bits = 0
    fixed_widths, sized_widths, bit = _FIXED_WIDTHS, _SIZED_WIDTHS, _BIT
    for column in table.columns:
        kind = column.data_type
        width = fixed_widths.get(kind)
        if width is not None:
            fixed += width
        elif kind is bit:
            bits += 1
        else:
            sized = sized_widths.get(kind)  # strings, JSON and VARBINARY: none (variable)
            if sized is not None:
                fixed += sized(column.type) or 0
    fixed += (bits + 7) // 8
    null_bitmap = 2 + (len(table.columns) + 7) // 8
    return fixed + null_bitmap + 4


# The key widths split once by how a row counts them (enum members are read here, not per
# column: ``WhizbangDataType.BOOLEAN`` is a lookup through the enum's metaclass).
_BIT: Final = WhizbangDataType.BOOLEAN  # BIT columns share bytes, eight to one
_VARIABLE: Final = {WhizbangDataType.BYTES, _BIT}  # VARBINARY: variable, like strings
_FIXED_WIDTHS: Final = {
    kind: width
    for kind, width in LIMITS.widths_by_kind().items()
    if isinstance(width, int) and kind not in _VARIABLE
}
_SIZED_WIDTHS: Final = {
    kind: width
    for kind, width in LIMITS.widths_by_kind().items()
    if not isinstance(width, int) and kind not in _VARIABLE
}
