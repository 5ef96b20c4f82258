"""Driving real aws-amplify v6 DataStore clients (tests/js/datastore) from a test, one Node process each.

Each client is ``node datastore_client.cjs <endpoint>``: one JSON command per line in, one JSON
answer per line out (see that script). ``DataStoreClient.do`` sends a command and waits for its
answer; an answer saying ``ok: false`` fails the test with the client's error and its log.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from typing import Any

from tests.paths import ROOT

CLIENT_DIR = ROOT / "tests" / "js" / "datastore"
COMMAND_TIMEOUT_S = 60


class ClientFailed(AssertionError):
    """A command the DataStore client answered with an error (or not at all)."""


class DataStoreClient:
    """One DataStore client process, with its own in-memory IndexedDB."""

    def __init__(self, node: str, endpoint: str, api_key: str, name: str) -> None:
        self.name = name
        self.log: list[str] = []
        self._answers: queue.Queue[dict[str, Any]] = queue.Queue()
        self._next_id = 0
        self.process = subprocess.Popen(
            [node, str(CLIENT_DIR / "datastore_client.cjs"), endpoint],
            cwd=CLIENT_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "APPSYNC_API_KEY": api_key},
        )
        threading.Thread(target=self._read_answers, daemon=True).start()
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_answers(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                self._answers.put(json.loads(line))
            except ValueError:
                self.log.append(line.rstrip())

    def _read_log(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line.rstrip())

    def do(self, cmd: str, timeout: float = COMMAND_TIMEOUT_S, **arguments: Any) -> Any:
        """Run one command and return its result."""
        self._next_id += 1
        command = {**arguments, "seq": self._next_id, "cmd": cmd}
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        try:
            answer = self._answers.get(timeout=timeout)
        except queue.Empty:
            raise ClientFailed(f"{self.name}: no answer to {command} in {timeout}s\n" + self.tail()) from None
        if answer.get("seq") != command["seq"] or not answer.get("ok"):
            raise ClientFailed(f"{self.name}: {command} failed: {answer.get('error')}\n{self._report()}\n" + self.tail())
        return answer["result"]

    def _report(self) -> str:
        """What the client saw, for a failure message (best effort)."""
        try:
            return json.dumps(self.do("report", timeout=10))
        except ClientFailed as failed:
            return f"(no report: {failed})"

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log[-lines:])

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
