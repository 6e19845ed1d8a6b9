"""The learning report (issue 13): how well query_ml learns from feedback with a known truth.

Simulated streams, each in a database of its own, 3 seeds each: 40 patterns (index, rewrite and
setting optimizations in turn), 20 days, 0 to 3 applications a pattern a day, ml_refine() once a
day.  Every measurement carries Student-t noise (3 d.f., scale 10) around the pattern's true
effect that day; the streams differ in what the estimates know:

  half       estimates at half the truth
  high       estimates 25 points too high
  constant   a constant estimate of 30
  heavy      estimates with heavy-tailed noise (Student t, 2 d.f., scale 15)
  sparse     estimates with normal noise (sd 10); 4 patterns in 5 have 1 to 8 applications in all
  change     estimates with normal noise (sd 10); 6 patterns flip from +40 to -30 at day 10,
             4 recover from -30 to +40 at day 12, the rest stay as they are

Figures, each with its aim (a missed aim is reported, never failed):
  next-day error      mean absolute error of expected_improvement read at the end of day d against
                      the true effect on day d+1, over the patterns applied on day d+1; the reference
                      is the better of the raw estimate and the plain measured mean so far (the
                      estimate where nothing was measured yet).  Aim: ratio <= 0.9, per stream.
  flip / recovery     (change stream) applications after the change until a flipped pattern is no
                      longer suggested by ml_match_pattern(its query), and until a recovered one is
                      suggested again; looked at after every application and after each ml_refine.
                      Aims: median <= 3 and <= 5 (over the 6 and 4 patterns of all seeds).
  AUC at day 20       of pattern_matches.score, patterns good at that time (true effect >=
                      success_min_improvement) against those harmful at that time (< 0).  Aim >= 0.95.
  JOB                 every JOB query recorded as an 'other' optimization of its template, each
                      pattern given one +50% success, then ml_refine():
                      template hidden: the share of queries offered another template's pattern
                      (aim <= 10%); own fingerprint hidden: the share whose top suggestion is of its
                      own template, where the template has another fingerprint (aim 100%); aliases
                      renamed: the share still offered their own pattern (aim 100%).

The incremental ml_refine against a full run at 1M rows is bench/feedback.py's.
"""
import concurrent.futures
import dataclasses
import datetime
import math
import os
import pathlib
import random
import re
import statistics
import time

import psycopg

from report import Figure

PATTERNS = 40
DAYS = 20
SEEDS = (1, 2, 3)
FLIPS, RECOVERIES = 6, 4
FLIP_DAY, RECOVERY_DAY = 10, 12
FLIP_FROM, FLIP_TO = 40.0, -30.0
MEASUREMENT_DOF, MEASUREMENT_SCALE = 3, 10.0
BASE = datetime.datetime(2025, 3, 3, 8, 0, tzinfo=datetime.timezone.utc)
SHARED = pathlib.Path(os.environ.get("QUERY_ML_SHARED", pathlib.Path(__file__).resolve().parent.parent.parent / "shared"))

MATCH = "SELECT * FROM ml_match_pattern(%s)"
UNGATED = "SELECT pattern_id, score FROM ml_match_pattern(%s, row_limit => 1, min_confidence => 0, min_score => 0)"
SNAPSHOT = """SELECT pattern_id, score, expected_improvement, confidence, status
                FROM query_ml.pattern_matches WHERE pattern_id = ANY (%s)"""


class MissingInterface(RuntimeError):
    """query_ml lacks a part of issue 13's interface that the report reads."""


def student(rng, dof):
    """A Student-t draw with dof degrees of freedom."""
    return rng.gauss(0.0, 1.0) / math.sqrt(rng.gammavariate(dof / 2.0, 2.0) / dof)


@dataclasses.dataclass
class Stream:
    name: str
    about: str
    estimate: object                    # (rng, true effect at day 0) -> the raw estimate
    sparse: bool = False
    change: bool = False


