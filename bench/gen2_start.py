"""Start of an Amplify Gen 2 project to its first answered query, on both loaders.

Each run spawns ``python -m emulator serve examples/gen2-notes --in-memory`` in a fresh data dir
(as a user would: new interpreter, the project's ``resource.ts`` read by the Node helper, then the
transform, tables and server) with ``[gen2] loader = "fast"`` (a shim instead of
``@aws-amplify/backend``, no CDK) or ``"real"`` (the project's own ``@aws-amplify/backend``), and
polls ``listProfiles`` with the API key until it answers. The Gen 1 example's cold start
(``bench.coldstart``) runs between them as a baseline under the same machine load. Needs ``npm ci``
in examples/gen2-notes.

    .venv/bin/python -m bench.gen2_start [--starts N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import coldstart
from bench.coldstart import first_answer
from bench.server import ROOT
from bench.stats import Figure
from emulator.auth.generated import load_generated
from emulator.testing import free_port

EXAMPLE = ROOT / "examples" / "gen2-notes"
QUERY = {"query": "{ listProfiles(limit: 1) { items { handle } } }"}


def one_start(loader: str) -> float:
    """Seconds from spawning the server on the example to its first answered query."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-gen2-") as scratch:
        data_dir = Path(scratch) / "data"
        api_key = str(load_generated(data_dir)["api_key"])  # the key the server will use
        config = Path(scratch) / "appsync-emulator.toml"
        config.write_text(f'[gen2]\nloader = "{loader}"\n')
        command = [sys.executable, "-m", "emulator", "serve", str(EXAMPLE), "--config", str(config), "--port", str(port),
                   "--in-memory", "--data-dir", str(data_dir), "--log-level", "warning", "--no-reload"]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            return first_answer(port, process, started, QUERY, api_key)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run(starts: int) -> dict[str, Figure]:
    """Both loaders, one warm-up start each (the OS file cache warm, as on a developer's machine),
    interleaved with the Gen 1 example's cold start as a baseline measured under the same load."""
    samples: dict[str, list[float]] = {"fast": [], "real": [], "gen1 baseline": []}
    one_start("fast")
    one_start("real")
    for _ in range(starts):
        samples["fast"].append(one_start("fast"))
        samples["real"].append(one_start("real"))
        samples["gen1 baseline"].append(coldstart.one_start()[0])
    return {name: Figure.of(values) for name, values in samples.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args(argv)
    if not (EXAMPLE / "node_modules" / "@aws-amplify" / "backend").is_dir():
        raise SystemExit(f"run `npm ci` in {EXAMPLE} first")
    for loader, figure in run(args.starts).items():
        print(f"start to first answer, {loader}: {figure.text(2, ' s')} over {figure.rounds} starts")


if __name__ == "__main__":
    main()
