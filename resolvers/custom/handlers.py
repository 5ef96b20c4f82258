"""Running one handler of a step (a resolver or a pipeline function) in its language.

``HandlerRun`` is the one interface the pipeline uses; ``VtlRun`` renders mapping templates,
``JsRun`` calls the module's ``request``/``response`` in one fresh QuickJS context per step (as
AppSync gives each resolver and function call a context of its own). Both answer with a
``HandlerOutcome``: the value, and whether the handler returned early (``#return``,
``runtime.earlyReturn``). An error that ends a handler (``util.error``, ``unauthorized``, a
template that is not JSON, a JavaScript exception) is raised as the ``AppSyncError`` AppSync
reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_js import JsInvocation
from emulator.resolvers.appsync_js.outcome import SkipTo
from emulator.resolvers.custom.call import NO_PREVIOUS, ResolverCall
from emulator.resolvers.custom.code import JsCode, StepCode, VtlCode
from emulator.resolvers.vtl import VtlTemplate

EMPTY_RESPONSE = "Unable to transform the template: Template transformation yielded an empty response."


@dataclass(frozen=True)
class HandlerOutcome:
    """What a handler produced. ``early``: it returned early; ``skip_to``: ``runtime.earlyReturn``'s
    option (``END``: straight to the resolver's response handler; ``NEXT``: the next function)."""

    value: Any = None
    early: bool = False
    skip_to: SkipTo | None = None


class HandlerRun(Protocol):
    """A step's two handlers, for one call."""

    has_request: bool
    has_response: bool

    def request(self, prev_result: Any = NO_PREVIOUS) -> HandlerOutcome: ...

    def response(self, result: Any, error: dict[str, Any] | None, prev_result: Any = NO_PREVIOUS) -> HandlerOutcome: ...


class VtlRun:
    """Mapping templates rendered against the call's context."""

    def __init__(self, code: VtlCode, call: ResolverCall) -> None:
        self.code = code
        self.call = call
        self.has_request = code.request is not None
        self.has_response = code.response is not None

    def request(self, prev_result: Any = NO_PREVIOUS) -> HandlerOutcome:
        assert self.code.request is not None
        return self._render(self.code.request, self.call.vtl_context(prev_result=prev_result), response=False)

    def response(self, result: Any, error: dict[str, Any] | None, prev_result: Any = NO_PREVIOUS) -> HandlerOutcome:
        assert self.code.response is not None
        context = self.call.vtl_context(result=result, error=error, prev_result=prev_result)
        return self._render(self.code.response, context, response=True)

    def _render(self, template: VtlTemplate, context: Any, *, response: bool) -> HandlerOutcome:
        rendered = template.render(context)
        if rendered.error is not None:
            raise rendered.error
        if rendered.returned:
            return HandlerOutcome(rendered.value(), early=True)
        if response and not rendered.text.strip():
            raise AppSyncError(EMPTY_RESPONSE, "MappingTemplate")
        return HandlerOutcome(rendered.value())


class JsRun:
    """``request(ctx)`` and ``response(ctx)`` of one module, in one fresh context."""

    has_request = True
    has_response = True

    def __init__(self, code: JsCode, call: ResolverCall) -> None:
        self.call = call
        self.invocation = JsInvocation(code.code, call.util)

    def request(self, prev_result: Any = NO_PREVIOUS) -> HandlerOutcome:
        return self._run("request", self.call.js_context(prev_result=prev_result))

    def response(self, result: Any, error: dict[str, Any] | None, prev_result: Any = NO_PREVIOUS) -> HandlerOutcome:
        return self._run("response", self.call.js_context(result=result, error=error, prev_result=prev_result))

    def _run(self, handler: str, context: dict[str, Any]) -> HandlerOutcome:
        outcome = self.invocation.evaluate(handler, context)  # type: ignore[arg-type]
        self.call.stash = outcome.stash
        if outcome.error is not None:
            raise outcome.error
        if outcome.early_return is not None:
            return HandlerOutcome(outcome.value, early=True, skip_to=outcome.early_return.skip_to)
        return HandlerOutcome(outcome.value)


def start(code: StepCode, call: ResolverCall) -> HandlerRun:
    """The step's handlers, ready for this call."""
    if isinstance(code, JsCode):
        return JsRun(code, call)
    return VtlRun(code, call)
