"""Cold start: from the command to the first answered query, with the embedded engine.

Each run spawns ``python -m emulator serve examples/blog/schema.graphql --config … --in-memory``
as a user would (new interpreter, nothing imported), then polls ``POST /graphql`` with a real
``listPosts`` query until it answers 200 with data. The server's own "Ready in" figure (start of
``build_state`` to listening) is reported beside it; the difference is interpreter start-up and
imports.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time

import httpx

from bench.server import ROOT, SCHEMA
from bench.stats import Figure
from emulator.testing import free_port

QUERY = {"query": "{ listPosts(limit: 1) { items { id } } }"}
API_KEY = "da2-blogexamplelocalkey000000"


def one_start() -> tuple[float, float]:
    """(seconds from spawn to the first answered query, the server's own "Ready in")."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as data_dir:
        command = [sys.executable, "-m", "emulator", "serve", str(SCHEMA), "--config",
                   str(ROOT / "examples" / "blog" / "appsync-emulator.toml"), "--port", str(port),
                   "--in-memory", "--data-dir", data_dir, "--log-level", "warning"]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            answered = first_answer(port, process, started)
            process.terminate()
            output, _ = process.communicate(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    ready = re.search(r"Ready in ([\d.]+)s", output)
    return answered, float(ready[1]) if ready else float("nan")


def first_answer(port: int, process: subprocess.Popen[str], started: float,
                  query: dict[str, str] = QUERY, api_key: str = API_KEY) -> float:
    url = f"http://127.0.0.1:{port}/graphql"
    deadline = started + 60
    with httpx.Client(timeout=5) as client:
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise RuntimeError("the emulator exited during start")
            try:
                response = client.post(url, json=query, headers={"x-api-key": api_key})
                if response.status_code == 200 and response.json().get("data"):
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.005)
    raise RuntimeError("the emulator did not answer within 60 s")


def run(starts: int) -> tuple[Figure, Figure]:
    """(command to first answer, server's "Ready in"), over ``starts`` starts after one warm-up
    start that fills the OS file cache (a developer's machine has it warm)."""
    one_start()
    results = [one_start() for _ in range(starts)]
    return Figure.of([r[0] for r in results]), Figure.of([r[1] for r in results])


def import_profile() -> list[tuple[str, float]]:
    """The costliest packages imported at start-up (``-X importtime`` of ``emulator.server``):
    each package's cumulative time where it is first imported, in ms."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import emulator.server"], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    packages: dict[str, float] = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s*(\S+)", line)
        if match and "." not in match[2] and not match[2].startswith("_"):
            packages[match[2]] = max(packages.get(match[2], 0.0), int(match[1]) / 1000)
    return sorted(packages.items(), key=lambda row: -row[1])[:10]


if __name__ == "__main__":  # pragma: no cover - manual use
    print(run(3))
    print(import_profile())
