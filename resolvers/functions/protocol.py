"""The JSON-lines protocol between the emulator and a runner process (``runner.mjs``,
``lambda_runner.py``).

One JSON document per line. The runner announces itself once on stdout: ``{"type": "ready"}``,
or ``{"type": "init_error", "error": {...}}`` when the handler cannot be loaded (and exits).
Then, one call at a time, the emulator writes a request on the runner's stdin and the runner
writes the answer on its stdout:

    request  {"id": "<request id>", "event": <the event>, "context": {"functionName",
              "awsRequestId", "deadlineMs", "invokedFunctionArn", "memoryLimitInMB"}}
    answer   {"id": "<request id>", "result": <JSON>}
         or  {"id": "<request id>", "error": {"errorType", "errorMessage", "trace": [...]}}

Everything the handler prints goes to the runner's stderr, never to the protocol channel.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Set
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


class ProtocolError(Exception):
    """A line from a runner that is not a protocol message."""


@dataclass(frozen=True)
class Answer:
    """A runner's answer to one request: a result, or the handler's error."""

    request_id: str | None
    result: Any = None
    error: Mapping[str, Any] | None = None

    @property
    def error_message(self) -> str:
        return str((self.error or {}).get("errorMessage", ""))

    @property
    def error_type(self) -> str:
        return str((self.error or {}).get("errorType", "Error"))


def _plain(value: Any) -> Any:
    """JSON for what resolvers hold besides plain JSON: DynamoDB numbers, sets, binary."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Set):
        return sorted(value, key=str)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def request_line(request_id: str, event: Any, context: Mapping[str, Any]) -> bytes:
    document = {"id": request_id, "event": event, "context": dict(context)}
    return json.dumps(document, default=_plain, separators=(",", ":")).encode("utf-8") + b"\n"


def parse_message(line: bytes) -> dict[str, Any]:
    try:
        message = json.loads(line)
    except ValueError as exc:
        raise ProtocolError(f"not JSON: {line[:200]!r}") from exc
    if not isinstance(message, dict):
        raise ProtocolError(f"not a JSON object: {line[:200]!r}")
    return message


def answer_of(message: Mapping[str, Any]) -> Answer:
    error = message.get("error")
    request_id = message.get("id")
    return Answer(
        request_id=str(request_id) if request_id is not None else None,
        result=message.get("result"),
        error=error if isinstance(error, Mapping) else None,
    )
