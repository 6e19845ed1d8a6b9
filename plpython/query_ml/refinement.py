"""ml_refine: learn from the feedback, one run at a time.

A run
  1. takes a transaction-level advisory lock; a second caller returns at once with a notice;
  2. considers the patterns whose statistics changed since they were last refined (every
     pattern in a full run, which first recomputes all statistics from the feedback rows),
     and folds their counter shards together;
  3. measures each optimization type's estimation bias (mean of estimated minus measured);
  4. calibrates each considered pattern: its own mean measured improvement, weighted by its
     applications n, against its estimate corrected by its type's bias, weighted by the
     calibration_strength setting k:  (n * mean + k * (estimate - bias)) / (n + k);
  5. applies the status rule (keep a change only if it improved things, revert after a
     regression): a pattern with at least retire_min_applications applications whose mean
     improvement is below retire_below_improvement is retired; with fewer, or when at least
     flag_regression_share of its applications were regressions, it is flagged; otherwise it
     is active again.  A status set by hand (ml_set_pattern_status) is left alone;
  6. records itself, with the accuracy before and after on the feedback new since the last
     run (every row in a full run).
"""
import time

from . import spi

LOCK_KEY = 7149027411                 # pg_try_advisory_xact_lock key of ml_refine
SKIPPED = "another ml_refine() is running; this call changed nothing"
COLUMNS = ("run_id", "status", "mode", "feedback_considered", "patterns_considered", "patterns_calibrated",
           "patterns_flagged", "patterns_retired", "patterns_reinstated", "accuracy_before", "accuracy_after", "seconds")


def refine(plpy, full, triggered_by):
    started = time.monotonic()
    if not spi.run(plpy, "SELECT pg_catalog.pg_try_advisory_xact_lock($1) AS got", ["bigint"], [LOCK_KEY])[0]["got"]:
        plpy.notice(f"query_ml: {SKIPPED}", hint="It runs again at its next call or scheduled time.")
        return [dict(dict.fromkeys(COLUMNS), status="skipped", mode="full" if full else "incremental")]

    last = spi.run(plpy, "SELECT feedback_watermark FROM query_ml.refinement_runs ORDER BY id DESC LIMIT 1")
    watermark = 0 if full or not last.nrows() else last[0]["feedback_watermark"]
    marks = spi.run(plpy, """SELECT (SELECT last_value FROM query_ml.stats_version) AS version,
                                    coalesce((SELECT max(id) FROM query_ml.feedback), 0) AS high""")[0]
    if full:
        plpy.execute("SELECT query_ml.recompute_pattern_stats(NULL)")
    considered = [r["id"] for r in spi.run(plpy, """
        SELECT p.id FROM query_ml.patterns p
         WHERE $1 OR (p.refined_version IS NULL AND NOT EXISTS (SELECT FROM query_ml.pattern_stats s WHERE s.pattern_id = p.id))
            OR EXISTS (SELECT FROM query_ml.pattern_stats s
                        WHERE s.pattern_id = p.id AND s.version > coalesce(p.refined_version, 0))
         ORDER BY p.id""", ["boolean"], [full])]
    spi.run(plpy, "SELECT query_ml.compact_stats($1)", ["bigint[]"], [considered])

    previous = spi.run(plpy, "SELECT array_agg(id) AS ids, array_agg(calibrated_improvement) AS values "
                             "FROM query_ml.patterns WHERE id = ANY ($1)", ["bigint[]"], [considered])[0]
    spi.run(plpy, "SELECT query_ml.calibrate_types()")
    calibrated = spi.run(plpy, "SELECT query_ml.calibrate_patterns($1, $2) AS n", ["bigint[]", "bigint"],
                         [considered, marks["version"]])[0]["n"]
    changes = spi.run(plpy, "SELECT * FROM query_ml.apply_status_rule($1)", ["bigint[]"], [considered])[0]
    # One pass over the rows for both: what matching expected before this run, and after it.
    accuracy = spi.run(plpy, """
        WITH before AS (SELECT * FROM unnest($3::bigint[], $4::float8[]) AS b (id, calibrated))
        SELECT count(*) AS rows,
               avg(1 - least(1, abs(f.actual_improvement::float8 - x.before) / greatest(abs(x.before), 1))) AS before,
               avg(1 - least(1, abs(f.actual_improvement::float8 - x.after) / greatest(abs(x.after), 1))) AS after
          FROM query_ml.feedback f
          JOIN query_ml.optimizations o ON o.id = f.optimization_id
          JOIN query_ml.patterns p ON p.id = o.pattern_id
          LEFT JOIN before b ON b.id = p.id
         CROSS JOIN LATERAL (SELECT coalesce(CASE WHEN b.id IS NULL THEN p.calibrated_improvement ELSE b.calibrated END,
                                             o.estimated_improvement::float8) AS before,
                                    coalesce(p.calibrated_improvement, o.estimated_improvement::float8) AS after) x
         WHERE f.id > $1 AND f.id <= $2""", ["bigint", "bigint", "bigint[]", "float8[]"],
        [watermark, marks["high"], previous["ids"] or [], previous["values"] or []])[0]
    before = {"rows": accuracy["rows"], "accuracy": accuracy["before"]}
    after = {"accuracy": accuracy["after"]}

    details = spi.run(plpy, """SELECT coalesce(jsonb_object_agg(optimization_type, jsonb_build_object(
                                   'applications', applications, 'mean_error', round(mean_error::numeric, 2))), '{}')
                                   AS biases FROM query_ml.type_calibration""")[0]["biases"]
    run = spi.run(plpy, """
        INSERT INTO query_ml.refinement_runs (started_at, finished_at, mode, triggered_by, feedback_considered,
               patterns_considered, patterns_calibrated, patterns_flagged, patterns_retired, patterns_reinstated,
               accuracy_before, accuracy_after, feedback_watermark, version_watermark, details)
        VALUES (clock_timestamp() - make_interval(secs => $1), clock_timestamp(), $2, $3, $4, $5, $6, $7, $8, $9,
                $10, $11, $12, $13, jsonb_build_object('type_bias', $14::jsonb))
        RETURNING id""",
        ["float8", "text", "text", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "float8", "float8",
         "bigint", "bigint", "text"],
        [time.monotonic() - started, "full" if full else "incremental", triggered_by, before["rows"], len(considered),
         calibrated, changes["flagged"], changes["retired"], changes["reinstated"], before["accuracy"],
         after["accuracy"], marks["high"], marks["version"], details])[0]
    return [{"run_id": run["id"], "status": "succeeded", "mode": "full" if full else "incremental",
             "feedback_considered": before["rows"], "patterns_considered": len(considered),
             "patterns_calibrated": calibrated, "patterns_flagged": changes["flagged"],
             "patterns_retired": changes["retired"], "patterns_reinstated": changes["reinstated"],
             "accuracy_before": before["accuracy"], "accuracy_after": after["accuracy"],
             "seconds": time.monotonic() - started}]
