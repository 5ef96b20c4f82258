"""``FunctionRunners`` with real runner processes (Node and Python): handler styles, load errors,
timeouts, crashes, the instance pool, restarts, Event calls and stopping everything."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from emulator.resolvers.functions import (
    FunctionCatalog,
    FunctionCredentials,
    FunctionEnvironment,
    FunctionError,
    FunctionRunners,
    FunctionSpec,
    UnknownFunction,
    interpreters,
)
from tests.functions_support import FUNCTIONS, require_node, runner_pids

ENVIRONMENT = FunctionEnvironment("testapi", "apiid", "unit", "us-east-1", FunctionCredentials("AKIDUNIT", "unit"))


def spec(name: str, file: Path, export: str = "handler", **options: Any) -> FunctionSpec:
    runtime = "python" if file.suffix == ".py" else "node"
    return FunctionSpec(name=name, handler_file=file, export=export, runtime=runtime, origin="test",
                        task_root=file.parent, **options)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    require_node()
    for name in ("echo.mjs", "promised.cjs", "called.js", "behave.mjs", "behave.py", "chain.mjs"):
        shutil.copy(FUNCTIONS / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def runners(folder: Path) -> Iterator[FunctionRunners]:
    runners = FunctionRunners()
    specs = [
        spec("echo", folder / "echo.mjs"),
        spec("promised", folder / "promised.cjs"),
        spec("called", folder / "called.js"),
        spec("behave", folder / "behave.mjs", timeout_seconds=2.0, max_instances=2),
        spec("behave-py", folder / "behave.py", timeout_seconds=2.0),
        spec("waiter", folder / "behave.py", timeout_seconds=60.0),
        spec("nothere", folder / "chain.mjs", export="nothere"),
    ]
    runners.configure(FunctionCatalog(specs, env="unit"), ENVIRONMENT)
    yield runners
    runners.close()


def args(**values: Any) -> dict[str, Any]:
    return {"arguments": values}


def test_each_handler_style_answers(runners: FunctionRunners) -> None:
    assert runners.invoke("promised", args(msg="a")) == "promised a"
    assert runners.invoke("called", args(msg="b")) == "called back b"
    assert runners.invoke("called", args(msg="legacy")) == "succeeded legacy"
    assert runners.invoke("echo", {"typeName": "Query", **args(x=1)})["arguments"] == {"x": 1}
    assert runners.invoke("behave-py", args(action="context"))["functionName"] == "behave-py"


def test_names_with_the_env_suffix_find_the_function(runners: FunctionRunners) -> None:
    assert runners.invoke("promised-${env}", args(msg="c")) == "promised c"
    assert runners.invoke("promised-unit", args(msg="d")) == "promised d"
    with pytest.raises(UnknownFunction, match=r"no function named 'nope'; functions found: behave, behave-py, called"):
        runners.invoke("nope", {})


def test_a_handler_error_keeps_the_instance(runners: FunctionRunners) -> None:
    first = runners.invoke("behave", args(action="identify", arg="1"))["pid"]
    with pytest.raises(FunctionError) as failed:
        runners.invoke("behave", args(action="throw", arg="x"))
    assert (failed.value.error_type, failed.value.message, failed.value.cause) == (
        "Lambda:Unhandled", "failed on purpose: x", "Error")
    assert runners.invoke("behave", args(action="identify", arg="2"))["pid"] == first
    with pytest.raises(FunctionError) as failed_py:
        runners.invoke("behave-py", args(action="throw", arg="y"))
    assert (failed_py.value.message, failed_py.value.cause) == ("python failed on purpose: y", "ValidationFailed")


def test_a_missing_export_fails_the_call_with_lambdas_message(runners: FunctionRunners) -> None:
    with pytest.raises(FunctionError) as failed:
        runners.invoke("nothere", {})
    assert (failed.value.message, failed.value.cause) == ("chain.nothere is undefined or not exported",
                                                          "Runtime.HandlerNotFound")


def test_a_module_that_does_not_load_fails_each_call_until_fixed(folder: Path) -> None:
    (folder / "broken.mjs").write_text("export const handler = async () => {\n")
    (folder / "broken.py").write_text("import not_a_module_anywhere\n")
    runners = FunctionRunners()
    runners.configure(FunctionCatalog([spec("js", folder / "broken.mjs"), spec("py", folder / "broken.py")]), ENVIRONMENT)
    try:
        with pytest.raises(FunctionError) as js:
            runners.invoke("js", {})
        assert js.value.cause == "Runtime.UserCodeSyntaxError"
        with pytest.raises(FunctionError) as py:
            runners.invoke("py", {})
        assert py.value.cause == "Runtime.ImportModuleError" and "not_a_module_anywhere" in py.value.message
        (folder / "broken.mjs").write_text("export const handler = async () => 'fixed';\n")
        assert runners.invoke("js", {}) == "fixed"
    finally:
        runners.close()


@pytest.mark.parametrize("name", ["behave", "behave-py"])
def test_a_timeout_kills_the_instance(runners: FunctionRunners, name: str) -> None:
    pid = runners.invoke(name, args(action="identify", arg="before"))["pid"]
    with pytest.raises(FunctionError) as failed:
        runners.invoke(name, args(action="sleep", arg="6000"))
    assert failed.value.message.endswith("Task timed out after 2.00 seconds")
    assert failed.value.cause == "Sandbox.Timedout"
    assert not Path(f"/proc/{pid}").exists()  # killed (and reaped)
    assert runners.invoke(name, args(action="identify", arg="after"))["pid"] != pid


@pytest.mark.parametrize(("name", "status"), [("behave", 3), ("behave-py", 4)])
def test_a_crash_is_lambdas_runtime_exit_and_the_next_call_starts_afresh(runners: FunctionRunners, name: str,
                                                                         status: int) -> None:
    pid = runners.invoke(name, args(action="identify", arg="before"))["pid"]
    with pytest.raises(FunctionError) as failed:
        runners.invoke(name, args(action="crash"))
    assert f"Error: Runtime exited with error: exit status {status}" in failed.value.message
    assert runners.invoke(name, args(action="identify", arg="after"))["pid"] != pid


def test_overlapping_calls_share_at_most_max_instances(runners: FunctionRunners) -> None:
    seen: list[int] = []
    lock = threading.Lock()

    def call(number: int) -> str:
        answer = runners.invoke("behave", args(action="identify", arg=str(number)))
        with lock:
            seen.append(runners.instances("behave"))
        return str(answer["arg"])

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(call, range(24))) == [str(n) for n in range(24)]
    assert max(seen) == 2  # behave's max_instances


def test_restart_replaces_instances_and_close_stops_them(runners: FunctionRunners, folder: Path) -> None:
    assert runners.invoke("called", args(msg="x")) == "called back x"
    before = runner_pids(folder / "called.js")
    assert len(before) == 1
    assert runners.restart_changed([folder / "called.js"]) == ["called"]
    assert runners.invoke("called", args(msg="y")) == "called back y"
    after = runner_pids(folder / "called.js")
    assert len(after) == 1 and after != before
    runners.close()
    assert runner_pids(folder) == []
    with pytest.raises(FunctionError, match="shutting down"):
        runners.invoke("called", args(msg="z"))


def test_an_event_call_returns_before_the_function_finishes(runners: FunctionRunners, folder: Path) -> None:
    release = folder / "release"
    assert runners.invoke("waiter", args(action="wait-for", arg=str(release)), invocation_type="Event") is None
    assert not (folder / "release.done").exists()  # the function waits for the release: the call did not
    release.touch()
    deadline = time.monotonic() + 30
    while not (folder / "release.done").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (folder / "release.done").exists()


def test_reconfiguring_retires_only_changed_functions(runners: FunctionRunners, folder: Path) -> None:
    runners.invoke("called", args(msg="1"))
    runners.invoke("promised", args(msg="1"))
    called, promised = runner_pids(folder / "called.js"), runner_pids(folder / "promised.cjs")
    catalog = FunctionCatalog([spec("called", folder / "called.js"),
                               spec("promised", folder / "promised.cjs", timeout_seconds=9.0)], env="unit")
    runners.configure(catalog, ENVIRONMENT)
    assert runner_pids(folder / "called.js") == called  # unchanged: still warm
    assert len(promised) == 1 and runner_pids(folder / "promised.cjs") == []  # changed: retired


def test_missing_node_or_tsx_is_a_clear_error(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "typed.ts").write_text("export const handler = async () => 1;\n")
    runners = FunctionRunners()
    runners.configure(FunctionCatalog([spec("ts", folder / "typed.ts"), spec("js", folder / "called.js")]),
                      ENVIRONMENT)
    try:
        with pytest.raises(FunctionError, match=r"TypeScript .* own tsx, which was not found .*: run 'npm install tsx'"):
            runners.invoke("ts", {})
        monkeypatch.setattr(interpreters.shutil, "which", lambda name: None)
        with pytest.raises(FunctionError, match="needs Node.js, and no 'node' is on the PATH"):
            runners.invoke("js", args(msg="x"))
    finally:
        runners.close()
