"""Running one handler of checked code in a fresh QuickJS context.

Each run gets its own context (``quickjs-ng``, pinned): module state never leaks from one request
to the next, as on AppSync, and a context is only ever touched by the thread that made it (the
binding crashes otherwise). The context gets a memory limit, a stack limit, the prelude and the
resolver's module; nothing of the host is reachable but the one callable behind ``util`` & co.
CPU time is bounded by the tick the module text carries (see ``instrument``).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from typing import Any, Literal

import quickjs

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_js.code import PARSER_ERROR, CodeProblem, JsResolverCode
from emulator.resolvers.appsync_js.host import CPU_CHECK_EVERY, SHAPE, HostCalls, TimedOut
from emulator.resolvers.appsync_js.outcome import EarlyReturn, JsOutcome
from emulator.resolvers.appsync_util import Extensions, UtilRequest

LOGGER = logging.getLogger(__name__)
Handler = Literal["request", "response"]
CODE_ERROR_TYPE = "Code"  # AppSync's errorType for an exception in resolver code
LOCATION_MARK = "\n@@"
COMPILE_ERROR_AT = re.compile(r"\n\s+at <input>:(\d+):(\d+)")
MAX_PENDING_JOBS = 10_000  # promise jobs run after the module's evaluation (its settling is one)

PRELUDE = (
    files("emulator.resolvers.appsync_js.js")
    .joinpath("prelude.js")
    .read_text(encoding="utf-8")
    .replace("__APPSYNC_SHAPE__", json.dumps(SHAPE))
    .replace("__APPSYNC_CHECK_EVERY__", str(CPU_CHECK_EVERY))
)


@dataclass(frozen=True)
class JsLimits:
    """Per-run limits: CPU time of the handler (JavaScript and the helpers it calls), the
    context's memory and its stack."""

    cpu_seconds: float = 1.0
    memory_bytes: int = 64 * 1024 * 1024
    stack_bytes: int = 1024 * 1024


def evaluate(
    code: JsResolverCode,
    handler: Handler,
    context: dict[str, Any],
    request: UtilRequest | None = None,
    limits: JsLimits = JsLimits(),
) -> JsOutcome:
    """Run ``handler`` (``"request"`` or ``"response"``) of ``code`` with ``context`` (AppSync's
    ``ctx`` as JSON-like values: ``arguments``, ``identity``, ``source``, ``stash``, ``result``,
    ``prev``, ``error``, ``info``, ``request``, ``env``). ``request`` carries what ``util`` needs
    (auth mode, field names, clock) and collects appended errors, logs and extensions across a
    resolver's handlers; the outcome lists what this run added."""
    if handler not in ("request", "response"):
        raise ValueError(f"handler must be 'request' or 'response', not {handler!r}")
    request = request or request_for(context)
    before = Snapshot.of(request)
    host = HostCalls(request, limits.cpu_seconds)
    stash = context.get("stash") or {}
    try:
        text = run_in_fresh_context(code, handler, context, host, limits)
    except quickjs.JSException as exception:
        return before.outcome(request, stash, ended(code, host, str(exception), limits))
    result = json.loads(text)
    stash = result.get("stash") or {}
    if "thrown" in result:
        return before.outcome(request, stash, ended(code, host, result["thrown"], limits))
    return before.outcome(request, stash, None, result.get("value"))


def run_in_fresh_context(code: JsResolverCode, handler: str, context: dict[str, Any], host: HostCalls, limits: JsLimits) -> str:
    runtime = quickjs.Context()
    runtime.set_memory_limit(limits.memory_bytes)
    runtime.set_max_stack_size(limits.stack_bytes)
    runtime.add_callable("__appsync_host", host)
    runtime.eval(PRELUDE)
    runtime.get("__appsync_loaded")(runtime.module(code.module_text))
    for _ in range(MAX_PENDING_JOBS):
        if not runtime.execute_pending_job():
            break
    run = runtime.get("__appsync_run")
    return run(handler, json.dumps(context, default=json_value))