STREAMS = (
    Stream("half", "estimates at half the truth", lambda rng, truth: truth / 2),
    Stream("high", "estimates 25 points too high", lambda rng, truth: truth + 25),
    Stream("constant", "a constant estimate of 30", lambda rng, truth: 30.0),
    Stream("heavy", "estimates with Student-t noise (2 d.f., scale 15)",
           lambda rng, truth: truth + 15 * student(rng, 2)),
    Stream("sparse", "estimates with normal noise (sd 10); most patterns 1 to 8 applications in all",
           lambda rng, truth: truth + rng.gauss(0, 10), sparse=True),
    Stream("change", f"{FLIPS} flip +40 -> -30 at day {FLIP_DAY}, {RECOVERIES} recover -30 -> +40 at day "
                     f"{RECOVERY_DAY}; estimates with normal noise (sd 10)",
           lambda rng, truth: truth + rng.gauss(0, 10), change=True),
)

SHAPES = {
    # type: (original query, optimized), both per table
    "index": ("SELECT * FROM {n} WHERE a = 1", "CREATE INDEX ON {n} (a)"),
    "rewrite": ("SELECT * FROM {n} WHERE b > 1 ORDER BY c", "SELECT * FROM {n} WHERE b > 1 ORDER BY c LIMIT 10"),
    "setting": ("SELECT d, count(*) FROM {n} GROUP BY d", "SET work_mem = '64MB'"),
}


def table_name(i):
    """t_a, t_b, ... t_ba: letters, since the fingerprint takes t10 and t11 for one table (it
    ignores two or more digits ending a relation name, as in partitions' names)."""
    letters = ""
    while True:
        letters = "abcdefghijklmnopqrstuvwxyz"[i % 26] + letters
        i = i // 26 - 1
        if i < 0:
            return "t_" + letters


@dataclasses.dataclass
class Pattern:
    index: int
    optimization_type: str
    query: str
    optimized: str
    estimate: float
    truth: list                 # true effect, in percent, on each day
    role: str = "stable"        # stable, flip or recover
    change_day: int = None


@dataclasses.dataclass
class Measurement:
    day: int
    pattern: int                # index into the plan's patterns
    applied_at: datetime.datetime
    before_ms: float
    after_ms: float
    improvement: float          # what the row stores, 100 (before - after) / before


@dataclasses.dataclass
class Plan:
    stream: Stream
    seed: int
    days: int
    patterns: list
    measurements: list          # in applied_at order


def _true_effect(rng):
    draw = rng.random()
    if draw < 0.55:
        return rng.uniform(10, 70)          # good
    if draw < 0.85:
        return rng.uniform(-50, -5)         # harmful
    return rng.uniform(-5, 10)              # around nothing


def plan(stream, seed, patterns=PATTERNS, days=DAYS, flip_day=FLIP_DAY, recovery_day=RECOVERY_DAY):
    """The stream's patterns and measurements: deterministic for a stream name and seed."""
    rng = random.Random(f"query_ml learning {stream.name} {seed}")
    kinds = list(SHAPES)
    made = []
    for i in range(patterns):
        kind = kinds[i % len(kinds)]
        query, optimized = (text.format(n=table_name(i)) for text in SHAPES[kind])
        role, change_day = "stable", None
        if stream.change and i < FLIPS:
            role, change_day = "flip", flip_day
            truth = [FLIP_FROM if d < flip_day else FLIP_TO for d in range(days)]
        elif stream.change and i < FLIPS + RECOVERIES:
            role, change_day = "recover", recovery_day
            truth = [FLIP_TO if d < recovery_day else FLIP_FROM for d in range(days)]
        else:
            truth = [_true_effect(rng)] * days
        estimate = min(100.0, max(-1000.0, stream.estimate(rng, truth[0])))
        made.append(Pattern(i, kind, query, optimized, round(estimate, 4), truth, role, change_day))

    per_day = [[0] * patterns for _ in range(days)]
    for p in made:
        if stream.sparse and rng.random() < 0.8:
            for _ in range(rng.randint(1, 8)):
                per_day[rng.randrange(days)][p.index] += 1
        else:
            for d in range(days):
                per_day[d][p.index] = rng.randint(0, 3)

    measurements = []
    for d in range(days):
        today = [i for i, count in enumerate(per_day[d]) for _ in range(count)]
        rng.shuffle(today)
        for k, i in enumerate(today):
            improvement = made[i].truth[d] + MEASUREMENT_SCALE * student(rng, MEASUREMENT_DOF)
            improvement = min(99.9, max(-900.0, improvement))
            before = rng.uniform(20, 2000)
            after = before * (1 - improvement / 100)
            measurements.append(Measurement(d, i, BASE + datetime.timedelta(days=d, minutes=3 * k), before, after,
                                            100 * (before - after) / before))
    return Plan(stream, seed, days, made, measurements)


