"""The workload in production (README, "Workload"): pg_stat_statements read and captured.

  scan       ml_workload_opportunities() over 5,000 distinct statements with an empty fingerprint
             cache, then again after 100 new statements: the second scan parses only those 100.
             Aim: ≥ 10 × faster.
  capture    ml_capture_workload() of 5,000 statements, all called since the previous capture:
             the first (which fingerprints every statement) and a later one (every statement
             cached).  Aim: under 1 s.

The statements are an application's: 1 to 5 tables joined along keys, 2 to 6 predicates, a
select list, perhaps grouped, ordered and limited (a few hundred characters, as pg_stat_statements
holds them).  Each round draws statements of its own, and the 100 new ones are drawn apart, so that
the second scan always meets statements it has not seen.
"""
import harness
from report import Figure

STATEMENTS = 5000
NEW = 100
TABLES = 40
COLUMNS = 9
OPERATORS = ("= %s", "< %s", "> %s", "BETWEEN %s AND %s", "IN (%s, %s, %s)", "IS NULL")


def _schema(conn, prefix):
    for t in range(TABLES):
        conn.execute(f"CREATE TABLE {prefix}{t:02d} (id int PRIMARY KEY, "
                     f"{', '.join(f'c{c} int' for c in range(1, COLUMNS + 1))})")


def _statement(rng, prefix):
    """An application's statement, as ORMs and reports write them: a few tables joined along
    keys, a select list, several predicates, perhaps grouped, ordered and limited; its
    structure key, its text with %s for each value, and the values."""
    tables = rng.sample(range(TABLES), rng.randint(1, 5))
    aliases = [f"t{i}" for i in range(len(tables))]
    sql = [f"FROM {prefix}{tables[0]:02d} t0"]
    for i in range(1, len(tables)):
        sql.append(f"JOIN {prefix}{tables[i]:02d} t{i} ON t{i}.c{rng.randint(1, COLUMNS)} = t{rng.randrange(i)}.id")
    columns = sorted({f"{rng.choice(aliases)}.c{rng.randint(1, COLUMNS)}" for _ in range(rng.randint(2, 6))})
    predicates = sorted({(rng.choice(aliases), rng.randint(1, COLUMNS), rng.choice(OPERATORS))
                         for _ in range(rng.randint(2, 6))})
    where = " AND ".join(f"{a}.c{c} {op}" for a, c, op in predicates)
    tail = rng.choice(["", " ORDER BY 1", " ORDER BY 1 LIMIT 50", f" GROUP BY {columns[0]}"])
    select = f"{columns[0]}, count(*)" if tail.startswith(" GROUP") else ", ".join(columns)
    text = f"SELECT {select} {' '.join(sql)} WHERE {where}{tail}"
    values = [rng.randint(1, 1000) for _ in range(text.count("%s"))]
    return text, values


def _statements(conn, prefix, count, seed):
    """count distinct statements (by structure, so by queryid) over the tables prefixNN, each run once."""
    import random
    rng, made = random.Random(seed), set()
    while len(made) < count:
        text, values = _statement(rng, prefix)
        if text not in made:
            made.add(text)
            conn.execute(text, values)


def measure(server, rounds, log=print):
    db = server.create_database("production")
    cold_scans, warm_scans, warm_captures, cold_captures, seen, captured = [], [], [], [], [], []
    scan = "SELECT count(*) FROM ml_workload_opportunities(10)"
    with server.connect(db) as conn:
        conn.execute("CREATE EXTENSION pg_stat_statements")
        _schema(conn, "w")
        for r in range(rounds):
            conn.execute("SELECT pg_stat_statements_reset()")
            conn.execute("DELETE FROM query_ml.workload_statements")
            conn.execute("DELETE FROM query_ml.workload_captures")
            _statements(conn, "w", STATEMENTS, seed=r)
            # The first capture: every statement new, called, and parsed.
            cold_captures += harness.clock(lambda: captured.append(
                conn.execute("SELECT statements FROM ml_capture_workload()").fetchone()[0]), 1)
            _statements(conn, "w", STATEMENTS, seed=r)
            # A capture like every later one: every statement called again, none new.
            warm_captures += harness.clock(lambda: conn.execute("SELECT * FROM ml_capture_workload()").fetchall(), 1)
            conn.execute("DELETE FROM query_ml.workload_statements")
            cold_scans += harness.clock(lambda: conn.execute(scan).fetchall(), 1)
            _statements(conn, "w", NEW, seed=1000 + r)
            parsed_before = conn.execute("SELECT count(*) FROM query_ml.workload_statements").fetchone()[0]
            warm_scans += harness.clock(lambda: conn.execute(scan).fetchall(), 1)
            seen.append(conn.execute("SELECT count(*) FROM query_ml.workload_statements").fetchone()[0] - parsed_before)
            log(f"production: round {r + 1}: scans {cold_scans[-1]:.3f} s, then {warm_scans[-1]:.3f} s; "
                f"captures {cold_captures[-1]:.3f} s first, {warm_captures[-1]:.3f} s after")
    cold, warm = harness.summary(cold_scans)["median"], harness.summary(warm_scans)["median"]
    return [
        Figure("workload", f"ml_workload_opportunities(), second scan after {NEW} new statements", STATEMENTS, "s",
               warm_scans, "first scan, empty cache", cold_scans, cold / warm, "× faster", "≥ 10 × faster",
               cold / warm >= 10,
               note=f"the second scan parsed {', '.join(map(str, seen))} new statements (its own statements included)"),
        Figure("workload", "ml_capture_workload(), every statement called again", STATEMENTS, "s", warm_captures,
               aim="under 1 s", met=harness.summary(warm_captures)["median"] < 1),
        Figure("workload", "ml_capture_workload(), first capture (every statement parsed)", STATEMENTS, "s",
               cold_captures, aim="under 1 s", met=harness.summary(cold_captures)["median"] < 1,
               note=f"statements captured: {', '.join(map(str, captured))}"),
    ]
