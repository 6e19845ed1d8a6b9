"""ml_analyze_feedback: what the feedback says, and what to do about it.

Every figure comes from the feedback rows applied within the window (the last `days` days, up to
now), grouped in one statement: overall, per optimization type and per pattern, with the
formulas of query_ml.estimate_accuracy, query_ml.mean_error, query_ml.bias_verdict and the
thresholds of query_ml.thresholds().  SQL orders and cuts every list; this module assembles the
JSON and words the recommendations.

A pattern is harmful when it was applied within the window, is not retired (by ml_refine or by
hand), and either its mean improvement within the window is below 0 or the status rule
(query_ml.status_rule) flags or retires it.  Harmful patterns are listed most harmful first: the
lowest summed improvement within the window (mean x applications, the time lost), then the lowest
mean; at most HARMFUL_LIMIT of them, with the count of the rest as "more".

Every recommendation comes from a stated rule and carries the figures behind it:
  too_little_feedback   fewer measured results within the window than the min_feedback setting
  slower_pattern        a harmful pattern, one warning each, most harmful first; and, when the
                        limit cuts the list, one more naming how many are left out
  estimation_bias       a mean estimation error of bias_min_points or more, overall or for a
                        type, over at least min_feedback results within the window
  stale_patterns        active patterns with no feedback for stale_after_days (its own window)
  declining_accuracy    the accuracy trend over the window is declining
  refine                ml_refine() has never run, or not for a day while feedback arrived
"""
import json

from . import spi

HARMFUL_LIMIT = 20
SHORT_LIST = 5

# $1 the window in days, $2 HARMFUL_LIMIT, $3 SHORT_LIST.  One row per group and list, the lists
# in their order: overall (always one row), bias_by_type, types_by_error, harmful, working, areas.
_FIGURES = """
WITH sums AS MATERIALIZED (
    SELECT CASE WHEN grouping(p.optimization_type) = 1 THEN 'overall'
                WHEN grouping(o.pattern_id) = 1 THEN 'type' ELSE 'pattern' END AS level,
           p.optimization_type AS type, o.pattern_id, count(*) AS applications,
           count(*) FILTER (WHERE f.actual_improvement >= t.success) AS successes,
           count(*) FILTER (WHERE f.actual_improvement < t.regression) AS regressions,
           sum(f.actual_improvement) AS sum_actual, sum(o.estimated_improvement) AS sum_estimated,
           sum(abs(o.estimated_improvement - f.actual_improvement)) AS sum_abs_error,
           sum(query_ml.estimate_accuracy(f.actual_improvement, o.estimated_improvement)) AS sum_accuracy,
           count(*) FILTER (WHERE abs(o.estimated_improvement - f.actual_improvement) <= 10) AS within_10
      FROM query_ml.feedback f
      JOIN query_ml.optimizations o ON o.id = f.optimization_id
      JOIN query_ml.patterns p ON p.id = o.pattern_id
     CROSS JOIN query_ml.thresholds() t
     WHERE f.applied_at >= now() - make_interval(days => $1) AND f.applied_at <= now()
     GROUP BY GROUPING SETS ((), (p.optimization_type), (p.optimization_type, o.pattern_id))
), figures AS MATERIALIZED (
    SELECT s.level, s.type, s.pattern_id, p.signature, p.status, r.verdict, r.reason AS rule_reason,
           coalesce(p.status_reason, '') LIKE 'manual:%' AS manual,
           s.applications, s.successes, s.regressions, s.sum_actual,
           (s.successes::numeric / nullif(s.applications, 0))::float8 AS success_rate,
           (s.sum_actual / nullif(s.applications, 0))::float8 AS mean_improvement,
           (s.sum_accuracy / nullif(s.applications, 0))::float8 AS accuracy,
           (s.within_10::numeric / nullif(s.applications, 0))::float8 AS within_10,
           query_ml.mean_error(s.sum_estimated, s.sum_actual, s.applications) AS mean_error,
           query_ml.bias_verdict(query_ml.mean_error(s.sum_estimated, s.sum_actual, s.applications)) AS bias_verdict,
           (s.sum_abs_error / nullif(s.applications, 0))::float8 AS mean_abs_error,
           query_ml.confidence_score(s.applications, s.successes, s.sum_actual) AS confidence,
           query_ml.wilson_lower_bound(s.applications, s.successes) AS confidence_wilson,
           s.level = 'pattern' AND p.status <> 'retired' AND (s.sum_actual < 0 OR r.verdict <> 'active') AS harmful
      FROM sums s
      LEFT JOIN query_ml.patterns p ON p.id = s.pattern_id
      LEFT JOIN query_ml.status_rule r ON r.pattern_id = s.pattern_id
)
SELECT 'overall' AS list, 1::bigint AS rank, 1::bigint AS total, f.* FROM figures f WHERE f.level = 'overall'
UNION ALL
SELECT 'bias_by_type', row_number() OVER (ORDER BY abs(f.mean_error) DESC, f.type), count(*) OVER (), f.*
  FROM figures f WHERE f.level = 'type'
UNION ALL
SELECT 'types_by_error', row_number() OVER (ORDER BY f.mean_abs_error DESC, f.type), count(*) OVER (), f.*
  FROM figures f WHERE f.level = 'type'
UNION ALL
(SELECT 'harmful', row_number() OVER w, count(*) OVER (), f.*
   FROM figures f WHERE f.harmful
 WINDOW w AS (ORDER BY f.sum_actual, f.mean_improvement, f.pattern_id)
  ORDER BY 2 LIMIT $2)
UNION ALL
(SELECT 'working', row_number() OVER w, count(*) OVER (), f.*
   FROM figures f WHERE f.level = 'pattern' AND f.status <> 'retired' AND NOT f.harmful AND f.success_rate >= 0.5
 WINDOW w AS (ORDER BY f.confidence DESC, f.confidence_wilson DESC, f.applications DESC, f.pattern_id)
  ORDER BY 2 LIMIT $3)
UNION ALL
(SELECT 'areas', row_number() OVER w, count(*) OVER (), f.*
   FROM figures f WHERE f.level = 'pattern'
 WINDOW w AS (ORDER BY f.accuracy, f.success_rate, f.pattern_id)
  ORDER BY 2 LIMIT $3)
ORDER BY 1, 2
"""