def auc(good, harmful):
    """The probability that a good pattern scores above a harmful one (ties count half)."""
    if not good or not harmful:
        return None
    wins = sum((g > h) + 0.5 * (g == h) for g in good for h in harmful)
    return wins / (len(good) * len(harmful))


def next_day_errors(plan, snapshots):
    """Mean absolute errors, against the true effect on day d+1 over the patterns applied that day,
    of: the expected improvement read at the end of day d, the raw estimate, and the plain measured
    mean up to day d (the estimate where nothing was measured).  snapshots[d][i] is pattern i's
    expected improvement at the end of day d (None: not shown, the estimate stands in)."""
    sums = {"expected": 0.0, "estimate": 0.0, "mean": 0.0}
    n, stand_ins = 0, 0
    measured = [[] for _ in plan.patterns]
    by_day = [[] for _ in range(plan.days)]
    for m in plan.measurements:
        by_day[m.day].append(m)
    for d in range(plan.days - 1):
        for m in by_day[d]:
            measured[m.pattern].append(m.improvement)
        for i in sorted({m.pattern for m in by_day[d + 1]}):
            p = plan.patterns[i]
            truth = p.truth[d + 1]
            expected = snapshots[d][i]
            if expected is None:
                expected, stand_ins = p.estimate, stand_ins + 1
            mean = statistics.fmean(measured[i]) if measured[i] else p.estimate
            sums["expected"] += abs(expected - truth)
            sums["estimate"] += abs(p.estimate - truth)
            sums["mean"] += abs(mean - truth)
            n += 1
    return {k: v / n for k, v in sums.items()} if n else None, n, stand_ins


class Watch:
    """A flipped or recovered pattern's suggestions after its change: how many applications of the
    new behaviour it took until matching acted on it, and whether it went back afterwards."""

    def __init__(self, pattern):
        self.pattern = pattern
        self.wanted = pattern.role == "recover"      # suggested again, or no longer suggested
        self.applications = 0                         # of the new behaviour so far
        self.before = None                            # suggested at the end of the day before the change
        self.acted_after = None
        self.relapses = 0
        self.last = None
        self.status_before = None                     # the pattern's status the day before the change
        self.status_end = None

    def look(self, suggested):
        if self.acted_after is None:
            if suggested == self.wanted:
                self.acted_after = self.applications
        elif suggested != self.wanted and self.last == self.wanted:
            self.relapses += 1
        self.last = suggested


def check_interface(conn):
    """Fails with a clear message where query_ml lacks what the report reads."""
    missing = []
    columns = [c.name for c in conn.execute("SELECT * FROM ml_match_pattern('SELECT 1') LIMIT 0").description]
    for column in ("pattern_id", "match_kind", "similarity", "score", "confidence", "expected_improvement"):
        if column not in columns:
            missing.append(f"ml_match_pattern has no {column} column (it has {', '.join(columns)})")
    view = [c.name for c in conn.execute("SELECT * FROM query_ml.pattern_matches LIMIT 0").description]
    for column in ("pattern_id", "score", "expected_improvement", "confidence", "status"):
        if column not in view:
            missing.append(f"query_ml.pattern_matches has no {column} column")
    if missing:
        raise MissingInterface("the learning report needs issue 13's interface: " + "; ".join(missing))
    runs = {c.name for c in conn.execute("SELECT * FROM query_ml.refinement_runs LIMIT 0").description}
    return {"run_errors": {"estimate_error", "prediction_error"} <= runs}


def _one(conn, sql, *args):
    return conn.execute(sql, args or None).fetchone()[0]


def suggested(conn, query):
    """The pattern ids ml_match_pattern(query) suggests, best first, with the default gating."""
    return [row[0] for row in conn.execute(MATCH, (query,), prepare=True)]


