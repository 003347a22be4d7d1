"""The SQL of SQLite's default functions that make UUIDs, in their own module because both
the rendering (:mod:`.plugin`) and the reading back (:mod:`.catalog`) need the exact text.

SQLite has no UUID function; these build a random RFC 4122 version-4 UUID from
``randomblob()``. The "now" expression is :data:`.values.NOW_SQL`, next to the timestamp form
it writes.
"""

from __future__ import annotations

from typing import Final

# A version-4 UUID in canonical text form: random hex with the version nibble 4 and the
# variant nibble one of 8, 9, a, b.
UUID_TEXT_SQL: Final = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)

# The same as 16 bytes, without unhex() (SQLite 3.41+): || keeps blob bytes as they are, and
# the two fixed bytes are picked from 0x40-0x4F (version 4, ASCII, so char() gives one byte)
# and from a literal table of 0x80-0xBF (variant 10xx).
_VARIANT_BYTES = "".join(f"{b:02X}" for b in range(0x80, 0xC0))
UUID_BLOB_SQL: Final = (
    "CAST(randomblob(6) || char(64 + (abs(random()) % 16)) || randomblob(1) || "
    f"substr(x'{_VARIANT_BYTES}', 1 + (abs(random()) % 64), 1) || randomblob(7) AS BLOB)"
)
