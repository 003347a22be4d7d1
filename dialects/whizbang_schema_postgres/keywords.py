"""PostgreSQL key words that must be quoted when used as names.

Every key word PostgreSQL 15 reports through ``pg_get_keywords()`` in the categories R
(reserved), T (reserved, but allowed as a function or type name) and C (not allowed as a
function or type name), plus the ones PostgreSQL 16 and 17 added. Quoting a word that did not
need it changes nothing, so the list errs on the side of quoting.
"""

from __future__ import annotations

from typing import Final

RESERVED_WORDS: Final = frozenset(
    """
    all analyse analyze and any array as asc asymmetric authorization between bigint binary
    bit boolean both case cast char character check coalesce collate collation column
    concurrently constraint create cross current_catalog current_date current_role
    current_schema current_time current_timestamp current_user dec decimal default deferrable
    desc distinct do else end except exists extract false fetch float for foreign freeze from
    full grant greatest group grouping having ilike in initially inner inout int integer
    intersect interval into is isnull join lateral leading least left like limit localtime
    localtimestamp national natural nchar none normalize not notnull null nullif numeric
    offset on only or order out outer overlaps overlay placing position precision primary
    real references returning right row select session_user setof similar smallint some
    substring symmetric table tablesample then time timestamp to trailing treat trim true
    union unique user using values varchar variadic verbose when where window with
    xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi
    xmlroot xmlserialize xmltable
    system_user json json_array json_arrayagg json_exists json_object json_objectagg
    json_query json_scalar json_serialize json_table json_value merge_action
    """.split()
)
