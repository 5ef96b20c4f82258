"""Lambda functions through the API: what the runners add to a handler's own time.

* **Warm call overhead**: p50 of a query served by a ``@function`` whose handler returns at once
  (Node and Python), minus p50 of a query of a field with no resolver, in the same round on the
  same keep-alive connection (so HTTP, auth and execution cancel out).
* **First call**: a fresh server's first call of a plain-JavaScript function (process start and
  handler import included), minus that round's warm p50 of the plain query.
* **Process per call**: ``amplify mock``'s design (a new Node process for every call) measured
  with the same runner script: spawn, load the handler, answer one request, exit.
* **8 clients on one function**: 8 threads calling a handler that works 100 ms (long enough that
  the server's own CPU is not the limit on 2 shared cores), with pools of 1, 4 and 8 instances:
  throughput, and every answer checked against its own request (lost or mixed up calls counted).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import httpx

from bench.stats import Figure, percentile
from emulator.resolvers.functions.interpreters import NODE_RUNNER
from emulator.testing import RunningEmulator, start_emulator

OVERHEAD_TARGET_MS = 2.0
FIRST_CALL_TARGET_MS = 300.0
CLIENTS = 8
POOLS = (1, 4, 8)
WORK_MS = 100
CALLS_PER_CLIENT = 5
API_KEY = "da2-benchfunctions000000000000"

SCHEMA = """
type Query {
  plain: String
  node(x: String): String @function(name: "node")
  python(x: String): String @function(name: "python")
""" + "".join(f'  work{size}(x: String): String @function(name: "work{size}")\n' for size in POOLS) + "}\n"

HANDLERS = {
    "node.mjs": "export const handler = async (event) => event.arguments.x;\n",
    "python.py": "def handler(event, context):\n    return event['arguments']['x']\n",
    "work.mjs": ("const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));\n"
                 f"export const handler = async (event) => {{ await sleep({WORK_MS}); return event.arguments.x; }};\n"),
}


@dataclass(frozen=True)
class PoolFigures:
    instances: int
    throughput: Figure  # calls per second, 8 clients
    wrong: int  # answers lost or not matching their request, over all rounds


@dataclass(frozen=True)
class FunctionFigures:
    plain_p50: Figure
    node_p50: Figure
    python_p50: Figure
    node_overhead: Figure
    python_overhead: Figure
    first_call: Figure
    spawn_per_call: Figure
    pools: list[PoolFigures]
    load: tuple[float, float]  # the machine's 1-minute load average at the start and the end


def _project(folder: Path) -> str:
    for name, text in HANDLERS.items():
        (folder / name).write_text(text)
    (folder / "schema.graphql").write_text(SCHEMA)
    functions = "".join(
        f'[functions.work{size}]\nhandler = "{folder / "work.mjs"}:handler"\nmax_instances = {size}\n' for size in POOLS)
    return (f'schema = "{folder / "schema.graphql"}"\n[auth.api_key]\nkeys = ["{API_KEY}"]\n'
            f'[functions.node]\nhandler = "{folder / "node.mjs"}:handler"\n'
            f'[functions.python]\nhandler = "{folder / "python.py"}:handler"\n{functions}')


def _timed(http: httpx.Client, url: str, query: str) -> tuple[float, dict]:  # type: ignore[type-arg]
    started = time.perf_counter()
    body = http.post(url, json={"query": query}, headers={"x-api-key": API_KEY}).json()
    return (time.perf_counter() - started) * 1000, body


def _round(running: RunningEmulator, iterations: int) -> tuple[float, float, float, float]:
    """First Node call, then p50 of plain / node / python interleaved."""
    with httpx.Client(timeout=30) as http:
        _timed(http, running.graphql_url, "{ plain }")  # the connection and the document caches
        first, _ = _timed(http, running.graphql_url, '{ node(x: "first") }')
        _timed(http, running.graphql_url, '{ python(x: "warm") }')
        samples: dict[str, list[float]] = {"plain": [], "node": [], "python": []}
        for number in range(iterations):
            for name, query in (("plain", "{ plain }"), ("node", f'{{ node(x: "{number}") }}'),
                                ("python", f'{{ python(x: "{number}") }}')):
                samples[name].append(_timed(http, running.graphql_url, query)[0])
    return first, *(percentile(samples[name], 0.5) for name in ("plain", "node", "python"))  # type: ignore[return-value]


def _spawn_per_call(folder: Path, calls: int) -> float:
    """p50 ms of one call in a new Node process (start, import, answer, exit), as amplify mock runs them."""
    node = shutil.which("node") or "node"
    request = b'{"id": "1", "event": {"arguments": {"x": "y"}}, "context": {}}\n'
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        subprocess.run([node, str(NODE_RUNNER), str(folder / "node.mjs"), "handler"], input=request,
                       capture_output=True, check=True, timeout=30)
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 0.5)


def _concurrent(running: RunningEmulator, field: str, calls_per_client: int) -> tuple[float, int]:
    """8 clients at once: calls per second, and answers that are missing or not their request's."""

    def client(number: int) -> int:
        wrong = 0
        with httpx.Client(timeout=60) as http:
            for call in range(calls_per_client):
                sent = f"c{number}-{call}"
                body = http.post(running.graphql_url, json={"query": f'{{ {field}(x: "{sent}") }}'},
                                 headers={"x-api-key": API_KEY}).json()
                wrong += (body.get("data") or {}).get(field) != sent
        return wrong

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda n: client(n) and 0, range(CLIENTS)))  # every instance started and warm
        started = time.perf_counter()
        wrong = sum(pool.map(client, range(CLIENTS)))
        elapsed = time.perf_counter() - started
    return CLIENTS * calls_per_client / elapsed, wrong