def _settings(plpy):
    """The numeric settings the rules name, read through the one reader (spi.setting)."""
    return {name: float(spi.setting(plpy, name)) for name in
            ("min_feedback", "retire_min_applications", "bias_min_points", "stale_after_days")}


def _round(value, places=1):
    return None if value is None else round(float(value), places)


def _lists(plpy, days):
    """The window's figures, by list, each list in its order; and the size of each list uncut."""
    lists = {name: [] for name in ("overall", "bias_by_type", "types_by_error", "harmful", "working", "areas")}
    totals = dict.fromkeys(lists, 0)
    rows = spi.run(plpy, _FIGURES, ["integer", "integer", "integer"], [days, HARMFUL_LIMIT, SHORT_LIST])
    for row in rows:
        lists[row["list"]].append(row)
        totals[row["list"]] = row["total"]
    return lists, totals


def analyze(plpy, days=30):
    # First, and by parameter: ml_accuracy_verdict checks the window (NULL, too long) for every report.
    trend = spi.run(plpy, f"SELECT * FROM {spi.api(plpy, 'ml_accuracy_verdict')}($1)", ["integer"], [days])[0]
    settings = _settings(plpy)
    lists, totals = _lists(plpy, days)
    overall = lists["overall"][0]

    result = {
        "window_days": days,
        "feedback": int(overall["applications"]),
        "success_rate": _round(overall["success_rate"], 3),
        "regressions": int(overall["regressions"]),
        "mean_improvement": _round(overall["mean_improvement"]),
        "accuracy": _round(overall["accuracy"], 3),
        "within_10_points": _round(overall["within_10"], 3),
        "trend": {key: (_round(value, 3) if isinstance(value, float) else value) for key, value in trend.items()},
        "bias": {"mean_error": _round(overall["mean_error"]), "verdict": overall["bias_verdict"],
                 "by_type": [{"type": r["type"], "applications": r["applications"], "mean_error": _round(r["mean_error"]),
                              "verdict": r["bias_verdict"]} for r in lists["bias_by_type"]]},
        "successful_patterns": [_brief(p) for p in lists["working"]],
        "harmful_patterns": {
            "patterns": [dict(_brief(p), regressions=p["regressions"], status_rule=p["verdict"]) for p in lists["harmful"]],
            "more": totals["harmful"] - len(lists["harmful"])},
        "areas_to_improve": {
            "patterns": [_brief(p) for p in lists["areas"]],
            "types": [{"type": r["type"], "applications": r["applications"], "mean_abs_error": _round(r["mean_abs_error"]),
                       "verdict": r["bias_verdict"]} for r in lists["types_by_error"]],
        },
    }
    result["recommendations"] = recommend(plpy, settings, result, lists["harmful"], lists["bias_by_type"])
    return result


def _brief(p):
    return {"pattern_id": p["pattern_id"], "signature": p["signature"], "type": p["type"], "status": p["status"],
            "applications": p["applications"], "success_rate": _round(p["success_rate"], 3),
            "mean_improvement": _round(p["mean_improvement"]), "accuracy": _round(p["accuracy"], 3),
            "confidence": _round(p["confidence"], 3)}


