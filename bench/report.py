"""The suite's results: one row per figure and scale, printed as a table, written as CSV,
and drawn as scaling curves."""
import csv
import dataclasses

import harness


@dataclasses.dataclass
class Figure:
    """One measured figure at one scale, beside the reference measured in the same run.

    ratio is figure / reference for times, reference / figure for a "faster" ratio, and
    figure / reference for throughputs; ratio_label says which.  aim is None where the issue
    sets none for this scale; met says whether the aim holds."""
    area: str                      # patterns, feedback or session: the x axis it is charted on
    name: str
    rows: int
    unit: str                      # ms, s or rows/s
    samples: list
    reference: str = ""
    reference_samples: list = None
    ratio: float = None
    ratio_label: str = ""
    aim: str = None
    met: bool = None
    note: str = ""
    broken: bool = False           # a wrong result (a lost update, a statistics difference), not a slow one

    @property
    def stats(self):
        return harness.summary(self.samples)

    @property
    def reference_median(self):
        return harness.summary(self.reference_samples)["median"] if self.reference_samples else None


def _number(value, unit):
    if value is None:
        return ""
    if unit == "rows/s":
        return f"{value:,.0f}"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _rows_label(rows):
    return f"{rows // 1_000_000}M" if rows >= 1_000_000 and rows % 1_000_000 == 0 else \
        f"{rows // 1000}k" if rows >= 1000 and rows % 1000 == 0 else str(rows)


def table(figures):
    """The results as a Markdown table, as the README shows it."""
    lines = ["| figure | rows | median | spread (q1–q3) | n | reference | ratio | aim | |",
             "|---|---:|---:|---:|---:|---|---:|---|---|"]
    for f in figures:
        s = f.stats
        reference = f"{f.reference} ({_number(f.reference_median, f.unit)} {f.unit})" if f.reference else ""
        ratio = f"{f.ratio:.2f} {f.ratio_label}".strip() if f.ratio is not None else ""
        verdict = "" if f.met is None else ("met" if f.met else "**missed**")
        lines.append(f"| {f.name} | {_rows_label(f.rows)} | {_number(s['median'], f.unit)} {f.unit} | "
                     f"{_number(s['q1'], f.unit)}–{_number(s['q3'], f.unit)} | {s['n']} | {reference} | {ratio} | "
                     f"{f.aim or ''} | {verdict} |")
    return "\n".join(lines)


def write_csv(figures, path):
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["area", "figure", "rows", "unit", "median", "q1", "q3", "n", "reference",
                         "reference_median", "ratio", "ratio_label", "aim", "met", "note"])
        for f in figures:
            s = f.stats
            writer.writerow([f.area, f.name, f.rows, f.unit, s["median"], s["q1"], s["q3"], s["n"], f.reference,
                             f.reference_median, f.ratio, f.ratio_label, f.aim or "",
                             "" if f.met is None else f.met, f.note])


def chart(figures, path, title):
    """Log-log scaling curves: cost against stored patterns, and against feedback rows."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    panels = [("patterns", "stored patterns", "ms per call"), ("feedback", "feedback rows", "seconds")]
    fig, axes = pyplot.subplots(1, 2, figsize=(13, 5.2))
    for axis, (area, xlabel, ylabel) in zip(axes, panels):
        curves = {}
        for f in figures:
            if f.area == area and f.unit in ("ms", "s"):
                curves.setdefault((f.name, f.unit), []).append(f)
        for (name, unit), points in curves.items():
            if len(points) < 2:
                continue
            points.sort(key=lambda f: f.rows)
            scale = 1.0 if unit == ("ms" if area == "patterns" else "s") else (1e-3 if unit == "ms" else 1e3)
            x = [f.rows for f in points]
            y = [f.stats["median"] * scale for f in points]
            low = [max(0.0, (f.stats["median"] - f.stats["q1"]) * scale) for f in points]
            high = [max(0.0, (f.stats["q3"] - f.stats["median"]) * scale) for f in points]
            axis.errorbar(x, y, yerr=[low, high], marker="o", capsize=3, label=name)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel(xlabel)
        axis.set_ylabel(f"{ylabel} (median, q1–q3)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    pyplot.close(fig)
