"""Running checked code: one fresh QuickJS context per resolver invocation.

A ``JsInvocation`` is one call of a resolver or pipeline function: it makes a new context
(``quickjs-ng``, pinned) with a memory and a stack limit, the prelude and the one host callable,
and runs its ``request`` and ``response`` handlers there. Each handler runs in a new instance of
the code's module, so module state never carries from one handler, or one request, to the next
(the prelude is what the two handlers share; compiling it is most of a context's cost). A context
is only ever touched by the thread that made it: the binding crashes otherwise. CPU time is
bounded per handler by the tick the module text carries (see ``instrument``).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from typing import Any, Literal

import quickjs

from emulator.resolvers.appsync_js.code import PARSER_ERROR, CodeProblem, JsResolverCode
from emulator.resolvers.appsync_js.host import CPU_CHECK_EVERY, SHAPE, HostCalls
from emulator.resolvers.appsync_js.outcome import JsOutcome
from emulator.resolvers.appsync_js.run_outcome import Snapshot, ended, split_location
from emulator.resolvers.appsync_util import UtilRequest

Handler = Literal["request", "response"]
MAX_PENDING_JOBS = 10_000  # promise jobs run after a module's evaluation (its settling is one)


def prelude_text() -> str:
    """The prelude with the helper names filled in, comments and indentation dropped (QuickJS
    compiles it for every invocation)."""
    source = files("emulator.resolvers.appsync_js.js").joinpath("prelude.js").read_text(encoding="utf-8")
    lines = (line.strip() for line in source.splitlines())
    compact = "\n".join(line for line in lines if line and not line.startswith("//"))
    return compact.replace("__APPSYNC_CHECK_EVERY__", str(CPU_CHECK_EVERY))


PRELUDE = prelude_text()
SHAPE_JSON = json.dumps(SHAPE)  # handed to the prelude as a string: JSON.parse beats compiling a literal


@dataclass(frozen=True)
class JsLimits:
    """Limits: CPU time per handler (its JavaScript and the helpers it calls), and the context's
    memory and stack."""

    cpu_seconds: float = 1.0
    memory_bytes: int = 64 * 1024 * 1024
    stack_bytes: int = 1024 * 1024


class HostSwitch:
    """The context's host callable, answering with the current run's ``HostCalls`` (and the
    helper names, for the prelude). It holds no reference back to the invocation, so the context
    is never part of a reference cycle (which the garbage collector could free on another
    thread)."""

    def __init__(self) -> None:
        self.current: HostCalls | None = None

    def __call__(self, path: str, payload: str) -> str:
        if path == "!shape":
            return SHAPE_JSON
        if self.current is None:
            return "eno handler is running"
        return self.current(path, payload)


class JsInvocation:
    """One call of ``code``'s handlers, sharing one fresh context; use it from one thread."""

    def __init__(self, code: JsResolverCode, request: UtilRequest | None = None, limits: JsLimits = JsLimits()) -> None:
        self.code = code
        self.request = request
        self.limits = limits
        self._thread = threading.get_ident()
        self._switch = HostSwitch()
        self._runtime: quickjs.Context | None = None
        self._loaded: Any = None  # the prelude's __appsync_loaded and __appsync_run
        self._run_handler: Any = None

    def evaluate(self, handler: Handler, context: dict[str, Any]) -> JsOutcome:
        """Run ``handler`` with ``context`` (AppSync's ``ctx`` as JSON-like values)."""
        if handler not in ("request", "response"):
            raise ValueError(f"handler must be 'request' or 'response', not {handler!r}")
        if threading.get_ident() != self._thread:
            raise RuntimeError("a JsInvocation is used only by the thread that created it")
        request = self.request or request_for(context)
        before = Snapshot.of(request)
        host = HostCalls(request, self.limits.cpu_seconds)
        self._switch.current = host
        stash = context.get("stash") or {}
        try:
            text = self._run(handler, context)
        except quickjs.JSException as exception:
            self._runtime = self._loaded = self._run_handler = None  # may not be sound: start afresh
            return before.outcome(request, stash, self._ending(host, str(exception)))
        finally:
            self._switch.current = None
        result = json.loads(text)
        stash = result.get("stash") or {}
        if "thrown" in result:
            return before.outcome(request, stash, self._ending(host, result["thrown"]))
        return before.outcome(request, stash, None, result.get("value"))

    def _ending(self, host: HostCalls, text: str) -> Any:
        return ended(self.code, host, text, self.limits.cpu_seconds, self.limits.memory_bytes)

    def _run(self, handler: str, context: dict[str, Any]) -> str:
        runtime = self._context()
        self._loaded(runtime.module(self.code.module_text))
        for _ in range(MAX_PENDING_JOBS):
            if not runtime.execute_pending_job():
                break
        return self._run_handler(handler, json.dumps(context, default=json_value))

    def _context(self) -> quickjs.Context:
        if self._runtime is None:
            runtime = quickjs.Context()
            runtime.set_memory_limit(self.limits.memory_bytes)
            runtime.set_max_stack_size(self.limits.stack_bytes)
            runtime.add_callable("__appsync_host", self._switch)
            runtime.eval(PRELUDE)
            self._loaded = runtime.get("__appsync_loaded")
            self._run_handler = runtime.get("__appsync_run")
            self._runtime = runtime
        return self._runtime


def evaluate(
    code: JsResolverCode,
    handler: Handler,
    context: dict[str, Any],
    request: UtilRequest | None = None,
    limits: JsLimits = JsLimits(),
) -> JsOutcome:
    """Run one handler in a context of its own (a ``JsInvocation`` runs a resolver's two handlers
    in one context, which costs half)."""
    return JsInvocation(code, request, limits).evaluate(handler, context)


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


def compile_problem(code: JsResolverCode) -> CodeProblem | None:
    """QuickJS's own syntax error for the module text, if it has one (acorn accepted it)."""
    limits = JsLimits()
    runtime = quickjs.Context()
    runtime.set_memory_limit(limits.memory_bytes)
    runtime.set_max_stack_size(limits.stack_bytes)
    runtime.add_callable("__appsync_host", HostSwitch())  # no run: helpers and the tick answer errors
    runtime.eval(PRELUDE)
    try:
        runtime.module(code.module_text)
    except quickjs.JSException as exception:
        message, location = split_location(str(exception))
        if message.startswith("SyntaxError") and location is not None:
            line, column = code.location(*location)
            return CodeProblem(PARSER_ERROR, f"Parsing error: {message}", line, column, 1)
    return None
