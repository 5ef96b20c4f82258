"""One runner process: a function instance that serves one call at a time.

The process is started in a session of its own (so it and anything it spawns can be signalled
together), gets requests on stdin and answers on stdout (``protocol.py``). The calling thread
reads the answer itself (``select`` with the call's deadline, no hand-off between threads); a
thread logs the stderr lines, prefixed with the function's name. A call that outlives the function's timeout kills the process (Lambda's ``Task timed out``);
a process that exits mid-call is reported as Lambda reports a runtime exit. ``stop`` closes
stdin (runners exit on EOF), then SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import IO, Any

from emulator.resolvers.functions.errors import FunctionError
from emulator.resolvers.functions.protocol import (
    Answer,
    ProtocolError,
    answer_of,
    parse_message,
    request_line,
)
from emulator.resolvers.functions.spec import FunctionSpec

STARTUP_TIMEOUT_SECONDS = 30.0  # importing a handler (tsx compiling TypeScript) on a busy machine
STOP_GRACE_SECONDS = 2.0

_EOF = object()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name.removeprefix("SIG").lower().replace("kill", "killed")
    except ValueError:
        return str(number)


class RunnerProcess:
    """A started runner for one function. Not thread-safe: one caller at a time (the pool's job)."""

    def __init__(self, spec: FunctionSpec, process: subprocess.Popen[bytes], log: logging.Logger, label: str) -> None:
        self.spec = spec
        self.process = process
        self.label = label
        self._log = log
        assert process.stdout is not None
        self._answers = process.stdout.fileno()  # read directly by the caller (no hand-off between threads)
        self._buffer = bytearray()
        self.calls = 0
        threading.Thread(target=self._read_log, name=f"{label}-log", daemon=True).start()

    @classmethod
    def start(cls, spec: FunctionSpec, argv: list[str], env: Mapping[str, str], log: logging.Logger,
              label: str) -> RunnerProcess:
        """Spawn the runner and wait until its handler is loaded; ``FunctionError`` when it cannot be."""
        try:
            process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                cwd=spec.task_root, env=dict(env), start_new_session=True,
            )
        except OSError as exc:
            raise FunctionError(f"function {spec.name}: cannot start {argv[0]}: {exc.strerror or exc}") from exc
        runner = cls(spec, process, log, label)
        runner._wait_ready()
        return runner

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read_log(self) -> None:
        stream: IO[bytes] | None = self.process.stderr
        assert stream is not None
        for line in stream:
            text = line.decode("utf-8", "replace").rstrip()
            if text:
                self._log.info("%s: %s", self.spec.name, text)

    def _next_message(self, deadline: float) -> Any:
        """The next line from the runner, ``_EOF`` when it closed stdout, None at the deadline."""
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[: end + 1])
                del self._buffer[: end + 1]
                return line
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._answers], [], [], remaining)[0]:
                return None
            chunk = os.read(self._answers, 65536)
            if not chunk:
                return _EOF
            self._buffer += chunk

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            line = self._next_message(deadline)
            if line is None:
                self.stop()
                raise FunctionError(f"function {self.spec.name}: its runner did not start within "
                                    f"{STARTUP_TIMEOUT_SECONDS:.0f} seconds")
            if line is _EOF:
                raise FunctionError(f"function {self.spec.name}: {self._exit_message()} while loading its handler")
            try:
                message = parse_message(line)
            except ProtocolError:
                continue
            if message.get("type") == "ready":
                return
            if message.get("type") == "init_error":
                answer = answer_of(message)
                self.stop()
                raise FunctionError(answer.error_message, cause=answer.error_type)

    def _exit_message(self) -> str:
        """Lambda's words for a runtime that exited: ``exit status 1`` or ``signal: killed``."""
        try:
            code = self.process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            return "Runtime exited without providing a reason"
        if code < 0:
            return f"Runtime exited with error: signal: {_signal_name(-code)}"
        return f"Runtime exited with error: exit status {code}"

    def call(self, request_id: str, event: Any, context: Mapping[str, Any], timeout_seconds: float) -> Answer:
        """Send one request and wait for its answer (at most ``timeout_seconds``).

        A timeout kills the process; a process that dies is reported; both raise ``FunctionError``."""
        self.calls += 1
        started = time.monotonic()
        deadline = started + timeout_seconds
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(request_line(request_id, event, context))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise FunctionError(f"RequestId: {request_id} Error: {self._exit_message()}",
                                cause="Runtime.ExitError") from None
        while True:
            line = self._next_message(deadline)
            if line is None:
                self.kill()
                stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
                raise FunctionError(f"{stamp} {request_id} Task timed out after {timeout_seconds:.2f} seconds",
                                    cause="Sandbox.Timedout")
            if line is _EOF:
                raise FunctionError(f"RequestId: {request_id} Error: {self._exit_message()}", cause="Runtime.ExitError")
            try:
                message = parse_message(line)
            except ProtocolError as exc:
                self._log.warning("%s: ignored a line from its runner: %s", self.spec.name, exc)
                continue
            answer = answer_of(message)
            if answer.request_id == request_id:
                return answer

    def kill(self) -> None:
        """SIGKILL the runner and whatever it started (its process group)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=STOP_GRACE_SECONDS)

    def stop(self, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """End the runner: stdin closed (it exits on EOF), then SIGTERM, then SIGKILL."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=grace_seconds / 2)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace_seconds / 2)
        self.kill()  # the runner, if it is still there, and anything the handler left running
