"""ml_analyze_feedback: what the feedback says, and what to do about it.

Every recommendation comes from a stated rule and carries the figures behind it:
  too_little_feedback   fewer measured results than the min_feedback setting
  slower_pattern        a pattern not yet retired whose mean improvement is below
                        retire_below_improvement, or with regressions in flag_regression_share
                        of its applications or more
  estimation_bias       a mean estimation error of bias_min_points or more, overall or for a
                        type, over at least min_feedback results
  stale_patterns        active patterns with no feedback for stale_after_days
  declining_accuracy    the accuracy trend over the window is declining
  refine                ml_refine() has never run, or not for a day while feedback arrived
"""
import json

from . import spi


def _settings(plpy):
    """The numeric settings the rules name, read through the one reader (spi.setting)."""
    return {name: float(spi.setting(plpy, name)) for name in
            ("min_feedback", "retire_min_applications", "bias_min_points", "stale_after_days")}


def _round(value, places=1):
    return None if value is None else round(float(value), places)


def analyze(plpy, days=30):
    # First, and by parameter: ml_accuracy_verdict checks the window (NULL, too long) for every report.
    trend = spi.run(plpy, f"SELECT * FROM {spi.api(plpy, 'ml_accuracy_verdict')}($1)", ["integer"], [days])[0]
    settings = _settings(plpy)
    overall = plpy.execute("""
        SELECT coalesce(sum(applications), 0) AS applications, sum(successes) AS successes,
               sum(regressions) AS regressions,
               (sum(successes)::numeric / nullif(sum(applications), 0))::float8 AS success_rate,
               (sum(sum_accuracy) / nullif(sum(applications), 0))::float8 AS accuracy,
               (sum(within_10)::numeric / nullif(sum(applications), 0))::float8 AS within_10,
               query_ml.mean_error(sum(sum_estimated), sum(sum_actual), sum(applications)) AS mean_error,
               query_ml.bias_verdict(query_ml.mean_error(sum(sum_estimated), sum(sum_actual), sum(applications)))
                   AS bias_verdict,
               (sum(sum_actual) / nullif(sum(applications), 0))::float8 AS mean_improvement
          FROM query_ml.pattern_stats""")[0]
    by_type = list(plpy.execute(f"SELECT * FROM {spi.api(plpy, 'ml_estimation_bias')}('type')"))
    patterns = list(plpy.execute("""
        SELECT p.id, p.signature, p.optimization_type AS type, p.status, t.applications, t.success_rate,
               t.mean_improvement, t.regressions, t.accuracy, t.confidence, t.confidence_wilson, t.last_applied,
               p.created_at, r.verdict
          FROM query_ml.patterns p JOIN query_ml.pattern_totals t ON t.pattern_id = p.id
          JOIN query_ml.status_rule r ON r.pattern_id = p.id"""))
    applied = [p for p in patterns if p["applications"] > 0]

    result = {
        "window_days": days,
        "feedback": int(overall["applications"]),
        "success_rate": _round(overall["success_rate"], 3),
        "regressions": int(overall["regressions"] or 0),
        "mean_improvement": _round(overall["mean_improvement"]),
        "accuracy": _round(overall["accuracy"], 3),
        "within_10_points": _round(overall["within_10"], 3),
        "trend": {key: (_round(value, 3) if isinstance(value, float) else value) for key, value in trend.items()},
        "bias": {"mean_error": _round(overall["mean_error"]), "verdict": overall["bias_verdict"],
                 "by_type": [{"type": r["key"], "applications": r["applications"], "mean_error": _round(r["mean_error"]),
                              "verdict": r["verdict"]} for r in by_type]},
        "successful_patterns": [_brief(p) for p in sorted(
            (p for p in applied if p["status"] != "retired" and (p["success_rate"] or 0) >= 0.5),
            key=lambda p: (-p["confidence"], -p["confidence_wilson"], -p["applications"]))[:5]],
        "areas_to_improve": {
            "patterns": [_brief(p) for p in sorted(applied, key=lambda p: (p["accuracy"], p["success_rate"]))[:5]],
            "types": [{"type": r["key"], "applications": r["applications"], "mean_abs_error": _round(r["mean_abs_error"]),
                       "verdict": r["verdict"]} for r in sorted(by_type, key=lambda r: -(r["mean_abs_error"] or 0))],
        },
    }
    result["recommendations"] = recommend(plpy, settings, result, applied, patterns, by_type)
    return result


def _brief(p):
    return {"pattern_id": p["id"], "signature": p["signature"], "type": p["type"], "status": p["status"],
            "applications": p["applications"], "success_rate": _round(p["success_rate"], 3),
            "mean_improvement": _round(p["mean_improvement"]), "accuracy": _round(p["accuracy"], 3),
            "confidence": _round(p["confidence"], 3)}


def recommend(plpy, settings, result, applied, patterns, by_type):
    advice = []

    def add(rule, severity, message, figures, pattern_id=None):
        item = {"rule": rule, "severity": severity, "message": message, "figures": figures}
        if pattern_id is not None:
            item["pattern_id"] = pattern_id
        advice.append(item)

    n, least = result["feedback"], int(settings["min_feedback"])
    if n < least:
        add("too_little_feedback", "info",
            f"Only {n} measured results so far; accuracy and confidence settle after about {least} "
            "(setting min_feedback). Measure more with ml_track() or submit results with ml_submit_feedback().",
            {"feedback": n, "min_feedback": least})

    retire_at = int(settings["retire_min_applications"])
    # The status rule (query_ml.status_rule) calls these patterns slower.
    slower = [p for p in applied if p["status"] != "retired" and p["verdict"] != "active"]
    for p in sorted(slower, key=lambda p: p["mean_improvement"])[:5]:
        add("slower_pattern", "warning",
            f"Pattern {p['id']} ({p['type']}, {p['signature']}) made queries slower: mean {p['mean_improvement']:.1f}% "
            f"over {p['applications']} applications, {p['regressions']} of them regressions. Stop applying it; "
            f"ml_refine() retires it at {retire_at} applications, or retire it now with "
            f"ml_set_pattern_status({p['id']}, 'retired').",
            {"applications": p["applications"], "mean_improvement": _round(p["mean_improvement"]),
             "regressions": p["regressions"]}, p["id"])

    threshold = settings["bias_min_points"]
    overall = result["bias"]["mean_error"]
    if overall is not None and abs(overall) >= threshold and n >= least:
        add("estimation_bias", "warning",
            f"Estimates run {abs(overall):.1f} points {'high' if overall > 0 else 'low'} on average over {n} results. "
            "ml_refine() corrects expected improvements for it; correct the estimates where they are made as well.",
            {"mean_error": overall, "feedback": n, "bias_min_points": threshold})
    for row in by_type:
        if row["mean_error"] is not None and abs(row["mean_error"]) >= threshold and row["applications"] >= least:
            add("estimation_bias", "warning",
                f"Estimates for {row['key']} optimizations run {abs(row['mean_error']):.1f} points "
                f"{'high' if row['mean_error'] > 0 else 'low'} over {row['applications']} results.",
                {"type": row["key"], "mean_error": _round(row["mean_error"]), "applications": row["applications"]})

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
            f"second half of the last {result['window_days']} days. Look at the types with the largest errors.",
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