def run(rounds: int, iterations: int) -> FunctionFigures:
    load_before = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="bench-functions-"))
    config = _project(folder)
    firsts, plains, nodes, pythons, node_overheads, python_overheads, spawns = [], [], [], [], [], [], []
    throughputs: dict[int, list[float]] = {size: [] for size in POOLS}
    wrong: dict[int, int] = dict.fromkeys(POOLS, 0)
    try:
        for _ in range(rounds):
            running = start_emulator(folder / "schema.graphql", config, data_dir=folder / "data",
                                     extra_args=["--log-level", "warning", "--no-reload"])
            try:
                first, plain, node, python = _round(running, iterations)
                firsts.append(first - plain)
                plains.append(plain)
                nodes.append(node)
                pythons.append(python)
                node_overheads.append(node - plain)
                python_overheads.append(python - plain)
                for size in POOLS:
                    rate, mistakes = _concurrent(running, f"work{size}", CALLS_PER_CLIENT)
                    throughputs[size].append(rate)
                    wrong[size] += mistakes
            finally:
                running.stop()
            spawns.append(_spawn_per_call(folder, max(5, iterations // 10)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FunctionFigures(
        plain_p50=Figure.of(plains), node_p50=Figure.of(nodes), python_p50=Figure.of(pythons),
        node_overhead=Figure.of(node_overheads), python_overhead=Figure.of(python_overheads),
        first_call=Figure.of(firsts), spawn_per_call=Figure.of(spawns),
        pools=[PoolFigures(size, Figure.of(throughputs[size]), wrong[size]) for size in POOLS],
        load=(load_before, os.getloadavg()[0]),
    )


def _verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def targets(figures: FunctionFigures) -> list[str]:
    """Rows of BENCHMARKS.md's targets table."""
    scales = all(a.throughput.median < b.throughput.median for a, b in pairwise(figures.pools))
    lost = sum(pool.wrong for pool in figures.pools)
    rates = " / ".join(f"{pool.throughput.median:.0f}" for pool in figures.pools)
    return [
        f"| function warm call overhead ≤ {OVERHEAD_TARGET_MS:g} ms p50 (Node) | {figures.node_overhead.text(2, ' ms')} | "
        f"{_verdict(figures.node_overhead.median <= OVERHEAD_TARGET_MS)} |",
        f"| function warm call overhead ≤ {OVERHEAD_TARGET_MS:g} ms p50 (Python) | "
        f"{figures.python_overhead.text(2, ' ms')} | {_verdict(figures.python_overhead.median <= OVERHEAD_TARGET_MS)} |",
        f"| function first call ≤ {FIRST_CALL_TARGET_MS:g} ms (Node, plain JS) | {figures.first_call.text(0, ' ms')} | "
        f"{_verdict(figures.first_call.median <= FIRST_CALL_TARGET_MS)} |",
        f"| 8 clients on one function: throughput grows with the pool, no call lost or mixed up | "
        f"{rates} calls/s with {'/'.join(str(p.instances) for p in figures.pools)} instances, {lost} wrong | "
        f"{_verdict(scales and lost == 0)} |",
    ]


def section(figures: FunctionFigures) -> list[str]:
    """The Lambda functions section of BENCHMARKS.md."""
    lines = ["", "## Lambda functions", "",
             "A `@function` query whose handler returns its argument at once, against a field with no resolver, "
             "interleaved on one keep-alive connection (API key, `--log-level warning`); a fresh server per round. "
             "Overhead = the difference of the p50s: the event, the JSON-lines round trip to the runner process, "
             "the result. Each call wakes the runner process and then the server: on a machine whose cores are "
             "busy with other work, every wake-up waits for a core, which these figures include "
             f"(1-minute load average {figures.load[0]:.1f} at the start of this run, {figures.load[1]:.1f} at its "
             f"end, for {os.cpu_count()} cores).", "",
             "| | p50 ms | overhead ms |", "|---|---|---|",
             f"| field with no resolver | {figures.plain_p50.text()} | |",
             f"| Node function (warm) | {figures.node_p50.text()} | {figures.node_overhead.text()} |",
             f"| Python function (warm) | {figures.python_p50.text()} | {figures.python_overhead.text()} |",
             f"| Node function, first call of a fresh server (process start + import) | | {figures.first_call.text(0)} |",
             f"| a new Node process per call (`amplify mock`'s design, same runner) | | {figures.spawn_per_call.text(0)} |",
             "", f"{CLIENTS} client threads calling one function whose handler waits {WORK_MS} ms (warm instances; "
             f"the ceiling is {CLIENTS} × 1000 / {WORK_MS} = {CLIENTS * 1000 // WORK_MS} calls/s):", "",
             "| instances | calls/s | lost or mixed up |", "|---|---|---|"]
    lines += [f"| {pool.instances} | {pool.throughput.text(0)} | {pool.wrong} |" for pool in figures.pools]
    return lines
