"""ml_improvement_report: the analysis, the numbers behind it and the refinement history, as
jsonb for tools and as text for psql.

Every figure comes from a human-facing function (ml_stats_summary, ml_accuracy, ml_accuracy_trend,
ml_refinement_history, ml_analyze_feedback's analysis), already rounded as the README's "Reading
the output" says: the text prints them as they are, and rounds nothing again."""
import json
import textwrap

from . import analysis, spi

WIDTH = 110


def report(plpy, days=30):
    # First, and by parameter: ml_accuracy_trend checks the window (NULL, too long).
    trend = [dict(r) for r in spi.run(
        plpy, f"SELECT bucket_start, feedback, accuracy, bar FROM {spi.api(plpy, 'ml_accuracy_trend')}($1)",
        ["integer"], [days])]
    summary = {row["metric"]: row["value"] for row in plpy.execute(f"SELECT * FROM {spi.api(plpy, 'ml_stats_summary')}()")}
    # The overall figures are the summary's and the analysis's: only the types here.
    by_type = [dict(r) for r in plpy.execute(
        f"SELECT key AS type, applications, accuracy, within_10, mean_error FROM {spi.api(plpy, 'ml_accuracy')}(0) "
        "WHERE level = 'type'")]
    runs = [dict(r) for r in plpy.execute(f"""
        SELECT id, finished_at, mode, triggered_by, feedback_considered, patterns_considered, patterns_retired,
               patterns_flagged, accuracy_before, accuracy_after FROM {spi.api(plpy, 'ml_refinement_history')}(5)""")]
    status = [dict(r) for r in plpy.execute("""
        SELECT id AS pattern_id, status, signature, status_reason FROM query_ml.patterns
         WHERE status <> 'active' ORDER BY status_changed_at DESC NULLS LAST LIMIT 20""")]
    return {"summary": summary, "analysis": analysis.analyze(plpy, days), "accuracy": by_type, "trend": trend,
            "refinements": runs, "flagged_and_retired": status}


def as_json(plpy, days=30):
    return json.dumps(report(plpy, days), default=str)


def _shown(value):
    return "-" if value is None else str(value)


def _table(rows, columns):
    """rows as an aligned table under a header: (title, key) columns, numbers to the right."""
    cells = [[_shown(row[key]) for _, key in columns] for row in rows]
    numeric = [all(isinstance(row[key], (int, float)) or row[key] is None for row in rows) for _, key in columns]
    widths = [max([len(title)] + [len(line[i]) for line in cells]) for i, (title, _) in enumerate(columns)]

    def line(values):
        return "  " + "  ".join(v.rjust(w) if right else v.ljust(w)
                                for v, w, right in zip(values, widths, numeric)).rstrip()
    return [line([title for title, _ in columns])] + [line(values) for values in cells] if rows else ["  none"]


def _wrapped(first, text):
    """text after first, wrapped, its later lines under its first."""
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=" " * len(first)) or [first.rstrip()]


def as_text(plpy, days=30):
    r = report(plpy, days)
    a = r["analysis"]
    title = f"query_ml improvement report, last {a['window_days']} days"
    lines = [title, "=" * len(title), ""]
    trend = a["trend"]["verdict"] + ("" if a["trend"]["change_points"] is None
                                     else f" ({a['trend']['change_points']:+} points)")
    summary = list(r["summary"].items())
    at = next((i + 1 for i, (key, _) in enumerate(summary) if key == "estimation bias"), len(summary))
    summary[at:at] = [(f"trend over {a['window_days']} days", trend)]
    lines += ["Summary"] + [f"  {key:<28} {_shown(value)}" for key, value in summary] + [""]
    lines += ["Accuracy by type"] + _table(r["accuracy"], [
        ("type", "type"), ("results", "applications"), ("accuracy", "accuracy"),
        ("within 10 points", "within_10"), ("mean error", "mean_error")]) + [""]
    lines += [f"Accuracy per day, last {a['window_days']} days"] + [
        f"  {str(row['bucket_start'])[:10]}  {row['feedback']:>6}  {row['bar']}" for row in r["trend"] if row["feedback"]] \
        + ([] if any(row["feedback"] for row in r["trend"]) else ["  none"]) + [""]
    lines += ["Patterns that work"] + _table(a["successful_patterns"], [
        ("pattern", "pattern_id"), ("type", "type"), ("results", "applications"), ("success rate", "success_rate"),
        ("mean improvement", "mean_improvement"), ("confidence", "confidence"), ("signature", "signature")]) + [""]
    lines += ["Flagged and retired"] + [
        line for p in r["flagged_and_retired"]
        for line in _wrapped(f"  #{p['pattern_id']:<5} {p['status']:<8} ", p["status_reason"] or "")] \
        + ([] if r["flagged_and_retired"] else ["  none"]) + [""]
    lines += ["Recommendations"] + [
        line for item in a["recommendations"]
        for line in _wrapped(f"  [{item['severity']}] ", item["message"])] \
        + ([] if a["recommendations"] else ["  none"]) + [""]
    lines += ["Refinements"] + _table(r["refinements"], [
        ("run", "id"), ("finished", "finished_at"), ("mode", "mode"), ("by", "triggered_by"),
        ("results", "feedback_considered"), ("patterns", "patterns_considered"), ("retired", "patterns_retired"),
        ("flagged", "patterns_flagged"), ("accuracy before", "accuracy_before"), ("after", "accuracy_after")])
    return "\n".join(lines)