@dataclasses.dataclass
class Outcome:
    stream: str
    seed: int
    errors: dict                # mean absolute errors: expected, estimate, mean
    predictions: int
    stand_ins: int
    auc: float
    good: int
    harmful: int
    flips: list                 # Watch of each flipped pattern
    recoveries: list
    harmful_suggested: int      # at the end
    good_suggested: int
    run_errors: dict            # mean of refinement_runs' estimate_error and prediction_error, when recorded
    feedback: int
    seconds: float

    @property
    def better(self):
        return min(self.errors["estimate"], self.errors["mean"])

    @property
    def ratio(self):
        return self.errors["expected"] / self.better if self.better else math.inf


INSERT = """INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms, applied_at)
            VALUES (%s, %s, %s, %s)"""


def simulate(conn, the_plan, interface=None):
    """Runs the plan in the database conn is connected to (query_ml installed, no patterns yet)."""
    started = time.perf_counter()
    interface = interface or check_interface(conn)
    success_min = float(_one(conn, "SELECT value FROM query_ml.settings WHERE name = 'success_min_improvement'"))
    optimization, pattern_id = [], []
    for p in the_plan.patterns:
        opt = _one(conn, "SELECT ml_record_optimization(%s, %s, %s, %s)", p.query, p.optimized, p.optimization_type,
                   p.estimate)
        optimization.append(opt)
        pattern_id.append(_one(conn, "SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", opt))
    if len(set(pattern_id)) != len(pattern_id):
        raise RuntimeError(f"{the_plan.stream.name}: {len(the_plan.patterns)} query shapes made only "
                           f"{len(set(pattern_id))} patterns")
    index_of = {pid: i for i, pid in enumerate(pattern_id)}
    watches = {p.index: Watch(p) for p in the_plan.patterns if p.role != "stable"}
    by_day = [[] for _ in range(the_plan.days)]
    for m in the_plan.measurements:
        by_day[m.day].append(m)

    def row(m):
        return (optimization[m.pattern], m.before_ms, m.after_ms, m.applied_at)

    snapshots = []
    for d in range(the_plan.days):
        batch = []
        for m in by_day[d]:
            watch = watches.get(m.pattern)
            if watch and d >= watch.pattern.change_day:
                if batch:
                    conn.cursor().executemany(INSERT, batch)
                    batch = []
                conn.execute(INSERT, row(m))
                watch.applications += 1
                watch.look(pattern_id[m.pattern] in suggested(conn, watch.pattern.query))
            else:
                batch.append(row(m))
        if batch:
            conn.cursor().executemany(INSERT, batch)
        status = _one(conn, "SELECT status FROM ml_refine()")
        if status != "succeeded":
            raise RuntimeError(f"ml_refine() on day {d} of {the_plan.stream.name} returned {status}")
        shown = {index_of[r[0]]: r for r in conn.execute(SNAPSHOT, (pattern_id,))}
        snapshots.append({i: (None if shown.get(i) is None or shown[i][2] is None else float(shown[i][2]))
                          for i in range(len(pattern_id))})
        for watch in watches.values():
            now = pattern_id[watch.pattern.index] in suggested(conn, watch.pattern.query)
            status = shown[watch.pattern.index][4] if watch.pattern.index in shown else None
            watch.status_end = status
            if d == watch.pattern.change_day - 1:
                watch.before = watch.last = now
                watch.status_before = status
                if now == watch.wanted:
                    watch.acted_after = 0      # already where the change should take it
            elif d >= watch.pattern.change_day:
                watch.look(now)

    errors, predictions, stand_ins = next_day_errors(the_plan, snapshots)
    last = the_plan.days - 1
    good, harmful = [], []
    harmful_suggested = good_suggested = 0
    for i, p in enumerate(the_plan.patterns):
        score = shown[i][1] if i in shown else None
        score = float(score) if score is not None else 0.0
        is_suggested = pattern_id[i] in suggested(conn, p.query)
        if p.truth[last] >= success_min:
            good.append(score)
            good_suggested += is_suggested
        elif p.truth[last] < 0:
            harmful.append(score)
            harmful_suggested += is_suggested
    run_errors = {}
    if interface["run_errors"]:
        # The first run has nothing it predicted before; the others each judge one day's rows.
        row_ = conn.execute("""SELECT avg(estimate_error), avg(prediction_error) FROM query_ml.refinement_runs
                                WHERE id > (SELECT min(id) FROM query_ml.refinement_runs)""").fetchone()
        run_errors = {"estimate_error": row_[0], "prediction_error": row_[1]}
    return Outcome(the_plan.stream.name, the_plan.seed, errors, predictions, stand_ins, auc(good, harmful),
                   len(good), len(harmful),
                   [w for w in watches.values() if w.pattern.role == "flip"],
                   [w for w in watches.values() if w.pattern.role == "recover"],
                   harmful_suggested, good_suggested, run_errors, len(the_plan.measurements),
                   time.perf_counter() - started)


