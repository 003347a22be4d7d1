"""T-SQL reserved key words (learn.microsoft.com, "Reserved keywords (Transact-SQL)"),
with the ODBC and future key words that the same page lists (the ODBC ones as the ODBC
appendix "Reserved keywords" gives them: ``avg``, ``count``, ``max``, ``position``...), and
the words sqlfluff's T-SQL grammar treats as reserved (quoting a name that did not need it
changes nothing)."""

from __future__ import annotations

from typing import Final

RESERVED_WORDS: Final = frozenset(
    """
    add all alter and any as asc authorization backup begin between break browse bulk by
    cascade case check checkpoint close clustered coalesce collate column commit compute
    constraint contains containstable continue convert create cross current current_date
    current_time current_timestamp current_user cursor database dbcc deallocate declare
    default delete deny desc disk distinct distributed double drop dump else end errlvl escape
    except exec execute exists exit external fetch file fillfactor for foreign freetext
    freetexttable from full function goto grant group having holdlock identity
    identity_insert identitycol if in index inner insert intersect into is join key kill left
    like lineno load merge national nocheck nonclustered not null nullif of off offsets on
    open opendatasource openquery openrowset openxml option or order outer over percent pivot
    plan precision primary print proc procedure public raiserror read readtext reconfigure
    references replication restore restrict return revert revoke right rollback rowcount
    rowguidcol rule save schema securityaudit select semantickeyphrasetable
    semanticsimilaritydetailstable semanticsimilaritytable session_user set setuser shutdown
    some statistics system_user table tablesample textsize then to top tran transaction
    trigger truncate try_convert tsequal union unique unpivot update updatetext use user
    values varying view waitfor when where while with within writetext
    absolute action admin after aggregate alias allocate are array asensitive assertion
    asymmetric at atomic before binary bit blob boolean both breadth call called cardinality
    cascaded cast catalog char character class clob collation collect completion condition
    connect connection constraints constructor corr corresponding covar_pop covar_samp cube
    cume_dist current_catalog current_default_transform_group current_path current_role
    current_schema current_transform_group_for_type cycle data date day dec decimal deferrable
    deferred depth deref describe descriptor destroy destructor deterministic dictionary
    diagnostics disconnect domain dynamic each element end-exec equals every exception false
    filter first float found free fulltexttable fusion general get global go grouping hold
    host hour ignore immediate indicator initialize initially inout input int integer
    intersection interval isolation iterate language large last lateral leading less level
    like_regex limit ln local localtime localtimestamp locator map match member method minute
    mod modifies modify module month multiset names natural nchar nclob new next no none
    normalize numeric object occurrences_regex old only operation ordinality out overlay
    output pad parameter parameters partial partition path position_regex postfix prefix
    preorder prepare preserve prior privileges range reads real recursive ref referencing
    regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy
    regr_syy relative release result returns role rollup routine row rows savepoint scope
    scroll search second section sensitive sequence session sets similar size smallint space
    specific specifictype sql sqlexception sqlstate sqlwarning start state statement static
    stddev_pop stddev_samp structure submultiset substring_regex symmetric system temporary
    terminate than time timestamp timezone_hour timezone_minute trailing translate_regex
    translation treat true uescape under unknown unnest usage using value var_pop var_samp
    varchar variable whenever width_bucket window without work write xmlagg xmlattributes
    xmlbinary xmlcast xmlcomment xmlconcat xmldocument xmlelement xmlexists xmlforest
    xmliterate xmlnamespaces xmlparse xmlpi xmlquery xmlserialize xmltable xmltext
    xmlvalidate year zone
    definition
    ada avg bit_length char_length character_length count extract fortran include
    insensitive lower max min octet_length overlaps pascal position sqlca sqlcode sqlerror
    substring sum translate trim upper
    """.split()
)
