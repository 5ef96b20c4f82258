"""Start of an Amplify Gen 2 project to its first answered query, on both loaders.

Each run spawns ``python -m emulator serve examples/gen2-notes --in-memory`` in a fresh data dir
(as a user would: new interpreter, the project's ``resource.ts`` read by the Node helper, then the
transform, tables and server) with ``[gen2] loader = "fast"`` (a shim instead of
``@aws-amplify/backend``, no CDK) or ``"real"`` (the project's own ``@aws-amplify/backend``), and
polls ``listProfiles`` with the API key until it answers. Beside the wall time it reads, at that
moment, the CPU time the server and the processes it waited for (the Node helper) have used
(``/proc/<pid>/stat``), and the helper's own read time from the server's log: on a machine whose
cores are busy with other work the wall time grows with the load, the CPU time does not. The Gen 1
example's cold start (``bench.coldstart``) runs between them as a baseline under the same load.
Needs ``npm ci`` in examples/gen2-notes.

    .venv/bin/python -m bench.gen2_start [--starts N]     # also section "gen2" of python -m bench
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import coldstart
from bench.coldstart import cpu_seconds, first_answer
from bench.server import ROOT
from bench.stats import Figure
from emulator.auth.generated import load_generated
from emulator.testing import free_port

EXAMPLE = ROOT / "examples" / "gen2-notes"
QUERY = {"query": "{ listProfiles(limit: 1) { items { handle } } }"}
TARGET_S = 3.0
LOADERS = ("fast", "real")
_READ_IN = re.compile(r"read in (\d+) ms")


@dataclass(frozen=True)
class StartSample:
    """One start: wall seconds to the first answer, CPU seconds used by then, the helper's read."""

    wall_s: float
    cpu_s: float
    helper_s: float


@dataclass(frozen=True)
class LoaderFigures:
    wall: Figure
    cpu: Figure
    helper: Figure


@dataclass(frozen=True)
class Gen2Figures:
    loaders: dict[str, LoaderFigures]
    baseline: Figure
    baseline_cpu: Figure
    load: tuple[float, float]


def one_start(loader: str) -> StartSample:
    """One start of the example on ``loader``, from spawning the server to its first answer."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-gen2-") as scratch:
        data_dir = Path(scratch) / "data"
        api_key = str(load_generated(data_dir)["api_key"])  # the key the server will use
        config = Path(scratch) / "appsync-emulator.toml"
        config.write_text(f'[gen2]\nloader = "{loader}"\n')
        log = Path(scratch) / "server.log"
        command = [sys.executable, "-m", "emulator", "serve", str(EXAMPLE), "--config", str(config), "--port", str(port),
                   "--in-memory", "--data-dir", str(data_dir), "--log-level", "info", "--no-reload"]
        with log.open("w") as output:
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
                                       env={**os.environ, "PYTHONUNBUFFERED": "1"})
            try:
                wall = first_answer(port, process, started, QUERY, api_key)
                cpu = cpu_seconds(process.pid)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        read = _READ_IN.search(log.read_text())
    return StartSample(wall, cpu, int(read[1]) / 1000 if read else float("nan"))


def run(starts: int) -> Gen2Figures:
    """Both loaders, one warm-up start each (the OS file cache warm, as on a developer's machine),
    interleaved with the Gen 1 example's cold start as a baseline measured under the same load."""
    load_before = os.getloadavg()[0]
    samples: dict[str, list[StartSample]] = {loader: [] for loader in LOADERS}
    baseline: list[tuple[float, float]] = []
    for loader in LOADERS:
        one_start(loader)
    for _ in range(starts):
        for loader in LOADERS:
            samples[loader].append(one_start(loader))
        wall, _, cpu = coldstart.one_start()
        baseline.append((wall, cpu))
    loaders = {
        loader: LoaderFigures(Figure.of([s.wall_s for s in runs]), Figure.of([s.cpu_s for s in runs]),
                              Figure.of([s.helper_s for s in runs]))
        for loader, runs in samples.items()
    }
    return Gen2Figures(loaders, Figure.of([wall for wall, _ in baseline]), Figure.of([cpu for _, cpu in baseline]),
                       (load_before, os.getloadavg()[0]))


def targets(figures: Gen2Figures) -> list[str]:
    """The row of BENCHMARKS.md's targets table (judged on the wall time, CPU time beside it)."""
    fast = figures.loaders["fast"]
    verdict = "**met**" if fast.wall.median <= TARGET_S else "**not met**"
    return [f"| Gen 2 start to first answered query ≤ {TARGET_S:g} s (fast loader) | {fast.wall.text(2, ' s')} "
            f"(CPU {fast.cpu.text(2, ' s')}) | {verdict} |"]


def section(figures: Gen2Figures) -> list[str]:
    """The Amplify Gen 2 section of BENCHMARKS.md."""
    lines = ["", "## Amplify Gen 2: start to first answered query", "",
             "`python -m emulator serve examples/gen2-notes --in-memory` (3 models, 2 functions, a custom handler) "
             "to the first answered `listProfiles`, a fresh data dir each start, the OS file cache warm; the two "
             "loaders and the Gen 1 blog example's cold start interleaved. CPU = user + system time of the server "
             "and of the processes it waited for (the Node helper reading `resource.ts`) at the first answer; the "
             "helper's read is its own wall time as the server logs it. With 2 cores busy with other work the wall "
             "times include waiting for a core (1-minute load average "
             f"{figures.load[0]:.1f} at the start of this run, {figures.load[1]:.1f} at its end, for {os.cpu_count()} cores).",
             "", "| loader | command → first answer | CPU by then | Node helper's read |", "|---|---|---|---|"]
    for loader, found in figures.loaders.items():
        lines.append(f"| `{loader}` | {found.wall.text(2, ' s')} | {found.cpu.text(2, ' s')} | {found.helper.text(2, ' s')} |")
    lines.append(f"| Gen 1 blog example (baseline) | {figures.baseline.text(2, ' s')} | {figures.baseline_cpu.text(2, ' s')} | |")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args(argv)
    if not (EXAMPLE / "node_modules" / "@aws-amplify" / "backend").is_dir():
        raise SystemExit(f"run `npm ci` in {EXAMPLE} first")
    figures = run(args.starts)
    print("\n".join(targets(figures) + section(figures)))


if __name__ == "__main__":
    main()
