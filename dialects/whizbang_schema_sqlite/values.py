"""The text form of timestamps in SQLite, shared by the defaults and by applications.

SQLite has no timestamp type. This dialect stores ``TIMESTAMP_TZ`` as UTC text in one fixed
form, ``YYYY-MM-DDTHH:MM:SS.fffZ`` (ISO 8601, milliseconds, ``Z``), which is what its
``DATETIME_NOW``/``DATETIME_UTC_NOW`` defaults write. Because every value has the same width
and zone, text order is time order, so ``ORDER BY`` and range conditions on the column work.
Write values with :func:`format_timestamp` to keep that true; SQLite's date functions
(``julianday``, ``datetime``) read this form.
"""

from __future__ import annotations

import datetime as _dt
from typing import Final

#: The strftime format, as SQLite spells it, of the default timestamp expression.
TIMESTAMP_FORMAT: Final = "%Y-%m-%dT%H:%M:%fZ"

#: The SQL expression for "now" in that format ('now' is already UTC in SQLite).
NOW_SQL: Final = f"strftime('{TIMESTAMP_FORMAT}', 'now')"


def format_timestamp(value: _dt.datetime) -> str:
    """``value`` as this dialect's timestamp text; naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a naive datetime has no instant; give it a tzinfo (e.g. UTC)")
    utc = value.astimezone(_dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_timestamp(text: str) -> _dt.datetime:
    """Read this dialect's timestamp text back as an aware UTC datetime."""
    return _dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=_dt.timezone.utc)