def recommend(plpy, settings, result, harmful, by_type):
    advice = []
    days = result["window_days"]

    def add(rule, severity, message, figures, pattern_id=None):
        item = {"rule": rule, "severity": severity, "message": message, "figures": figures}
        if pattern_id is not None:
            item["pattern_id"] = pattern_id
        advice.append(item)

    n, least = result["feedback"], int(settings["min_feedback"])
    if n < least:
        add("too_little_feedback", "info",
            f"Only {n} measured results in the last {days} days; accuracy and confidence settle after about {least} "
            "(setting min_feedback). Measure more with ml_track() or submit results with ml_submit_feedback().",
            {"feedback": n, "min_feedback": least, "window_days": days})

    retire_at = int(settings["retire_min_applications"])
    for p in harmful:
        figures = (f"over {p['applications']} applications in the last {days} days, "
                   f"{p['regressions']} of them regressions")
        if p["mean_improvement"] < 0:
            what = f"made queries slower: mean {p['mean_improvement']:.1f}% {figures}."
            todo = (f"Stop applying it; ml_refine() retires it at {retire_at} applications, or retire it now with "
                    f"ml_set_pattern_status({p['pattern_id']}, 'retired').")
        else:
            what = (f"is {p['verdict']} by the status rule ({p['rule_reason']}), "
                    f"though its mean was {p['mean_improvement']:+.1f}% {figures}.")
            todo = f"Stop applying it, or retire it with ml_set_pattern_status({p['pattern_id']}, 'retired')."
        if p["manual"]:
            todo = (f"Its status was set by hand, which ml_refine() leaves alone: retire it with "
                    f"ml_set_pattern_status({p['pattern_id']}, 'retired').")
        add("slower_pattern", "warning", f"Pattern {p['pattern_id']} ({p['type']}, {p['signature']}) {what} {todo}",
            {"applications": p["applications"], "mean_improvement": _round(p["mean_improvement"]),
             "regressions": p["regressions"]}, p["pattern_id"])
    more = result["harmful_patterns"]["more"]
    if more:
        add("slower_pattern", "warning",
            f"{more} more harmful {'pattern loses' if more == 1 else 'patterns lose'} less time in the last {days} "
            f"days than the {len(harmful)} above, and {'is' if more == 1 else 'are'} not listed. ml_refine() flags "
            "or retires them by the status rule; ml_patterns(status => 'flagged') lists those it flagged.",
            {"listed": len(harmful), "more": more})

    threshold = settings["bias_min_points"]
    overall = result["bias"]["mean_error"]
    if overall is not None and abs(overall) >= threshold and n >= least:
        add("estimation_bias", "warning",
            f"Estimates run {abs(overall):.1f} points {'high' if overall > 0 else 'low'} on average over {n} results "
            f"in the last {days} days. "
            "ml_refine() corrects expected improvements for it; correct the estimates where they are made as well.",
            {"mean_error": overall, "feedback": n, "bias_min_points": threshold})
    for row in by_type:
        if abs(row["mean_error"]) >= threshold and row["applications"] >= least:
            add("estimation_bias", "warning",
                f"Estimates for {row['type']} optimizations run {abs(row['mean_error']):.1f} points "
                f"{'high' if row['mean_error'] > 0 else 'low'} over {row['applications']} results "
                f"in the last {days} days.",
                {"type": row["type"], "mean_error": _round(row["mean_error"]), "applications": row["applications"]})

    stale_days = int(settings["stale_after_days"])
    stale = list(plpy.execute(f"""
        SELECT p.id, coalesce(t.last_applied, p.created_at) AS since FROM query_ml.patterns p
          JOIN query_ml.pattern_totals t ON t.pattern_id = p.id
         WHERE p.status = 'active' AND coalesce(t.last_applied, p.created_at) < now() - interval '{stale_days} days'
         ORDER BY 2"""))
    if stale:
        add("stale_patterns", "info",
            f"{len(stale)} active patterns have had no feedback for {stale_days} days or more "
            f"(setting stale_after_days), the oldest since {stale[0]['since'][:10]}. "
            "Measure them again, or retire those that no longer apply.",
            {"patterns": [r["id"] for r in stale[:20]], "stale_after_days": stale_days})

    if result["trend"]["verdict"] == "declining":
        add("declining_accuracy", "warning",
            f"Estimation accuracy fell by {-result['trend']['change_points']:.1f} points between the first and the "
            f"second half of the last {days} days. Look at the types with the largest errors.",
            {key: result["trend"][key] for key in ("first_half", "second_half", "change_points")})

    last = plpy.execute("SELECT max(finished_at) AS at, max(finished_at) < now() - interval '1 day' AS old "
                        "FROM query_ml.refinement_runs")[0]
    if n and (last["at"] is None or last["old"]):
        add("refine", "info",
            "ml_refine() has " + ("never run" if last["at"] is None else f"not run since {last['at'][:16]}")
            + ": expected improvements are not calibrated and harmful patterns not retired. "
            "Run it, or schedule it with ml_schedule_refinement('*/10 * * * *').",
            {"last_refinement": last["at"]})
    return advice


def as_json(plpy, days=30):
    return json.dumps(analyze(plpy, days), default=str)
