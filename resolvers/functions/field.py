"""The resolver of a field with ``@function``: its Lambda pipeline, as Amplify's resolver runs it.

Each ``@function`` of the field runs in order with the event of ``event.py``, its result becoming
the next one's ``prev.result``; the field's value is the last result (passed through the
field's type by execution, AWS scalars checked as AppSync checks them). A custom root field's
static ``@auth`` rules run first. A failed call (thrown error, timeout, crash) ends the pipeline:
the field is ``null`` with ``errorType: "Lambda:Unhandled"`` and the function's message. An
``invocationType: Event`` step answers ``{"success": true}`` at once and runs in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.apimodel import FunctionStep, RootField
from emulator.auth.rules_errors import NotAuthorized
from emulator.errors import AppSyncError
from emulator.resolvers.functions.errors import FunctionError
from emulator.resolvers.functions.event import function_event

EVENT_ACCEPTED = {"success": True}


def function_resolver(steps: tuple[FunctionStep, ...], custom_root: RootField | None = None) -> Callable[..., Any]:
    """A resolver running ``steps``; ``custom_root``: a custom root field whose ``@auth`` runs first."""

    def resolver(source: Any, info: Any, **args: Any) -> Any:
        context = info.context
        type_name, field_name = info.parent_type.name, info.field_name
        if custom_root is not None:
            try:
                context.policy.check_custom_field(custom_root, context.identity)
            except NotAuthorized as error:
                raise error.at(field_name, type_name) from None
        runners = context.functions
        if runners is None:
            raise AppSyncError(f"{type_name}.{field_name}: no function runners in this context", "Lambda:Unhandled")
        result: Any = {}
        for step in steps:
            event = function_event(context, type_name, field_name, args, source, result)
            try:
                answer = runners.invoke(step.name, event, invocation_type=step.invocation_type)
            except FunctionError as error:
                raise AppSyncError(error.message, error.error_type) from None
            result = dict(EVENT_ACCEPTED) if step.invocation_type == "Event" else answer
        return result

    return resolver
