"""``FunctionRunners``: every function's instances, and the one way to call a function.

It outlives API generations (the processes stay warm across hot reloads); each generation
``configure``s it with its catalog and environment, and instances whose function or
environment changed are retired. ``invoke`` is the public entry point (see the package
docstring); ``restart_changed`` serves the code watcher; ``close`` stops every process.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

from emulator.resolvers.functions.catalog import FunctionCatalog
from emulator.resolvers.functions.environment import FunctionCredentials, FunctionEnvironment
from emulator.resolvers.functions.errors import FunctionError
from emulator.resolvers.functions.interpreters import runner_command
from emulator.resolvers.functions.pool import FunctionPool
from emulator.resolvers.functions.process import RunnerProcess
from emulator.resolvers.functions.spec import FunctionSpec

log = logging.getLogger("appsync_emulator.functions")

InvocationType = Literal["RequestResponse", "Event"]
EVENT_WORKERS = 4


class FunctionRunners:
    """The function instances of a running emulator."""

    def __init__(self, base_url: str = "http://127.0.0.1:20002") -> None:
        self._lock = threading.Lock()
        self._catalog = FunctionCatalog()
        self._environment = FunctionEnvironment("emulator", "emulator", "local", "us-east-1",
                                                FunctionCredentials("local", "local"))
        self._base_url = base_url
        self._pools: dict[str, FunctionPool] = {}
        self._events = ThreadPoolExecutor(max_workers=EVENT_WORKERS, thread_name_prefix="function-event")
        self._closed = False
        self._described: set[str] = set()

    @property
    def catalog(self) -> FunctionCatalog:
        return self._catalog

    # -- configuration ---------------------------------------------------------------------------

    def configure(self, catalog: FunctionCatalog, environment: FunctionEnvironment) -> None:
        """Serve ``catalog`` from now on; instances of changed or removed functions are retired."""
        with self._lock:
            changed_environment = environment != self._environment
            retired = [pool for name, pool in self._pools.items()
                       if changed_environment or catalog.get(name) != pool.spec]
            for pool in retired:
                del self._pools[pool.spec.name]
            self._catalog, self._environment = catalog, environment
        for pool in retired:
            pool.close()

    def serve_at(self, base_url: str) -> None:
        """The URL the server really listens on (known once bound); instances started before are retired."""
        with self._lock:
            if base_url == self._base_url:
                return
            self._base_url = base_url
            retired, self._pools = list(self._pools.values()), {}
        for pool in retired:
            pool.close()

    def restart_changed(self, paths: Iterable[Path]) -> list[str]:
        """Retire the instances of every function whose code folder holds one of ``paths``."""
        changed = [p.resolve() for p in paths]
        with self._lock:
            pools = [pool for pool in self._pools.values()
                     if any(path.is_relative_to(pool.spec.task_root) for path in changed)]
        for pool in pools:
            log.info("function %s changed: its next call starts a fresh instance", pool.spec.name)
            pool.restart()
        return [pool.spec.name for pool in pools]

    def close(self) -> None:
        """Stop every instance (SIGTERM, then SIGKILL) and the background event calls."""
        with self._lock:
            self._closed = True
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()
        self._events.shutdown(wait=False, cancel_futures=True)

    # -- calls -----------------------------------------------------------------------------------

    def invoke(self, function_name: str, payload: Any, *, invocation_type: InvocationType = "RequestResponse") -> Any:
        """Call a function as Lambda's ``Invoke`` does; see the package docstring."""
        spec = self._catalog.lookup(function_name)
        if invocation_type == "Event":
            try:
                self._events.submit(self._call_in_background, spec, payload)
            except RuntimeError:  # shut down
                raise FunctionError(f"function {spec.name} was stopped: the emulator is shutting down") from None
            return None
        return self.call(spec, payload)

    def call(self, spec: FunctionSpec, payload: Any) -> Any:
        """Run ``spec`` on ``payload`` and return its result; ``FunctionError`` when it fails."""
        request_id = str(uuid.uuid4())
        context = {
            "functionName": spec.name,
            "awsRequestId": request_id,
            "deadlineMs": int(time.time() * 1000 + spec.timeout_seconds * 1000),
            "invokedFunctionArn": f"arn:aws:lambda:{self._environment.region}:{self._environment.account_id}"
                                  f":function:{spec.name}",
            "memoryLimitInMB": 128,
        }
        started = time.perf_counter()
        answer = self._pool(spec).call(request_id, payload, context)
        log.debug("function %s: %.1f ms", spec.name, (time.perf_counter() - started) * 1000)
        if answer.error is not None:
            log.info("function %s failed: %s: %s", spec.name, answer.error_type, answer.error_message)
            raise FunctionError(answer.error_message, cause=answer.error_type)
        return answer.result

    def _call_in_background(self, spec: FunctionSpec, payload: Any) -> None:
        try:
            self.call(spec, payload)
        except FunctionError as error:
            log.warning("function %s (Event invocation) failed: %s", spec.name, error.message)
        except Exception:  # never lose a background failure silently
            log.exception("function %s (Event invocation) failed", spec.name)

    def instances(self, function_name: str) -> int:
        """Instances of a function alive now (for tests and the benchmark)."""
        with self._lock:
            pool = self._pools.get(self._catalog.lookup(function_name).name)
        return pool.instances if pool is not None else 0

    def _pool(self, spec: FunctionSpec) -> FunctionPool:
        with self._lock:
            if self._closed:
                raise FunctionError(f"function {spec.name} was stopped: the emulator is shutting down")
            pool = self._pools.get(spec.name)
            if pool is None:
                pool = self._pools[spec.name] = FunctionPool(spec, self._launch, log)
            return pool

    def _launch(self, spec: FunctionSpec, label: str) -> RunnerProcess:
        command = runner_command(spec)
        with self._lock:
            environment, base_url = self._environment, self._base_url
            first = spec.name not in self._described
            self._described.add(spec.name)
        if first:
            log.info("function %s: %s runs %s", spec.name, command.described, spec.handler_file)
        started = time.perf_counter()
        runner = RunnerProcess.start(spec, command.argv, environment.variables(spec, base_url), log, label)
        log.info("function %s: instance %s started in %.0f ms (pid %d)", spec.name, label,
                 (time.perf_counter() - started) * 1000, runner.pid)
        return runner
