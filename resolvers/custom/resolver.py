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

from emulator.resolvers.custom.batch import batched_value
from emulator.resolvers.custom.call import ResolverCall
from emulator.resolvers.custom.code import JsCode, StepCode
from emulator.resolvers.custom.handlers import start
from emulator.resolvers.custom.steps import run_step
from emulator.resolvers.datasources import DataSource, LambdaSource

PIPELINE_START: dict[str, Any] = {}  # ctx.prev.result of the first function when there is no before handler


@dataclass(frozen=True)
class FunctionStep:
    """A pipeline function as it runs: its data source and handlers."""

    name: str
    data_source: DataSource
    code: StepCode
    origin: str


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
    max_batch_size: int | None = None  # Lambda: sibling fields' requests in one BatchInvoke

    def resolve(self, call: ResolverCall) -> Any:
        """The field's value; raises the ``AppSyncError`` that fails the field."""
        if self.kind == "UNIT":
            assert self.data_source is not None
            if isinstance(self.data_source, LambdaSource) and self.max_batch_size and call.source is not None:
                return batched_value(self.code, self.data_source, self.max_batch_size, call)
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
