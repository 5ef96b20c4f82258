"""What a Gen 2 project declares, as typed values (built from the Node helper's JSON).

Functions and custom handlers are described here so that the function runners (issue 12) and
the APPSYNC_JS runtime can be plugged in; this package does not run them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: ``allow.resource(fn).to([...])`` actions -> the root types the function's IAM policy grants.
ACTION_ROOT_TYPES = {"query": "Query", "mutate": "Mutation", "listen": "Subscription"}


@dataclass(frozen=True)
class Gen2Function:
    """One ``defineFunction``: what a runner needs to start it."""

    name: str
    entry: Path | None  # None for defineFunction((scope) => ...) (custom CDK functions)
    timeout_seconds: int | None
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)  # env var -> secret('NAME')
    memory_mb: int | None = None
    runtime: int | None = None  # None: @aws-amplify/backend-function's default
    provided: bool = False


@dataclass(frozen=True)
class HandlerStep:
    """One ``a.handler.custom({ dataSource, entry })`` in a field's pipeline."""

    data_source: str  # "NONE_DS", "<Model>Table" or a data source added in backend.ts
    entry: Path


@dataclass(frozen=True)
class CustomHandler:
    """A custom operation (or subscription) served by APPSYNC_JS handlers."""

    type_name: str
    field_name: str
    steps: tuple[HandlerStep, ...]


@dataclass(frozen=True)
class FunctionAccess:
    """``allow.resource(fn).to([...])``: the function may call the API (IAM)."""

    function: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Gen2Project:
    """A Gen 2 project's data API as Amplify's own ``transform()`` describes it."""

    root: Path
    data_resource: Path
    auth_resource: Path | None
    api_name: str
    sdl: str
    authorization_modes: Mapping[str, Any] | None  # defineData's, functions named
    has_auth: bool  # defineAuth (a user pool and identity pool) is part of the project
    groups: tuple[str, ...]
    functions: Mapping[str, Gen2Function]
    lambda_functions: Mapping[str, str]  # "FnEcho" (the SDL's @function name) -> function name
    custom_handlers: tuple[CustomHandler, ...]
    function_access: tuple[FunctionAccess, ...]
    database_engines: tuple[str, ...]
    model_introspection: Mapping[str, Any] | None
    model_introspection_error: str | None
    loader: str  # "fast" or "real"
    timings_ms: Mapping[str, int]

    def granted_root_types(self, function: str) -> tuple[str, ...]:
        """The root types ``allow.resource(fn).to([...])`` grants ``function`` (none without access)."""
        actions = [a for access in self.function_access if access.function == function for a in access.actions]
        return tuple(dict.fromkeys(ACTION_ROOT_TYPES[a] for a in actions if a in ACTION_ROOT_TYPES))

    def function_for(self, sdl_name: str) -> Gen2Function | None:
        """The function an ``@function(name: ...)`` of the SDL calls, when the project defines it."""
        name = self.lambda_functions.get(sdl_name, sdl_name)
        return self.functions.get(name)


def _function(raw: Mapping[str, Any]) -> Gen2Function:
    entry = raw.get("entry")
    return Gen2Function(
        name=str(raw["name"]),
        entry=Path(entry) if entry else None,
        timeout_seconds=raw.get("timeoutSeconds"),
        environment=dict(raw.get("environment") or {}),
        secrets=dict(raw.get("secrets") or {}),
        memory_mb=raw.get("memoryMB"),
        runtime=raw.get("runtime"),
        provided=bool(raw.get("provided")),
    )


def project_from_answer(
    answer: Mapping[str, Any], root: Path, data: Path, auth: Path | None, loader: str
) -> Gen2Project:
    """The helper's JSON document as a ``Gen2Project``."""
    described = answer["data"]
    auth_answer = answer.get("auth")
    return Gen2Project(
        root=root,
        data_resource=data,
        auth_resource=auth,
        api_name=str(described.get("name") or "amplifyData"),
        sdl=str(described["schema"]),
        authorization_modes=described.get("authorizationModes"),
        has_auth=auth_answer is not None,
        groups=tuple(auth_answer.get("groups") or ()) if auth_answer else (),
        functions={name: _function(raw) for name, raw in (answer.get("functions") or {}).items()},
        lambda_functions=dict(described.get("lambdaFunctions") or {}),
        custom_handlers=tuple(
            CustomHandler(
                type_name=str(js["typeName"]),
                field_name=str(js["fieldName"]),
                steps=tuple(HandlerStep(str(h["dataSource"]), Path(h["entry"])) for h in js.get("handlers") or ()),
            )
            for js in described.get("jsFunctions") or ()
        ),
        function_access=tuple(
            FunctionAccess(str(a.get("function")), tuple(a.get("actions") or ()))
            for a in described.get("functionSchemaAccess") or ()
        ),
        database_engines=tuple(described.get("databaseEngines") or ("dynamodb",)),
        model_introspection=answer.get("modelIntrospection"),
        model_introspection_error=answer.get("modelIntrospectionError"),
        loader=loader,
        timings_ms=dict(answer.get("timings") or {}),
    )
