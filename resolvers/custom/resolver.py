"""A custom resolver run as AppSync runs it: UNIT (handlers around one data-source call) or
PIPELINE (before handler, functions in order, after handler).

A step (a unit resolver, or one pipeline function) is: the request handler renders the request
document, the data source runs it (``emulator.resolvers.datasources.execute``), the response
handler turns ``ctx.result``/``ctx.error`` into the step's value. AppSync's rules, kept here:

* Early return (VTL ``#return``, JS ``runtime.earlyReturn``) in a request handler skips the data
  source and the response handler; the returned value is the step's value. In a pipeline: a VTL
  before template's ``#return`` ends the resolver with that value; a JS before handler's early
  return skips the functions and runs the after handler; a function's ``skipTo: 'END'`` skips the
  remaining functions.
* Data-source errors: with a ``2018-05-29`` request document, in every pipeline function and in
  APPSYNC_JS, the error is ``ctx.error`` and the response handler decides (re-raise it, append
  it, ignore it). With ``2017-02-28`` (or no version) in a unit VTL resolver, a null result skips
  the response template (the field is null) and an error fails the field with the data source's
  message and type, the rendered response in the error's ``data``.
* A VTL step without a request template calls its Lambda with the whole context (a direct Lambda
  resolver); without a response template its value is the Lambda's result (its error fails the
  field).
* Each pipeline function's value is the next one's ``ctx.prev.result``; the before handler's
  value is the first function's; the last one's is the after handler's ``ctx.prev.result`` (and
  ``ctx.result``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from emulator.errors import AppSyncError
from emulator.resolvers.custom.call import NO_PREVIOUS, ResolverCall
from emulator.resolvers.custom.code import JsCode, StepCode
from emulator.resolvers.custom.handlers import HandlerOutcome, HandlerRun, JsRun, start
from emulator.resolvers.datasources import DataSource, DataSourceResult, execute

LATEST_VERSION = "2018-05-29"
PIPELINE_START: dict[str, Any] = {}  # ctx.prev.result of the first function when there is no before handler


@dataclass(frozen=True)
class FunctionStep:
    """A pipeline function as it runs: its data source and handlers."""

    name: str
    data_source: DataSource
    code: StepCode
    origin: str


@dataclass(frozen=True)
class StepValue:
    value: Any
    skip_to_end: bool = False


@dataclass(frozen=True)
class CustomResolver:
    """The resolver of ``type_name.field_name``: ``code`` is the unit resolver's handlers, or the
    pipeline's before/after handlers."""

    type_name: str
    field_name: str
    kind: Literal["UNIT", "PIPELINE"]
    code: StepCode
    origin: str
    data_source: DataSource | None = None
    functions: tuple[FunctionStep, ...] = ()

    def resolve(self, call: ResolverCall) -> Any:
        """The field's value; raises the ``AppSyncError`` that fails the field."""
        if self.kind == "UNIT":
            assert self.data_source is not None
            return run_step(start(self.code, call), self.data_source, call, unit=True).value
        return self._pipeline(call)

    def _pipeline(self, call: ResolverCall) -> Any:
        run = start(self.code, call)
        prev: Any = PIPELINE_START
        skip_functions = False
        if run.has_request:
            before = run.request()
            if before.early and not isinstance(self.code, JsCode):
                return before.value  # VTL: #return in the before template returns from the resolver
            prev, skip_functions = before.value, before.early
        if not skip_functions:
            for function in self.functions:
                step = run_step(start(function.code, call), function.data_source, call, prev_result=prev)
                prev = step.value
                if step.skip_to_end:
                    break
        if not run.has_response:
            return prev
        return run.response(prev, None, prev_result=prev).value


def run_step(run: HandlerRun, data_source: DataSource, call: ResolverCall, *, unit: bool = False,
             prev_result: Any = NO_PREVIOUS) -> StepValue:
    """Request handler, data source, response handler, with AppSync's version rules."""
    if run.has_request:
        request = run.request(prev_result)
        if request.early:
            return StepValue(request.value, skip_to_end=request.skip_to == "END")
        document = request.value
    else:
        document = {"operation": "Invoke", "payload": call.direct_lambda_payload(prev_result)}
    outcome = execute(data_source, document, call.context)
    if not run.has_response:
        if outcome.error is not None:
            raise outcome.error
        return StepValue(outcome.result)
    if unit and not isinstance(run, JsRun) and _version(document) != LATEST_VERSION:
        return StepValue(_first_version_response(run, outcome, prev_result))
    response: HandlerOutcome = run.response(outcome.result, outcome.context_error(), prev_result)
    return StepValue(response.value)


def _first_version_response(run: HandlerRun, outcome: DataSourceResult, prev_result: Any) -> Any:
    """``2017-02-28``: no response template for a null result; a data-source error fails the
    field, with the evaluated response template as the error's data."""
    if outcome.error is None:
        if outcome.result is None:
            return None
        return run.response(outcome.result, None, prev_result).value
    rendered = run.response(outcome.result, outcome.context_error(), prev_result).value
    error = outcome.error
    raise AppSyncError(error.message, error.error_type, data=rendered, error_info=error.error_info)


def _version(document: Any) -> Any:
    return document.get("version") if isinstance(document, dict) else None

