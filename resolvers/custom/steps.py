"""One step of a resolver (a unit resolver, or one pipeline function): the request handler renders
the request document, the data source runs it, the response handler makes the step's value, with
AppSync's rules for early return and data-source errors (see ``resolver``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.custom.call import NO_PREVIOUS, ResolverCall
from emulator.resolvers.custom.handlers import HandlerOutcome, HandlerRun, JsRun
from emulator.resolvers.datasources import DataSource, DataSourceResult, execute

LATEST_VERSION = "2018-05-29"


@dataclass(frozen=True)
class StepValue:
    value: Any
    skip_to_end: bool = False


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
    return answer(run, document, outcome, unit=unit, prev_result=prev_result)


def answer(run: HandlerRun, document: Any, outcome: DataSourceResult, *, unit: bool = False,
           prev_result: Any = NO_PREVIOUS) -> StepValue:
    """The step's value from the data source's outcome: the response handler, or the result
    itself without one."""
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

