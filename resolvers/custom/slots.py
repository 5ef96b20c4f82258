"""Amplify v2's resolver slots (and data-template overrides) around the native model operations.

Amplify builds each generated resolver as a pipeline; a project adds functions to it with slot
files (``Mutation.createPost.preUpdate.1.req.vtl``) and may replace a generated template with one
of the same name. The emulator runs the operation natively (``resolvers.root``) and the project's
templates at their places, each as a pipeline function on the ``NONE`` data source (a missing
request or response template is ``$util.toJson({})``, as Amplify fills it in):

``init``, ``preAuth``  ->  auth (native ``@auth``)  ->  ``auth``, ``postAuth``, ``validate``,
``preUpdate``/``preDataLoad``  ->  data (native DynamoDB call)  ->  ``postUpdate``/``postDataLoad``,
``finish``.

The stash holds what Amplify's own templates put there, and the data step reads it back
(``resolvers.operation_hooks``): ``typeName``, ``fieldName``, ``tableName``, ``metadata``
(``dataSourceType``, ``apiId``, ``modelObjectKey`` for custom primary keys), ``conditions`` (ANDed
into writes), ``defaultValues`` (create: ``id``, ``createdAt``, ``updatedAt``; update:
``updatedAt``; values under the input), ``authFilter`` (reads: ANDed into the Query/Scan filter),
``hasAuth``, ``transformedArgs`` (replaces the arguments), ``adminRoles``, ``connectionAttributes``.
A slot changing ``$ctx.args`` changes the arguments the data step uses.

Each function's value is the next one's ``ctx.prev.result``; after the data step the operation's
result is, and the field's value is the last one's (so a ``postDataLoad`` slot decides the
field's value, as on AppSync). ``#return`` skips a slot's data source and response;
``runtime.earlyReturn(v, {skipTo: 'END'})`` ends the whole resolver with ``v``; ``$util.error``
fails the field.

A slot file named like a generated template replaces it: ``init.1`` (no generated
``defaultValues``), ``auth.1`` (the native ``@auth`` check does not run; the slot sets
``authFilter`` or raises), ``postAuth.1`` on a model without ``@auth`` (the sandbox/global-auth
check does not run). A file named like the data step's template (``Query.getPost.req.vtl`` /
``.res.vtl``) replaces it: the request template runs against the model's table instead of the
native data step (after the native auth, with the stash above); a response template alone receives
the native data step's ``ctx.result``/``ctx.error``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.apimodel import ModelSpec, RootField
from emulator.errors import AppSyncError
from emulator.resolvers.context import AllowAll, ResolverContext
from emulator.resolvers.custom.call import ResolverCall
from emulator.resolvers.custom.code import StepCode, VtlCode
from emulator.resolvers.custom.handlers import start
from emulator.resolvers.custom.steps import run_step
from emulator.resolvers.datasources import DataSource, NoneSource, execute
from emulator.resolvers.keys import object_key
from emulator.resolvers.operation_hooks import DataStep, OperationHooks
from emulator.resolvers.values import to_item
from emulator.resolvers.writes import OPERATION_MARK, iso_now, with_field_defaults

BEFORE_AUTH = ("init", "preAuth")
BEFORE_DATA = ("auth", "postAuth", "validate", "preUpdate", "preDataLoad")
AFTER_DATA = ("postUpdate", "postDataLoad", "finish")
NONE = NoneSource("NONE_DS")

NativeOperation = Callable[[ResolverContext, RootField, Mapping[str, Any], OperationHooks], Any]


@dataclass(frozen=True)
class SlotFunction:
    """One slot template pair as a pipeline function."""

    slot: str
    order: int
    code: StepCode
    replaces_generated: bool = False


@dataclass(frozen=True)
class DataOverride:
    """The data step's own templates, replaced by the project (either may be absent)."""

    code: VtlCode
    data_source: DataSource


class _Ended(Exception):  # noqa: N818  (control flow inside this module: the resolver's value is ready)
    def __init__(self, value: Any) -> None:
        self.value = value