def json_value(value: Any) -> Any:
    """JSON for what ``json`` does not know: DynamoDB's ``Decimal`` numbers, sets, bytes."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def request_for(context: dict[str, Any]) -> UtilRequest:
    info = context.get("info") or {}
    return UtilRequest(field_name=str(info.get("fieldName", "")), parent_type_name=str(info.get("parentTypeName", "")))


def ended(code: JsResolverCode, host: HostCalls, exception_text: str, limits: JsLimits) -> AppSyncError | tuple[EarlyReturn, Any]:
    """What ended a run that QuickJS unwound: what the host recorded, else the exception."""
    if isinstance(host.ended_by, AppSyncError | tuple):
        return host.ended_by
    if isinstance(host.ended_by, TimedOut):
        milliseconds = round(limits.cpu_seconds * 1000)
        return AppSyncError(f"code.js: Execution timed out: the handler used more than {milliseconds} ms of CPU time.", CODE_ERROR_TYPE)
    message, location = split_location(exception_text)
    if message in ("null", "") or "out of memory" in message:
        megabytes = limits.memory_bytes // (1024 * 1024)
        message = f"InternalError: out of memory (the emulator's limit is {megabytes} MB)"
    where = "code.js"
    if location is not None:
        line, column = code.location(*location)
        where = f"code.js:{line}:{column}"
        LOGGER.warning("%s:%d:%d: %s", code.name, line, column, message)
    else:
        LOGGER.warning("%s: %s", code.name, message)
    return AppSyncError(f"{where}: {message}", CODE_ERROR_TYPE)


def split_location(exception_text: str) -> tuple[str, tuple[int, int] | None]:
    """The exception's message and the user's position the prelude put after ``@@``."""
    text = exception_text.rstrip("\n")
    message, mark, position = text.rpartition(LOCATION_MARK)
    if not mark:
        return text.split("\n", 1)[0], None
    line, _, column = position.partition(":")
    if line.isdigit() and column.isdigit():
        return message, (int(line), int(column))
    return message, None


@dataclass(frozen=True)
class Snapshot:
    """How much the request had collected before the run, to report only this run's part."""

    errors: int
    logs: int
    headers: frozenset[str]
    subscription_filters: int
    invalidation_filters: int
    invalidations: int
    cache_evictions: int

    @classmethod
    def of(cls, request: UtilRequest) -> Snapshot:
        extensions = request.extensions
        return cls(
            len(request.appended_errors), len(request.logs), frozenset(request.response_headers),
            len(extensions.subscription_filters), len(extensions.invalidation_filters),
            len(extensions.invalidations), len(extensions.cache_evictions),
        )

    def outcome(self, request: UtilRequest, stash: dict[str, Any], end: AppSyncError | tuple[EarlyReturn, Any] | None, value: Any = None) -> JsOutcome:
        extensions = request.extensions
        early_return = None
        error = None
        if isinstance(end, tuple):
            early_return, value = end
        elif end is not None:
            error = end
        return JsOutcome(
            value=value,
            stash=stash,
            error=error,
            errors=request.appended_errors[self.errors :],
            early_return=early_return,
            extensions=Extensions(
                extensions.subscription_filters[self.subscription_filters :],
                extensions.invalidation_filters[self.invalidation_filters :],
                extensions.invalidations[self.invalidations :],
                extensions.cache_evictions[self.cache_evictions :],
            ),
            logs=request.logs[self.logs :],
            response_headers={name: value for name, value in request.response_headers.items() if name not in self.headers},
        )


def compile_problem(code: JsResolverCode) -> CodeProblem | None:
    """QuickJS's own syntax error for the module text, if it has one (acorn accepted it)."""
    runtime = quickjs.Context()
    runtime.add_callable("__appsync_host", HostCalls(UtilRequest(), JsLimits().cpu_seconds))
    runtime.eval(PRELUDE)
    try:
        runtime.module(code.module_text)
    except quickjs.JSException as exception:
        text = str(exception)
        found = COMPILE_ERROR_AT.search(text)
        if text.startswith("SyntaxError") and found is not None:
            line, column = code.location(int(found.group(1)), int(found.group(2)))
            return CodeProblem(PARSER_ERROR, f"Parsing error: {text.split(chr(10), 1)[0]}", line, column, 1)
    return None
