"""make bench: every benchmark against one throwaway server, at 10k, 100k and 1M rows, the
workload in production (bench/production.py: pg_stat_statements scanned and captured), and the
learning report (bench/learning.py: what query_ml learns from streams with a known truth), and a
fleet's throughput (bench/fleet.py: rows loaded on two members until the hub's statistics hold them).

Prints one table (each figure, its spread, its reference measured in the same run, the ratio
and the aim), and writes it as CSV and Markdown with a PNG of the scaling curves.  A figure
that misses its aim is reported, not failed: a benchmark measures this machine as it is.
It exits 1 only when a result is wrong (a lost update, a statistics difference), or when query_ml
lacks what the learning report reads.
"""
import argparse
import datetime
import os
import pathlib
import platform
import sys
import time

import feedback
import fleet
import harness
import learning
import matching
import production
import report

HERE = pathlib.Path(__file__).resolve().parent


def machine(server):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    with server.connect() as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        conn.execute("CREATE EXTENSION IF NOT EXISTS query_ml CASCADE")
        parser = conn.execute("SELECT ml_parser_version()").fetchone()[0]
    return (f"{cpu}, {os.cpu_count()} cores, {memory / 2**20:.0f} GiB; {platform.system()} {platform.release()}; "
            f"PostgreSQL {version}; {parser}; {datetime.date.today()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "10000,100000,1000000"),
                        help="row counts to measure at, comma-separated")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)),
                        help="repetitions of each load and refinement")
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 300)),
                        help="calls per matching figure")
    parser.add_argument("--only", choices=["matching", "feedback", "learning", "production", "fleet"],
                        default=os.environ.get("BENCH_ONLY"))
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path(os.environ.get("BENCH_OUT",
                                                                                         HERE / "results")))
    args = parser.parse_args()
    scales = sorted({int(s) for s in args.scales.split(",")})
    args.out.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - began:6.0f} s] {message}", flush=True)

    figures, incomplete = [], False
    with harness.Server() as server:
        about = machine(server)
        log(f"machine: {about}")
        if args.only in (None, "matching"):
            figures += matching.measure(server, scales, args.repeat, cold_repeat=15, log=log)
        if args.only in (None, "feedback"):
            figures += feedback.measure(server, scales, args.rounds, accuracy_repeat=60, per_writer=1000, log=log)
        if args.only in (None, "production"):
            figures += production.measure(server, args.rounds, log=log)
        if args.only in (None, "fleet"):
            figures += fleet.measure(log=log, rounds=args.rounds)
        if args.only in (None, "learning"):
            try:
                figures += learning.measure(server, log=log)
            except learning.MissingInterface as missing:
                log(f"learning: not measured: {missing}")
                incomplete = True

    elapsed = time.perf_counter() - began
    text = report.table(figures)
    heading = (f"query_ml benchmarks, {elapsed / 60:.1f} min: {about}\n"
               f"medians of repeated measurements; spread is q1–q3; each ratio against a reference measured "
               f"in the same run")
    print(f"\n{heading}\n\n{text}\n")
    for f in figures:
        if f.note:
            print(f"- {f.name} at {f.rows:,}: {f.note}")
    (args.out / "bench.md").write_text(f"{heading}\n\n{text}\n")
    report.write_csv(figures, args.out / "bench.csv")
    written = [args.out / "bench.csv", args.out / "bench.md"]
    if any(f.area != "learning" for f in figures):      # the learning report draws no scaling curve
        report.chart(figures, args.out / "scaling.png", f"query_ml scaling: {about}")
        written.append(args.out / "scaling.png")
    print(f"\nwritten: {', '.join(str(path) for path in written)}")
    missed = [f"{f.name} at {f.rows:,}" for f in figures if f.met is False]
    print(f"aims missed: {', '.join(missed) if missed else 'none'}")
    if incomplete:
        print("the learning report was not measured: query_ml lacks what it reads (see above)")
    return 1 if incomplete or any(f.broken for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
