"""The appsync-emulator's Python Lambda runner: one long-lived process per function instance.

    python lambda_runner.py <handler file> <function name>

Run by the function's own interpreter (its virtualenv when it has one), so this file imports
nothing but the standard library. Protocol, one JSON document per line (``protocol.py``): once
started it writes ``{"type": "ready"}`` (or ``{"type": "init_error", "error": {...}}``) on
stdout, then answers each request line of stdin (``{"id", "event", "context"}``) with
``{"id", "result"}`` or ``{"id", "error": {"errorType", "errorMessage", "trace"}}``.

The real stdout is kept for the protocol; file descriptor 1 is pointed at stderr, so whatever the
handler prints (``print``, logging, C extensions, child processes) reaches the emulator's log
and never the protocol. The process exits when stdin closes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
import traceback
from typing import Any


class LambdaContext:
    """The parts of Lambda's Python ``context`` object handlers use."""

    def __init__(self, given: dict[str, Any], request_id: str) -> None:
        self.function_name = given.get("functionName") or "function"
        self.function_version = "$LATEST"
        self.invoked_function_arn = given.get("invokedFunctionArn") or (
            f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"
        )
        self.memory_limit_in_mb = int(given.get("memoryLimitInMB") or 128)
        self.aws_request_id = given.get("awsRequestId") or request_id
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = given.get("logStreamName") or "appsync-emulator"
        self.identity = None
        self.client_context = None
        self._deadline_ms = float(given.get("deadlineMs") or time.time() * 1000)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int(self._deadline_ms - time.time() * 1000))


def _error(error: BaseException, error_type: str | None = None) -> dict[str, Any]:
    return {
        "errorType": error_type or type(error).__name__,
        "errorMessage": str(error),
        "trace": traceback.format_exception(type(error), error, error.__traceback__),
    }


def _load(handler_file: str, function_name: str) -> Any:
    """The handler, imported from its file as Lambda imports it: the file's folder (the task
    root) on ``sys.path``, the module named after the file."""
    folder, file_name = os.path.split(os.path.abspath(handler_file))
    module_name = os.path.splitext(file_name)[0]
    sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(module_name, handler_file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {handler_file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise AttributeError(f"Handler '{function_name}' missing on module '{module_name}'")
    return handler


def main(argv: list[str]) -> int:
    handler_file, function_name = argv[1], argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]  # only the function's modules
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # fd 1 is stderr from now on: nothing the handler prints reaches the protocol
    sys.stdout = sys.stderr

    def send(message: dict[str, Any]) -> None:
        protocol.write(json.dumps(message, separators=(",", ":")) + "\n")
        protocol.flush()

    try:
        handler = _load(handler_file, function_name)
    except SyntaxError as error:
        send({"type": "init_error", "error": _error(error, "Runtime.UserCodeSyntaxError")})
        return 1
    except AttributeError as error:
        send({"type": "init_error", "error": _error(error, "Runtime.HandlerNotFound")})
        return 1
    except BaseException as error:  # the handler's import failed in its own way
        send({"type": "init_error", "error": _error(error, "Runtime.ImportModuleError")})
        return 1
    send({"type": "ready"})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as error:
            send({"id": None, "error": _error(error, "Runtime.InvalidRequest")})
            continue
        request_id = str(request.get("id"))
        try:
            result = handler(request.get("event"), LambdaContext(request.get("context") or {}, request_id))
        except Exception as error:
            send({"id": request.get("id"), "error": _error(error)})
            continue
        try:
            text = json.dumps({"id": request.get("id"), "result": result}, separators=(",", ":"))
        except (TypeError, ValueError) as error:
            send({"id": request.get("id"), "error": _error(error, "Runtime.MarshalError")})
            continue
        protocol.write(text + "\n")
        protocol.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
