"""The instances of one function: started on first use, reused while warm, a few at once.

Like Lambda, an instance serves one call at a time. A call takes a warm idle instance (the most
recently used, so the warm ones stay warm), else starts a new one while there are fewer than
``spec.max_instances``, else waits for one to come back. An instance that timed out or died is
dropped (the next call starts a fresh one: a crash restarts the function). ``restart`` (the
function's code changed) retires every instance started before it: idle ones at once, busy
ones when their call returns. ``close`` stops them all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from emulator.resolvers.functions.errors import FunctionError
from emulator.resolvers.functions.process import RunnerProcess
from emulator.resolvers.functions.protocol import Answer
from emulator.resolvers.functions.spec import FunctionSpec

Launcher = Callable[[FunctionSpec, str], RunnerProcess]
"""``(spec, label) -> a started runner``; raises ``FunctionError`` when it cannot start."""


class FunctionPool:
    """Every instance of one function."""

    def __init__(self, spec: FunctionSpec, launch: Launcher, log: logging.Logger) -> None:
        self.spec = spec
        self._launch = launch
        self._log = log
        self._changed = threading.Condition()
        self._idle: list[RunnerProcess] = []
        self._generation_of: dict[RunnerProcess, int] = {}  # every live instance, busy or idle
        self._starting = 0
        self._generation = 0
        self._started = 0
        self._closed = False

    @property
    def instances(self) -> int:
        """Instances alive now (busy or idle)."""
        with self._changed:
            return len(self._generation_of)

    @property
    def started(self) -> int:
        """Instances started since the pool was made (cold starts)."""
        return self._started

    def call(self, request_id: str, event: Any, context: Mapping[str, Any]) -> Answer:
        """One call on one instance; ``FunctionError`` for a timeout, a crash or a start failure."""
        runner, generation = self._acquire()
        try:
            return runner.call(request_id, event, context, self.spec.timeout_seconds)
        finally:
            self._release(runner, generation)

    def _acquire(self) -> tuple[RunnerProcess, int]:
        with self._changed:
            while True:
                if self._closed:
                    raise FunctionError(f"function {self.spec.name} was stopped")
                if self._idle:
                    runner = self._idle.pop()
                    return runner, self._generation_of[runner]
                if len(self._generation_of) + self._starting < self.spec.max_instances:
                    self._starting += 1
                    self._started += 1
                    generation, number = self._generation, self._started
                    break
                self._changed.wait()
        try:
            runner = self._launch(self.spec, f"{self.spec.name}#{number}")
        except BaseException:
            with self._changed:
                self._starting -= 1
                self._changed.notify()
            raise
        with self._changed:
            self._starting -= 1
            if not self._closed:
                self._generation_of[runner] = generation
                return runner, generation
        runner.stop()
        raise FunctionError(f"function {self.spec.name} was stopped")

    def _release(self, runner: RunnerProcess, generation: int) -> None:
        with self._changed:
            keep = runner.alive and generation == self._generation and not self._closed
            if keep:
                self._idle.append(runner)
            else:
                self._generation_of.pop(runner, None)
            self._changed.notify()
        if not keep:
            runner.stop()

    def restart(self) -> None:
        """Retire every instance: the next calls start fresh ones (new code, new environment)."""
        with self._changed:
            self._generation += 1
            retired, self._idle = self._idle, []
            for runner in retired:
                self._generation_of.pop(runner, None)
        for runner in retired:
            runner.stop()

    def close(self) -> None:
        """Stop every instance, busy ones included; later calls fail."""
        with self._changed:
            self._closed = True
            everything = list(self._generation_of)
            self._generation_of.clear()
            self._idle.clear()
            self._changed.notify_all()
        for runner in everything:
            runner.stop()