# --- JOB ------------------------------------------------------------------------------------

def template(name):
    """JOB's template of a query: 11a -> 11."""
    return re.match(r"\d+", name).group()


ALIAS = re.compile(r"\b([a-z_][a-z_0-9]*)\s+AS\s+([a-z_][a-z_0-9]*)\b", re.IGNORECASE)


def rename_aliases(sql, suffix="_x"):
    """sql with each table alias (declared "table AS alias"; a column alias follows a parenthesis
    in JOB) renamed alias+suffix, in its declaration and in every alias.column use."""
    aliases = {m.group(2) for m in ALIAS.finditer(sql)
               if m.group(1).upper() not in ("SELECT", "DISTINCT") and re.search(rf"\b{m.group(2)}\.", sql)}
    for alias in sorted(aliases, key=len, reverse=True):
        sql = re.sub(rf"\bAS\s+{alias}\b", f"AS {alias}{suffix}", sql, flags=re.IGNORECASE)
        sql = re.sub(rf"(?<![\w.']){alias}\.", f"{alias}{suffix}.", sql)
    return sql, aliases


def job_queries(folder):
    files = sorted(folder.glob("[0-9]*.sql"), key=lambda f: (int(template(f.stem)), f.stem))
    return {f.stem: f.read_text() for f in files}


