"""What the APPSYNC_JS runtime costs per request, and what loading code costs once.

Run: ``.venv/bin/python bench/appsync_js_cost.py [--iterations N]``. Figures are medians (p50) and
p99 over N runs, in one thread, after a warm-up. The resolver is a typical Gen 2 custom handler
(``ddb.update`` with an increment, a condition, ``util.time``; a response that maps errors), the
code of ``tests/fixtures/appsync_js/likePost.js``. Targets (issue 13): a fresh context per request
<= 0.5 ms; a unit JS resolver (request + response handlers) adds <= 1 ms p50 over the data-source
call itself, which this does not include.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import quickjs

from emulator.resolvers.appsync_js import JsCodeLoader, JsInvocation, evaluate
from emulator.resolvers.appsync_js.runtime import PRELUDE, HostSwitch, JsLimits

ROOT = Path(__file__).resolve().parent.parent
RESOLVER = (ROOT / "tests" / "fixtures" / "appsync_js" / "likePost.js").read_text(encoding="utf-8")
CONTEXT = {
    "arguments": {"postId": "p1"},
    "identity": {"sub": "u1", "username": "alice", "claims": {"sub": "u1"}, "groups": None},
    "info": {"fieldName": "likePost", "parentTypeName": "Mutation", "variables": {}, "selectionSetList": ["id", "likes"]},
    "request": {"headers": {"content-type": "application/json"}, "domainName": None},
    "stash": {},
}
RESULT = {"id": "p1", "likes": 4, "likedBy": ["bob", "alice"], "updatedAt": "2024-01-01T00:00:00.000Z"}


def timed(action: Callable[[], object], iterations: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU-time (this thread) samples in ms. On a busy machine the wall clock
    also counts the time other processes held the CPU; the CPU time is the work itself."""
    for _ in range(min(50, iterations)):
        action()
    wall, cpu = [], []
    for _ in range(iterations):
        start, start_cpu = time.perf_counter(), time.thread_time()
        action()
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def p(samples: list[float], quantile: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


def bare_context() -> None:
    runtime = quickjs.Context()
    runtime.set_memory_limit(JsLimits().memory_bytes)
    runtime.set_max_stack_size(JsLimits().stack_bytes)
    runtime.add_callable("__appsync_host", HostSwitch())
    runtime.eval(PRELUDE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    iterations = parser.parse_args().iterations

    started = time.perf_counter()
    loader = JsCodeLoader()
    code = loader.load(RESOLVER, "likePost.js")
    first_load = (time.perf_counter() - started) * 1000
    names = itertools.count()  # a new name each time, so the loader's cache does not answer
    checks = timed(lambda: loader.load(RESOLVER, f"likePost{next(names)}.js"), max(20, iterations // 20))

    def unit_resolver() -> None:
        invocation = JsInvocation(code)
        invocation.evaluate("request", CONTEXT)
        invocation.evaluate("response", {**CONTEXT, "result": RESULT})

    fresh = timed(bare_context, iterations)
    request = timed(lambda: evaluate(code, "request", CONTEXT), iterations)
    both = timed(unit_resolver, iterations)

    rows = [
        ("fresh context: new QuickJS context, limits, host callable, prelude", fresh),
        ("one handler alone (`evaluate`): fresh context + module + run + JSON both ways", request),
        ("unit resolver (`JsInvocation`): request + response handlers in one fresh context", both),
        ("start-time check of one file (parse, rules, prepare, trial run)", checks),
    ]
    print(f"{iterations} runs each; first load (acorn set-up + check) {first_load:.0f} ms\n")
    print("| what | p50 ms | p99 ms | CPU p50 ms |")
    print("|---|---|---|---|")
    for label, (wall, cpu) in rows:
        print(f"| {label} | {statistics.median(wall):.3f} | {p(wall, 0.99):.3f} | {statistics.median(cpu):.3f} |")
    print(f"\nTargets (p50): fresh context <= 0.5 ms: {statistics.median(fresh[0]):.3f} ms; "
          f"unit resolver adds <= 1 ms: {statistics.median(both[0]):.3f} ms.")


if __name__ == "__main__":
    main()
