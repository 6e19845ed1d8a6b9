"""Comparable snapshots of one database: everything the extension defines, and the rows it keeps."""

MEMBERS = """
    SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
     WHERE e.extname = 'query_ml' AND d.deptype = 'e' AND d.classid = '{}'::regclass"""

QUERIES = {
    "functions": f"""
        SELECT p.oid::regprocedure::text, pg_get_function_result(p.oid), l.lanname, p.provolatile, p.proisstrict,
               p.prosecdef, p.proparallel, p.proconfig, p.prosrc, obj_description(p.oid, 'pg_proc'), p.proacl
          FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
         WHERE p.oid IN ({MEMBERS.format('pg_proc')})""",
    "relations": f"""
        SELECT c.oid::regclass::text, c.relkind, obj_description(c.oid, 'pg_class'), c.relacl,
               CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) END
          FROM pg_class c WHERE c.oid IN ({MEMBERS.format('pg_class')})""",
    "columns": f"""
        SELECT a.attrelid::regclass::text, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, col_description(a.attrelid, a.attnum)
          FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid IN ({MEMBERS.format('pg_class')}) AND a.attnum > 0 AND NOT a.attisdropped""",
    "constraints": f"""
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
         WHERE conrelid IN ({MEMBERS.format('pg_class')})""",
    "indexes": f"""
        SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
         WHERE indrelid IN ({MEMBERS.format('pg_class')})""",
    "triggers": f"""
        SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid), obj_description(oid, 'pg_trigger')
          FROM pg_trigger WHERE tgrelid IN ({MEMBERS.format('pg_class')}) AND NOT tgisinternal""",
    "dumped": """
        SELECT c.oid::regclass::text, cond FROM pg_extension e,
               unnest(e.extconfig, e.extcondition) AS t(oid, cond) JOIN pg_class c ON c.oid = t.oid
         WHERE e.extname = 'query_ml'""",
    "settings": "SELECT * FROM query_ml.setting_definitions",
}


def snapshot(conn):
    """{kind: sorted rows}: two databases with equal snapshots have the same extension."""
    return {kind: sorted(map(repr, conn.execute(query).fetchall())) for kind, query in QUERIES.items()}


def differences(left, right):
    """The rows present on one side only, per kind."""
    return {kind: {"only_left": sorted(set(left[kind]) - set(right[kind])),
                   "only_right": sorted(set(right[kind]) - set(left[kind]))}
            for kind in left if left[kind] != right[kind]}


# Every table whose rows pg_dump keeps, with its key; pattern_stats is derived from feedback.
KEPT = {
    "sources": "id",
    "setting_values": "name",
    "patterns": "id",
    "optimizations": "id",
    "feedback": "id",
    "refinement_runs": "id",
    "type_calibration": "optimization_type",
}
TOTALS = """SELECT pattern_id, applications, successes, regressions, sum_actual, sum_estimated, sum_abs_error,
                   sum_accuracy, within_10, sum_rating, rated, first_applied, last_applied
              FROM query_ml.pattern_totals ORDER BY pattern_id"""


def columns(conn, table, leave_out=(), writable=False):
    """The table's columns in order; writable leaves out the generated ones."""
    return [name for (name,) in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
        "AND (NOT %s OR attgenerated = '') ORDER BY attnum", (f"query_ml.{table}", writable))
        if name not in leave_out]


def kept_rows(conn, leave_out=()):
    """{table: rows in key order} of every kept table, plus the statistics' totals."""
    rows = {table: conn.execute(f"SELECT {', '.join(columns(conn, table, leave_out))} "
                                f"FROM query_ml.{table} ORDER BY {key}").fetchall()
            for table, key in KEPT.items()}
    rows["pattern totals"] = conn.execute(TOTALS).fetchall()
    return rows