def job(conn, queries, log=print):
    """The three JOB figures' counts, in the database conn is connected to (query_ml, no patterns)."""
    check_interface(conn)
    pattern = {}
    first_of = {}
    for name, sql in queries.items():
        opt = _one(conn, "SELECT ml_record_optimization(%s, %s, 'other', 50)", sql,
                   f"JOB template {template(name)}: a join order that worked")
        pattern[name] = _one(conn, "SELECT pattern_id FROM query_ml.optimizations WHERE id = %s", opt)
        first_of.setdefault(pattern[name], opt)
    # One success for each pattern: queries of one template with one fingerprint share their pattern.
    conn.cursor().executemany("INSERT INTO query_ml.feedback (optimization_id, before_execution_ms, after_execution_ms) "
                              "VALUES (%s, 100, 50)", [(opt,) for opt in first_of.values()])
    if _one(conn, "SELECT status FROM ml_refine()") != "succeeded":
        raise RuntimeError("ml_refine() did not run on the JOB patterns")
    template_of = {pid: template(name) for name, pid in pattern.items()}
    fingerprint_of = dict(conn.execute("SELECT id, fingerprint FROM query_ml.patterns WHERE id = ANY (%s)",
                                       (list(set(pattern.values())),)).fetchall())
    fingerprint = {name: fingerprint_of[pid] for name, pid in pattern.items()}

    # The best match without the score and confidence gates: which score_threshold would meet both aims.
    try:
        conn.execute(UNGATED, ("SELECT 1",)).fetchall()
        ungated = lambda sql: (conn.execute(UNGATED, (sql,), prepare=True).fetchone() or (None, 0.0))
    except psycopg.Error:
        ungated = None

    def hidden(pattern_ids, look):
        """look() with the patterns deleted, then put back (a rolled-back transaction)."""
        with conn.transaction(force_rollback=True):
            for pid in sorted(pattern_ids):
                conn.execute("SELECT * FROM ml_delete_pattern(%s, cascade => true)", (pid,))
            return look()

    # a) each query's template hidden: is another template's pattern suggested?
    offered, best_other = {}, {}
    for t in sorted({template(n) for n in queries}, key=int):
        names = [n for n in queries if template(n) == t]
        ids = {pattern[n] for n in names}
        offered.update(hidden(ids, lambda: {n: suggested(conn, queries[n]) for n in names}))
        if ungated:
            best_other.update(hidden(ids, lambda: {n: float(ungated(queries[n])[1] or 0) for n in names}))
    wrong = {n: [template_of.get(p, "?") for p in ids] for n, ids in offered.items() if ids}

    # b) only its own fingerprint hidden: is the top suggestion of its own template?
    top, judged, best_top = {}, [], {}
    for fp in sorted(set(fingerprint.values())):
        names = [n for n in queries if fingerprint[n] == fp]
        ids = {pid for pid, its in fingerprint_of.items() if its == fp}
        names = [n for n in names
                 if any(fingerprint[o] != fp and template(o) == template(n) for o in queries)]
        if names:
            judged += names
            top.update(hidden(ids, lambda: {n: (suggested(conn, queries[n]) or [None])[0] for n in names}))
            if ungated:
                best_top.update(hidden(ids, lambda: {n: ungated(queries[n]) for n in names}))
    own_top = [n for n in judged if top[n] is not None and template_of.get(top[n]) == template(n)]
    judged.sort(key=lambda n: (int(template(n)), n))
    nothing = [n for n in judged if top[n] is None]
    other = sorted(set(judged) - set(own_top) - set(nothing), key=lambda n: (int(template(n)), n))

    # c) aliases renamed, nothing hidden: is its own pattern still suggested?
    kept, renamed_fp_changed, not_kept, first_place = 0, 0, [], 0
    for name, sql in queries.items():
        renamed, _ = rename_aliases(sql)
        renamed_fp_changed += _one(conn, "SELECT ml_fingerprint(%s)", renamed) != fingerprint[name]
        ids = suggested(conn, renamed)
        if pattern[name] in ids:
            kept += 1
            first_place += ids[0] == pattern[name]
        else:
            not_kept.append(name)
    return {
        "queries": len(queries), "patterns": len(set(pattern.values())),
        "fingerprints": len(set(fingerprint.values())), "templates": len({template(n) for n in queries}),
        "other_template": wrong,
        "judged": judged, "own_top": own_top, "nothing": nothing,
        "other_top": {n: template_of.get(top[n], "?") for n in other},
        "renamed_kept": kept, "renamed_first": first_place, "renamed_missed": not_kept,
        "renamed_fingerprint_changed": renamed_fp_changed,
        "thresholds": thresholds(best_other, {n: (template_of.get(best_top[n][0]) == template(n), float(best_top[n][1] or 0))
                                              for n in judged}) if ungated else None,
    }


def thresholds(best_other, best_top, share=0.10):
    """What the score threshold would have to be for each JOB aim, from the ungated best matches:
    best_other {query: best score of another template, own template hidden}; best_top {query:
    (the ungated top is of its own template, its score)}, own fingerprint hidden."""
    others = sorted(best_other.values(), reverse=True)
    allowed = int(share * len(others))
    above = others[allowed] if allowed < len(others) else 0.0         # a threshold must exceed this
    wrong_first = sorted(n for n, (own, _) in best_top.items() if not own)
    own_scores = [score for own, score in best_top.values() if own]
    at_most = min(own_scores) if own_scores else None
    return {"hidden_template_needs_above": above, "own_template_needs_at_most": at_most,
            "another_template_first": wrong_first, "both": at_most is not None and not wrong_first and at_most > above}


# --- the report -----------------------------------------------------------------------------

def _fresh(server, name, template_db):
    with server.connect() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template_db}")
    return name


