"""The Makefile's promises, read from what make would run (``make -n -B``: every step, none executed)."""

from __future__ import annotations

import os
import shlex
import subprocess

from tests.paths import ROOT


def planned_commands(target: str) -> list[list[str]]:
    """What ``make TARGET`` runs, as if typed in a shell (not as a sub-make of ``make test``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    done = subprocess.run(["make", "--no-print-directory", "-n", "-B", target], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    return [shlex.split(line) for line in done.stdout.replace("\\\n", " ").splitlines() if line.strip()]


def installs(commands: list[list[str]]) -> list[list[str]]:
    """The ``pip install`` commands, pip's own upgrade aside."""
    return [c for c in commands if c[1:4] == ["-m", "pip", "install"] and "--upgrade" not in c]


def test_make_run_installs_only_what_serving_needs() -> None:
    commands = planned_commands("run")
    assert [c[-2:] for c in installs(commands)] == [["-e", "."]]
    serve = commands[-1]
    assert serve[:3] == [".venv/bin/appsync-emulator", "serve", "examples/blog/schema.graphql"]
    assert serve[3:] == ["--config", "examples/blog/appsync-emulator.toml", "--seed", "examples/blog/seed.json"]


def test_make_test_installs_the_test_extras() -> None:
    assert [c[-2:] for c in installs(planned_commands("test"))] == [["-e", ".[test]"]]
