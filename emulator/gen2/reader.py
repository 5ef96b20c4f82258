"""Running the Node helper on a Gen 2 project and turning its answer (or failure) into Python.

Two loaders, the same answer (``tests/test_gen2_reader.py`` compares them):

- ``fast`` (default): a resolve hook maps ``@aws-amplify/backend`` to a recording shim, so the AWS
  CDK is never loaded (about 0.3 s instead of 2-3 s); it needs only ``tsx`` and
  ``@aws-amplify/data-schema`` in the project's ``node_modules``.
- ``real``: the project's own ``@aws-amplify/backend``, exactly what ``ampx`` runs.

When the shim lacks something a project imports from ``@aws-amplify/backend``, the fast path
falls back to the real one. What the user's code prints goes to our stderr, never into the answer
(the helper writes its JSON to a file). Missing Node, missing ``node_modules`` and errors in the
project's TypeScript each get one message naming what to do.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

from emulator.gen2.model import Gen2Project, project_from_answer
from emulator.gen2.project import Gen2ProjectError, auth_resource, data_resource

LOADERS = ("fast", "real")
MIN_NODE_MAJOR = 18
HELPER_TIMEOUT_S = 120
_log = logging.getLogger("emulator.gen2")


def helper_dir() -> Path:
    """The folder of the shipped Node helper (package data ``emulator/gen2/node``)."""
    return Path(str(resources.files("emulator.gen2") / "node"))


def find_node() -> str:
    """The ``node`` binary (18+), or a message saying Gen 2 projects need it."""
    node = shutil.which("node")
    if node is None:
        raise Gen2ProjectError(
            f"serving an Amplify Gen 2 project needs Node.js {MIN_NODE_MAJOR} or later, and `node` is not on the PATH; "
            "install Node.js (https://nodejs.org) and run `npm install` in the project"
        )
    try:
        version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Gen2ProjectError(f"cannot run {node}: {exc}") from exc
    match = re.match(r"v(\d+)", version.strip())
    if not match or int(match[1]) < MIN_NODE_MAJOR:
        raise Gen2ProjectError(
            f"serving an Amplify Gen 2 project needs Node.js {MIN_NODE_MAJOR} or later; {node} is {version.strip() or 'unknown'}"
        )
    return node


def installed_package(root: Path, name: str) -> Path | None:
    """Where Node would find package ``name`` from ``root`` (its ``node_modules``, then the parents')."""
    for folder in (root, *root.parents):
        candidate = folder / "node_modules" / name / "package.json"
        if candidate.is_file():
            return candidate.parent
    return None


def check_installed(root: Path, loader: str) -> None:
    """The packages the loader needs, each missing one named with the command that installs it."""
    needed = ["tsx", "@aws-amplify/backend"]
    if loader == "fast" and installed_package(root, "@aws-amplify/data-schema") is not None:
        needed = ["tsx"]  # the shim needs only Amplify's schema builder
    missing = [name for name in needed if installed_package(root, name) is None]
    if not missing:
        return
    if not any((folder / "node_modules").is_dir() for folder in (root, *root.parents)):
        raise Gen2ProjectError(f"{root}: this Amplify Gen 2 project has no node_modules; run `npm install` in {root}")
    raise Gen2ProjectError(
        f"{root}: {', '.join(missing)} not installed in node_modules (every Gen 2 project has them); "
        f"run `npm install` in {root}"
    )


def _command(node: str, loader: str, out: Path, data: Path, auth: Path | None, introspection: bool) -> list[str]:
    helper = helper_dir()
    command = [node, "--import", "tsx"]
    if loader == "fast":
        command += ["--import", (helper / "fast-path.mjs").as_uri()]
    command += [str(helper / "extract.mjs"), "--out", str(out), "--data", str(data)]
    if auth is not None:
        command += ["--auth", str(auth)]
    if introspection:
        command.append("--introspection")
    return command


def run_helper(root: Path, loader: str, *, introspection: bool = False) -> dict[str, Any]:
    """The helper's JSON answer for the project at ``root`` (an ``error`` key when it failed)."""
    root = root.resolve()  # the helper runs in the project folder: every path it gets is absolute
    data = data_resource(root)
    if data is None:
        raise Gen2ProjectError(f"{root}: no amplify/data/resource.ts")
    node = find_node()
    check_installed(root, loader)
    with tempfile.TemporaryDirectory(prefix="appsync-emulator-gen2-") as scratch:
        out = Path(scratch) / "answer.json"
        command = _command(node, loader, out, data, auth_resource(root), introspection)
        env = {**os.environ, "NODE_NO_WARNINGS": "1"}
        started = time.perf_counter()
        try:
            done = subprocess.run(
                command, cwd=root, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                timeout=HELPER_TIMEOUT_S, env=env, check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise Gen2ProjectError(f"{data}: reading the project took more than {HELPER_TIMEOUT_S} s; stopped") from exc
        printed = (done.stdout + done.stderr).strip()
        if not out.is_file():
            raise Gen2ProjectError(f"{data}: Node could not load the project:\n{_last_lines(printed)}")
        answer = json.loads(out.read_text(encoding="utf-8"))
    answer.setdefault("timings", {})["wallMs"] = round((time.perf_counter() - started) * 1000)
    if printed and not answer.get("error"):
        echo_user_output(data.relative_to(root), printed)
    return answer


def echo_user_output(source: Path, printed: str) -> None:
    """What the project's code printed while loading, on our stderr, each line marked with its source."""
    for line in printed.splitlines():
        print(f"[{source}] {line}", file=sys.stderr)


def _last_lines(text: str, count: int = 12) -> str:
    return "\n".join(text.splitlines()[-count:]) or "(no output)"


def _shim_gap(error: dict[str, Any]) -> bool:
    """The fast path's shim lacks something the project imports from @aws-amplify/backend."""
    return "backend-shim" in str(error.get("message", "")) or "does not provide an export named" in str(
        error.get("message", "")
    )


def describe_error(root: Path, error: dict[str, Any]) -> str:
    """One message for a failed read, in the words of what the user has to fix."""
    kind, message = error.get("kind"), str(error.get("message", "")).strip()
    data = data_resource(root)
    if kind == "module-not-found":
        missing = error.get("missing") or "a package"
        return f"{error.get('file') or data}: cannot import {missing}; run `npm install` in {root}\n{message}"
    if kind == "syntax":
        return f"{error.get('file') or data}: TypeScript error:\n{message}"
    if kind == "schema":
        return f"{data}: Amplify rejected the schema: {message}"
    if kind == "no-define-data":
        return message
    return f"{error.get('where') or error.get('file') or data}: error while loading the project: {message}"


def read_project(root: Path, loader: str = "fast", *, introspection: bool = False) -> Gen2Project:
    """The Gen 2 project at ``root`` as ``Gen2Project``; ``Gen2ProjectError`` with one clear message."""
    if loader not in LOADERS:
        raise Gen2ProjectError(f"unknown Gen 2 loader {loader!r}; expected one of {', '.join(LOADERS)}")
    root = root.resolve()
    answer = run_helper(root, loader, introspection=introspection)
    error = answer.get("error")
    if error and loader == "fast" and _shim_gap(error) and installed_package(root, "@aws-amplify/backend"):
        _log.info("the fast path cannot load %s (%s); loading it with @aws-amplify/backend", root, error.get("message"))
        loader = "real"
        answer = run_helper(root, loader, introspection=introspection)
        error = answer.get("error")
    if error:
        raise Gen2ProjectError(describe_error(root, error))
    data = data_resource(root)
    assert data is not None
    return project_from_answer(answer, root, data, auth_resource(root), loader)
