"""Setting a pattern's statistics directly, for tests about what is done with them."""


def set_stats(conn, pattern_id, applications, successes, mean=0.0, estimated=0.0):
    """Give a pattern these totals, as if its feedback had produced them."""
    conn.execute("DELETE FROM query_ml.pattern_stats WHERE pattern_id = %s", (pattern_id,))
    conn.execute("INSERT INTO query_ml.pattern_stats (pattern_id, shard, applications, successes, sum_actual, "
                 "sum_estimated) VALUES (%s, 0, %s, %s, %s, %s)",
                 (pattern_id, applications, successes, mean * applications, estimated * applications))
