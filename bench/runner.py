"""Runs the benchmark sections, then writes ``BENCHMARKS.md`` and ``docs/benchmarks.png``.

    python -m bench                  # everything, full size (about 45 minutes on 2 cores)
    python -m bench --quick          # fewer rounds, iterations and items, for a smoke run
    python -m bench --only http,cold # some sections: cold, http, sizes, leak, persistence, fanout, search,
                                     # auth, js, functions, custom, gen2

Everything runs on 127.0.0.1 against servers this process starts and stops.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bench import coldstart, fanout, functions, gen2_start, http_latency, leak, restart, search, table_size
from bench.machine import describe
from bench.report import Results, chart, render

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("cold", "http", "sizes", "leak", "persistence", "fanout", "search", "auth", "js", "functions", "custom",
            "gen2")


def _script_figures(script: str, iterations: int) -> str:
    """A standalone figures script's markdown (``bench/<script>``), kept verbatim."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--iterations", str(iterations)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    return done.stdout if done.returncode == 0 else f"bench/{script} failed:\n{done.stderr[-2000:]}"


@contextlib.contextmanager
def _measuring(results: Results, section: str, title: str) -> Iterator[None]:
    """Announce a section and note the machine's load around it (figures on a busy machine are
    slower; the report says how busy it was)."""
    print(title, flush=True)
    before = os.getloadavg()[0]
    yield
    results.load[section] = (before, os.getloadavg()[0])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and iterations")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--chart", type=Path, default=ROOT / "docs" / "benchmarks.png")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    rounds, iterations = (3, 100) if args.quick else (5, 300)
    results = Results(machine=describe(), settings=f"{time.strftime('%Y-%m-%d')}, "
                      f"{'--quick' if args.quick else 'full'}: {rounds} rounds of {iterations} requests per HTTP figure")
    if "cold" in only:
        with _measuring(results, "cold", "cold start…"):
            results.cold_start = coldstart.run(3 if args.quick else 7)
            results.import_profile = coldstart.import_profile()
    if "http" in only:
        with _measuring(results, "http", "HTTP latency…"):
            results.http = http_latency.run(rounds, iterations)
            results.http_logging = http_latency.run(max(3, rounds // 2), iterations, log_level="info")
    if "sizes" in only:
        with _measuring(results, "sizes", "table sizes…"):
            sizes = (1_000, 10_000, 50_000) if args.quick else table_size.SIZES
            results.sizes = table_size.run(3, 30 if args.quick else 60, sizes)
    if "leak" in only:
        with _measuring(results, "leak", "memory over reads and transactions…"):
            results.leak = leak.run(*((10_000, 1_000) if args.quick else (100_000, 10_000)))
    if "persistence" in only:
        with _measuring(results, "persistence", "persistence…"):
            results.persistence = restart.run((10_000, 30_000) if args.quick else restart.SIZES, 300 if args.quick else 1000)
    if "fanout" in only:
        with _measuring(results, "fanout", "subscriptions…"):
            results.fanout, results.memory = fanout.run(events=20 if args.quick else 50, rounds=3)
    if "search" in only:
        with _measuring(results, "search", "@searchable…"):
            results.search = search.run(3, 20 if args.quick else 50, items=10_000 if args.quick else search.ITEMS)
    if "functions" in only:
        with _measuring(results, "functions", "Lambda functions…"):
            results.functions = functions.run(rounds, iterations)
    if "auth" in only:
        with _measuring(results, "auth", "auth cost…"):
            results.appendix["Auth cost per request (bench/auth_cost.py)"] = _script_figures(
                "auth_cost.py", 300 if args.quick else 2000)
    if "js" in only:
        with _measuring(results, "js", "APPSYNC_JS cost…"):
            results.appendix["APPSYNC_JS cost per resolver call (bench/appsync_js_cost.py)"] = _script_figures(
                "appsync_js_cost.py", 300 if args.quick else 2000)
    if "custom" in only:
        with _measuring(results, "custom", "custom resolver cost…"):
            results.appendix["Custom resolvers: added per request over the data-source call (bench/custom_resolver_cost.py)"] = (
                _script_figures("custom_resolver_cost.py", 300 if args.quick else 2000))
    if "gen2" in only:
        if (gen2_start.EXAMPLE / "node_modules").is_dir():
            print("Amplify Gen 2 start…", flush=True)
            results.gen2 = gen2_start.run(3 if args.quick else 5)
        else:
            print(f"Amplify Gen 2 start skipped: run `npm ci` in {gen2_start.EXAMPLE}", flush=True)
    chart(results, args.chart)
    args.out.write_text(render(results, args.chart.relative_to(args.out.parent).as_posix()), encoding="utf-8")
    print(f"wrote {args.out} and {args.chart}")