def _drop(server, name):
    with server.connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_streams(server, streams=STREAMS, seeds=SEEDS, patterns=PATTERNS, days=DAYS, workers=2, log=print):
    """{(stream, seed): Outcome}, two simulations at a time, each in a database of its own."""
    template_db = server.create_database("learning_template")
    with server.connect(template_db) as conn:
        interface = check_interface(conn)
    flip_day, recovery_day = (FLIP_DAY, RECOVERY_DAY) if days == DAYS else (days // 2, (days * 3) // 5)

    def one(stream, seed):
        db = _fresh(server, f"learning_{stream.name}_{seed}", template_db)
        try:
            with server.connect(db) as conn:
                outcome = simulate(conn, plan(stream, seed, patterns, days, flip_day, recovery_day), interface)
        finally:
            _drop(server, db)
        log(f"learning: {stream.name} seed {seed}: {outcome.feedback} feedback rows in {outcome.seconds:.1f} s")
        return outcome

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = {(s.name, seed): pool.submit(one, s, seed) for s in streams for seed in seeds}
        outcomes = {key: future.result() for key, future in futures.items()}
    _drop(server, template_db)
    return outcomes


def _capped(watches):
    """Applications until matching acted; a pattern it never acted on counts all its applications + 1."""
    return [w.acted_after if w.acted_after is not None else w.applications + 1 for w in watches]


def _tally(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return ", ".join(f"{count} {value}" for value, count in sorted(counts.items(), key=lambda kv: str(kv[0])))


def stream_figures(outcomes, streams=STREAMS, seeds=SEEDS, patterns=PATTERNS):
    figures = []
    for stream in streams:
        mine = [outcomes[(stream.name, seed)] for seed in seeds]
        ratios = [o.ratio for o in mine]
        ratio = statistics.median(ratios)
        per_seed = f"{stream.about}: " + "; ".join(
            f"seed {o.seed}: {o.errors['expected']:.1f} vs estimate {o.errors['estimate']:.1f}, measured mean "
            f"{o.errors['mean']:.1f} ({o.ratio:.2f}, {o.predictions} predictions"
            + (f", {o.stand_ins} without an expected improvement" if o.stand_ins else "") + ")" for o in mine)
        run_errors = [o.run_errors for o in mine if o.run_errors and o.run_errors.get("prediction_error") is not None]
        if run_errors:
            per_seed += "; ml_refine's own out-of-sample errors (mean of runs, against measurements): " + ", ".join(
                f"estimate {r['estimate_error']:.1f} / prediction {r['prediction_error']:.1f}" for r in run_errors)
        elif not any(o.run_errors for o in mine):
            per_seed += "; refinement_runs records no estimate_error/prediction_error"
        figures.append(Figure(
            "learning", f"next-day error of expected improvement: {stream.name}", patterns,
            "points", [o.errors["expected"] for o in mine], "better of estimate and measured mean",
            [o.better for o in mine], ratio, "× better (median of seeds)", "ratio ≤ 0.9", ratio <= 0.9,
            note=per_seed))

        aucs = [o.auc for o in mine if o.auc is not None]
        if aucs:
            value = statistics.median(aucs)
            figures.append(Figure(
                "learning", f"AUC of score at day {DAYS}, good vs harmful: {stream.name}", patterns, "AUC", aucs,
                aim="median ≥ 0.95", met=value >= 0.95,
                note="; ".join(f"seed {o.seed}: {o.auc:.3f} ({o.good} good, {o.harmful} harmful; suggested at the end: "
                               f"{o.good_suggested} good, {o.harmful_suggested} harmful)" for o in mine)))

        if stream.change:
            for role, aim, attribute in (("flip", 3, "flips"), ("recover", 5, "recoveries")):
                watches = [w for o in mine for w in getattr(o, attribute)]
                counts = _capped(watches)
                value = statistics.median(counts)
                never = [w for w in watches if w.acted_after is None]
                odd = []
                if never:
                    odd.append(f"{len(never)} of {len(watches)} never acted on by day {DAYS} "
                               f"(counted as all their applications + 1)")
                early = [w for w in watches if w.before == w.wanted]
                if early:
                    odd.append(f"{len(early)} already {'suggested' if role == 'recover' else 'not suggested'} "
                               f"the day before the change")
                relapsed = sum(w.relapses for w in watches)
                if relapsed:
                    odd.append(f"{relapsed} times back to the old state after acting")
                odd.append("status the day before the change: " + _tally(w.status_before for w in watches)
                           + f"; at day {DAYS}: " + _tally(w.status_end for w in watches))
                label = ("flip +40 → −30: applications until no longer suggested" if role == "flip"
                         else "recovery −30 → +40: applications until suggested again")
                figures.append(Figure(
                    "learning", label, patterns, "applications", counts, aim=f"median ≤ {aim}", met=value <= aim,
                    note="; ".join(
                        [", ".join(f"seed {o.seed}: {_capped(getattr(o, attribute))}" for o in mine)] + odd)))
    return figures


def job_figures(found):
    queries = found["queries"]
    figures = []
    wrong = found["other_template"]
    share = 100 * len(wrong) / queries
    figures.append(Figure(
        "learning", "JOB, template hidden: another template's pattern suggested", queries, "%", [share],
        aim="≤ 10%", met=share <= 10,
        note=f"{len(wrong)} of {queries} queries ({found['patterns']} patterns, {found['templates']} templates)"
             + (": " + ", ".join(f"{n} → {'/'.join(t)}" for n, t in list(wrong.items())[:15])
                + (" …" if len(wrong) > 15 else "") if wrong else "")))
    judged = found["judged"]
    share = 100 * len(found["own_top"]) / len(judged) if judged else 100.0
    figures.append(Figure(
        "learning", "JOB, own fingerprint hidden: top suggestion of its own template", len(judged), "%", [share],
        aim="100%", met=len(found["own_top"]) == len(judged),
        note=f"{len(found['own_top'])} of {len(judged)} queries whose template has another fingerprint"
             + (f"; nothing suggested for {len(found['nothing'])}: {', '.join(found['nothing'][:20])}"
                + (" …" if len(found["nothing"]) > 20 else "") if found["nothing"] else "")
             + (f"; another template first for {len(found['other_top'])}: "
                + ", ".join(f"{n} → {t}" for n, t in found["other_top"].items()) if found["other_top"] else "")))
    limits = found["thresholds"]
    if limits:
        figures[-1].note += (
            f"; without the score gate: the hidden-template aim needs score_threshold > "
            f"{limits['hidden_template_needs_above']:.3f}, this one ≤ "
            + (f"{limits['own_template_needs_at_most']:.3f}" if limits["own_template_needs_at_most"] is not None else "—")
            + (f" and cannot be met for {', '.join(limits['another_template_first'])} (another template ranks first)"
               if limits["another_template_first"] else "")
            + ("; one threshold meets both" if limits["both"] else "; no one threshold meets both"))
    share = 100 * found["renamed_kept"] / queries
    figures.append(Figure(
        "learning", "JOB, aliases renamed: own pattern still suggested", queries, "%", [share],
        aim="100%", met=found["renamed_kept"] == queries,
        note=f"{found['renamed_kept']} of {queries} ({found['renamed_first']} as the top suggestion); "
             f"the renaming changed {found['renamed_fingerprint_changed']} fingerprints"
             + (f"; missed: {', '.join(found['renamed_missed'][:20])}" if found["renamed_missed"] else "")))
    return figures


def measure(server, log=print, streams=STREAMS, seeds=SEEDS, patterns=PATTERNS, days=DAYS, workers=2):
    """The learning report's figures.  Raises MissingInterface when query_ml lacks what it reads."""
    began = time.perf_counter()
    outcomes = run_streams(server, streams, seeds, patterns, days, workers, log)
    figures = stream_figures(outcomes, streams, seeds, patterns)
    log(f"learning: {len(outcomes)} simulations in {time.perf_counter() - began:.0f} s")
    folder = SHARED / "corpora" / "job"
    if not folder.is_dir():
        log(f"learning: the JOB figures are skipped: {folder} does not exist (clone the corpora beside, in ../shared)")
        return figures
    started = time.perf_counter()
    db = server.create_database("learning_job")
    try:
        with server.connect(db) as conn:
            found = job(conn, job_queries(folder), log)
    finally:
        _drop(server, db)
    figures += job_figures(found)
    log(f"learning: JOB ({found['queries']} queries) in {time.perf_counter() - started:.0f} s")
    return figures