@dataclass(frozen=True)
class SlottedOperation:
    """A generated model operation with the project's slots and overrides."""

    root: RootField
    model: ModelSpec
    native: NativeOperation
    slots: tuple[SlotFunction, ...] = ()
    override: DataOverride | None = None
    api_id: str = "emulator"
    table_name: str = ""

    def replaced(self, name: str) -> bool:
        return any(s.replaces_generated and f"{s.slot}.{s.order}" == name for s in self.slots)

    @property
    def skips_native_auth(self) -> bool:
        return self.replaced("auth.1") or (self.replaced("postAuth.1") and self.model.auth_rules is None)

    def resolve(self, call: ResolverCall) -> Any:
        call.stash.update(self._initial_stash(call))
        try:
            prev = self._run_slots(call, BEFORE_AUTH, {})
            result = self._operation(call, prev)
            return self._run_slots(call, AFTER_DATA, result)
        except _Ended as ended:
            return ended.value

    def _operation(self, call: ResolverCall, prev: Any) -> Any:
        context = call.context
        hooks = _Hooks(self, call, prev)
        policy = context.policy
        if self.skips_native_auth:
            context.policy = AllowAll()
        try:
            result = self.native(context, self.root, call.arguments, hooks)
        except AppSyncError as error:
            if self.override is None or not hooks.reached_data or self.override.code.response is None:
                raise
            return self._override_response(call, None, _context_error(error))
        finally:
            context.policy = policy
        if self.override is not None and self.override.code.response is not None:
            return self._override_response(call, _raw(result), None)
        return result

    def _run_slots(self, call: ResolverCall, slots: tuple[str, ...], prev: Any) -> Any:
        for function in self.slots:
            if function.slot in slots:
                step = run_step(start(function.code, call), NONE, call, prev_result=prev)
                if step.skip_to_end:
                    raise _Ended(step.value)
                prev = step.value
        return prev

    def _override_response(self, call: ResolverCall, result: Any, error: dict[str, Any] | None) -> Any:
        assert self.override is not None and self.override.code.response is not None
        run = start(self.override.code, call)
        return run.response(result, error).value

    def _initial_stash(self, call: ResolverCall) -> dict[str, Any]:
        """What Amplify's resolver-level request template (and generated ``init.1``) stash."""
        metadata: dict[str, Any] = {"dataSourceType": "AMAZON_DYNAMODB", "apiId": self.api_id}
        stash: dict[str, Any] = {
            "typeName": self.root.parent, "fieldName": self.root.name, "conditions": [], "metadata": metadata,
            "connectionAttributes": {}, "tableName": self.table_name, "adminRoles": [],
        }
        key = self._model_object_key(call.arguments)
        if key is not None:
            metadata["modelObjectKey"] = key
        if self.root.kind in ("create", "update"):
            if self.root.kind == "create" and isinstance(call.arguments.get("input"), dict):
                call.arguments["input"] = with_field_defaults(self.model, call.arguments["input"])
            if not self.replaced("init.1"):
                stash["defaultValues"] = self._generated_defaults(call.context)
        return stash

    def _generated_defaults(self, context: ResolverContext) -> dict[str, Any]:
        now = iso_now(context)
        timestamps = (self.model.created_at, self.model.updated_at) if self.root.kind == "create" else (self.model.updated_at,)
        defaults: dict[str, Any] = {}
        if self.root.kind == "create" and "id" in self.model.fields:
            defaults["id"] = str(uuid.uuid4())
        defaults.update({name: now for name in timestamps if name})
        return defaults

    def _model_object_key(self, arguments: Mapping[str, Any]) -> dict[str, Any] | None:
        key = self.model.primary_key
        if key.partition == "id" and not key.sort:
            return None
        values = arguments.get("input") if self.root.kind in ("create", "update", "delete") else arguments
        try:
            return to_item(object_key(self.model, key, values or {}))
        except AppSyncError:
            return None


@dataclass
class _Hooks(OperationHooks):
    """Runs the slots between auth and data, and a replaced data step."""

    operation: SlottedOperation
    call: ResolverCall
    prev: Any
    reached_data: bool = field(default=False)

    def before_data(self, step: DataStep) -> DataStep:
        call, stash = self.call, self.call.stash
        arguments = dict(step.args)  # what auth made of them (create: the owner filled in)
        call.arguments.clear()
        call.arguments.update(arguments)
        if step.auth_filter is not None:
            stash["authFilter"] = step.auth_filter
        if self.operation.model.auth_rules is not None and not self.operation.skips_native_auth:
            stash["hasAuth"] = True
        self.prev = self.operation._run_slots(call, BEFORE_DATA, self.prev)
        args = stash.get("transformedArgs") or call.arguments
        data = DataStep(
            args=args,
            auth_filter=stash.get("authFilter"),
            conditions=[c for c in stash.get("conditions") or [] if c],
            default_values=stash.get("defaultValues") if self.operation.root.kind in ("create", "update") else None,
        )
        self.reached_data = True
        override = self.operation.override
        if override is not None and override.code.request is not None:
            value = _replaced_data_step(self.operation.root, call, override)
            raise _Ended(self.operation._run_slots(call, AFTER_DATA, value))
        return data


def _replaced_data_step(root: RootField, call: ResolverCall, override: DataOverride) -> Any:
    """The project's request template on the model's table, then its response template, or the
    one Amplify generates: the data source's error fails the field, a mutation's item is marked."""
    run = start(override.code, call)
    request = run.request()
    if request.early:
        return request.value
    outcome = execute(override.data_source, request.value, call.context)
    if run.has_response:
        return run.response(outcome.result, outcome.context_error()).value
    if outcome.error is not None:
        raise outcome.error
    result = outcome.result
    if root.kind in ("create", "update", "delete") and isinstance(result, dict):
        result[OPERATION_MARK] = "Mutation"
    return result


def _context_error(error: AppSyncError) -> dict[str, Any]:
    found: dict[str, Any] = {"message": error.message, "type": error.error_type}
    if error.data is not None:
        found["data"] = error.data
    return found


def _raw(result: Any) -> Any:
    """The data source's own result: the native operation's without the generated template's mark."""
    if isinstance(result, dict) and OPERATION_MARK in result:
        return {k: v for k, v in result.items() if k != OPERATION_MARK}
    return result
