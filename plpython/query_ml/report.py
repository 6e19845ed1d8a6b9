"""ml_improvement_report: the analysis, the numbers behind it and the refinement history, as
jsonb for tools and as text for psql."""
import json

from . import analysis, spi


def report(plpy, days=30):
    # First, and by parameter: ml_accuracy_trend checks the window (NULL, too long).
    trend = [dict(r) for r in spi.run(
        plpy, f"SELECT bucket_start, feedback, accuracy, bar FROM {spi.api(plpy, 'ml_accuracy_trend')}($1)",
        ["integer"], [days])]
    summary = {row["metric"]: row["value"] for row in plpy.execute(f"SELECT * FROM {spi.api(plpy, 'ml_stats_summary')}()")}
    by_type = [dict(r) for r in plpy.execute(
        f"SELECT level, key, applications, accuracy, within_10, mean_error FROM {spi.api(plpy, 'ml_accuracy')}(0) "
        "WHERE level IN ('overall', 'type')")]
    runs = [dict(r) for r in plpy.execute("""
        SELECT id, finished_at, mode, triggered_by, feedback_considered, patterns_considered, patterns_retired,
               patterns_flagged, accuracy_before, accuracy_after
          FROM query_ml.refinement_runs ORDER BY id DESC LIMIT 5""")]
    status = [dict(r) for r in plpy.execute("""
        SELECT id AS pattern_id, status, signature, status_reason FROM query_ml.patterns
         WHERE status <> 'active' ORDER BY status_changed_at DESC NULLS LAST LIMIT 20""")]
    return {"summary": summary, "analysis": analysis.analyze(plpy, days), "accuracy": by_type, "trend": trend,
            "refinements": runs, "flagged_and_retired": status}


def as_json(plpy, days=30):
    return json.dumps(report(plpy, days), default=str)


def as_text(plpy, days=30):
    r = report(plpy, days)
    a = r["analysis"]
    pct = lambda v: "-" if v is None else f"{100 * float(v):.1f}%"
    num = lambda v: "-" if v is None else f"{float(v):.1f}"
    lines = ["query_ml improvement report", "=" * 27, ""]
    lines += ["Summary"] + [f"  {key:<28} {value}" for key, value in r["summary"].items()] + [""]
    lines += ["Feedback",
              f"  measured results             {a['feedback']}",
              f"  success rate                 {pct(a['success_rate'])}",
              f"  mean improvement             {num(a['mean_improvement'])}%",
              f"  estimation accuracy          {pct(a['accuracy'])} ({pct(a['within_10_points'])} within 10 points)",
              f"  estimation bias              {a['bias']['verdict']}",
              f"  {'trend over %d days' % a['window_days']:<29}{a['trend']['verdict']}"
              + ("" if a["trend"]["change_points"] is None else f" ({a['trend']['change_points']:+.1f} points)"), ""]
    lines += ["Accuracy by type"] + [
        f"  {row['key']:<10} {row['applications']:>8} results  accuracy {pct(row['accuracy'])}  "
        f"within 10 points {pct(row['within_10'])}  mean error {num(row['mean_error'])}"
        for row in r["accuracy"] if row["level"] == "type"] + [""]
    lines += [f"Accuracy per day, last {a['window_days']} days"] + [
        f"  {str(row['bucket_start'])[:10]}  {row['feedback']:>6}  {row['bar']}" for row in r["trend"] if row["feedback"]] + [""]
    lines += ["Patterns that work"] + [
        f"  #{p['pattern_id']:<5} {p['type']:<8} {p['applications']:>6} results, success {pct(p['success_rate'])}, "
        f"mean {num(p['mean_improvement'])}%, confidence {p['confidence']:.2f}  {p['signature']}"
        for p in a["successful_patterns"]] + [""]
    lines += ["Flagged and retired"] + [
        f"  #{p['pattern_id']:<5} {p['status']:<8} {p['status_reason'] or ''}" for p in r["flagged_and_retired"]] + [""]
    lines += ["Recommendations"] + [f"  [{item['severity']}] {item['message']}" for item in a["recommendations"]] \
        + (["  none"] if not a["recommendations"] else []) + [""]
    lines += ["Refinements"] + [
        f"  run {run['id']} {str(run['finished_at'] or 'unfinished')[:19]} {run['mode']:<11} by {run['triggered_by']:<7} "
        f"{run['feedback_considered']} results, {run['patterns_considered']} patterns, retired {run['patterns_retired']}, "
        f"flagged {run['patterns_flagged']}, accuracy {pct(run['accuracy_before'])} -> {pct(run['accuracy_after'])}"
        for run in r["refinements"]]
    return "\n".join(lines)
