"""The command that starts a function's runner: which Node or Python, and how.

* Node: the ``node`` on ``PATH`` runs ``runner.mjs``; a TypeScript handler runs through the
  project's own ``tsx`` (``node --import tsx``, found in a ``node_modules`` at or above the
  function's folder), so Gen 2 handlers run without a build.
* Python: the function's own interpreter when it has one: ``python`` from the config, else a
  virtualenv beside its code (``.venv``) or pipenv's virtualenv for its ``Pipfile`` (Gen 1
  Python functions are pipenv projects), else the emulator's own interpreter. Which one is used
  is said in the log.

A missing Node or ``tsx`` is a ``FunctionError`` naming what to install; the call fails with it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from emulator.resolvers.functions.errors import FunctionError
from emulator.resolvers.functions.spec import FunctionSpec

HERE = Path(__file__).resolve().parent
NODE_RUNNER = HERE / "runner.mjs"
PYTHON_RUNNER = HERE / "lambda_runner.py"


@dataclass(frozen=True)
class RunnerCommand:
    """The argv of a runner and, for the log, what runs it."""

    argv: list[str]
    described: str


def find_up(start: Path, relative: str) -> Path | None:
    """``relative`` in ``start`` or the nearest of its parents that has it."""
    for folder in (start, *start.parents):
        candidate = folder / relative
        if candidate.exists():
            return candidate
    return None


def node_command(spec: FunctionSpec) -> RunnerCommand:
    node = shutil.which("node")
    if node is None:
        raise FunctionError(f"function {spec.name} needs Node.js, and no 'node' is on the PATH; install Node 18 or later")
    argv = [node]
    described = f"Node ({node})"
    if spec.is_typescript:
        tsx = find_up(spec.task_root, "node_modules/tsx/package.json")
        if tsx is None:
            raise FunctionError(
                f"function {spec.name} is TypeScript ({spec.handler_file.name}) and runs through the project's "
                f"own tsx, which was not found in a node_modules at or above {spec.task_root}: run 'npm install tsx'"
            )
        argv += ["--import", "tsx"]  # resolved from the working directory, the task root, as found here
        described += f" with tsx ({tsx.parent})"
    return RunnerCommand([*argv, str(NODE_RUNNER), str(spec.handler_file), spec.export], described)


def _pipenv_virtualenv(pipfile: Path) -> Path | None:
    """pipenv's virtualenv for a Pipfile: ``$WORKON_HOME/<folder name>-<hash of the Pipfile path>``."""
    home = Path(os.environ.get("WORKON_HOME") or Path.home() / ".local" / "share" / "virtualenvs")
    name = re.sub(r'[ &$`!*@"()\[\]\\\r\n\t]', "_", pipfile.parent.name)[0:42]
    digest = base64.urlsafe_b64encode(hashlib.sha256(str(pipfile).encode()).digest()[:6]).decode()[:8]
    exact = home / f"{name}-{digest}"
    if exact.is_dir():
        return exact
    matches = sorted(home.glob(f"{glob_escape(name)}-*")) if home.is_dir() else []
    return matches[0] if len(matches) == 1 else None


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _venv_python(venv: Path) -> Path | None:
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    return None


def python_interpreter(spec: FunctionSpec) -> tuple[str, str]:
    """The interpreter for a Python function and how it was chosen."""
    if spec.python:
        return spec.python, f"Python {spec.python} (configured)"
    for folder in (spec.task_root, spec.task_root.parent):
        python = _venv_python(folder / ".venv")
        if python is not None:
            return str(python), f"Python from its virtualenv {python.parent.parent}"
        pipfile = folder / "Pipfile"
        if pipfile.is_file():
            venv = _pipenv_virtualenv(pipfile)
            python = _venv_python(venv) if venv is not None else None
            if python is not None:
                return str(python), f"Python from its pipenv virtualenv {venv}"
            return sys.executable, (f"the emulator's Python ({sys.executable}): no virtualenv found for {pipfile} "
                                    "(run 'pipenv install' there to use its own)")
    return sys.executable, f"the emulator's Python ({sys.executable})"


def python_command(spec: FunctionSpec) -> RunnerCommand:
    python, described = python_interpreter(spec)
    return RunnerCommand([python, "-u", str(PYTHON_RUNNER), str(spec.handler_file), spec.export], described)


def runner_command(spec: FunctionSpec) -> RunnerCommand:
    """How to start a runner for ``spec`` (raises ``FunctionError`` when its runtime is missing)."""
    return node_command(spec) if spec.runtime == "node" else python_command(spec)
