"""Custom resolvers built from inline VTL and APPSYNC_JS text, for the executor's unit tests."""

from __future__ import annotations

from typing import Any

from emulator.auth.identity import Identity
from emulator.resolvers.appsync_js import load_code
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.custom import CustomResolver, FunctionStep, JsCode, ResolverCall, VtlCode
from emulator.resolvers.datasources import DataSource
from emulator.resolvers.vtl import VtlTemplate


def vtl(request: str | None, response: str | None, name: str = "Query.field") -> VtlCode:
    return VtlCode(
        VtlTemplate.parse(request, f"{name}.req.vtl") if request is not None else None,
        VtlTemplate.parse(response, f"{name}.res.vtl") if response is not None else None,
    )


def js(source: str, name: str = "resolver.js") -> JsCode:
    return JsCode(load_code(source, name))


def unit(code: VtlCode | JsCode, source: DataSource, field: str = "Query.field") -> CustomResolver:
    type_name, field_name = field.split(".")
    return CustomResolver(type_name, field_name, "UNIT", code, "test", data_source=source)


def pipeline(code: VtlCode | JsCode, *functions: tuple[VtlCode | JsCode, DataSource],
             field: str = "Query.field") -> CustomResolver:
    type_name, field_name = field.split(".")
    steps = tuple(FunctionStep(f"f{i}", source, step, "test") for i, (step, source) in enumerate(functions))
    return CustomResolver(type_name, field_name, "PIPELINE", code, "test", functions=steps)


def call_of(ctx: ResolverContext, resolver: CustomResolver, arguments: dict[str, Any] | None = None,
            source: Any = None, identity: Identity | None = None) -> ResolverCall:
    ctx.identity = identity
    return ResolverCall.of(ctx, resolver.type_name, resolver.field_name, arguments or {}, source)
