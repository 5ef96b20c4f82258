"""Custom resolvers built from their specs (``emulator.resolver_specs``), once per API generation."""

from __future__ import annotations

from collections.abc import Mapping

from emulator.resolver_specs import CustomResolverError, CustomResolvers, PipelineFunctionSpec, ResolverSpec
from emulator.resolvers.appsync_js import JsCodeLoader
from emulator.resolvers.custom.code import compile_handler
from emulator.resolvers.custom.resolver import CustomResolver, FunctionStep
from emulator.resolvers.datasources import DataSource

FieldKey = tuple[str, str]


def build_resolvers(
    custom: CustomResolvers, data_sources: Mapping[str, DataSource], loader: JsCodeLoader | None = None
) -> dict[FieldKey, CustomResolver]:
    """Every declared resolver, its templates parsed and code checked (``CustomResolverError``)."""
    loader = loader or JsCodeLoader()
    functions: dict[int, FunctionStep] = {}  # a function shared by several pipelines is built once
    built = {}
    for where, spec in custom.resolvers.items():
        steps = tuple(_function(function, data_sources, loader, functions) for function in spec.functions)
        built[where] = _resolver(spec, data_sources, loader, steps)
    return built


def _resolver(
    spec: ResolverSpec, data_sources: Mapping[str, DataSource], loader: JsCodeLoader, steps: tuple[FunctionStep, ...]
) -> CustomResolver:
    code = compile_handler(spec.handler, spec.origin, loader)
    if spec.kind == "UNIT":
        return CustomResolver(spec.type_name, spec.field_name, "UNIT", code, spec.origin,
                              data_source=_data_source(data_sources, spec.data_source, spec.origin))
    return CustomResolver(spec.type_name, spec.field_name, "PIPELINE", code, spec.origin, functions=steps)


def _function(
    spec: PipelineFunctionSpec, data_sources: Mapping[str, DataSource], loader: JsCodeLoader,
    built: dict[int, FunctionStep],
) -> FunctionStep:
    key = id(spec)
    if key not in built:
        built[key] = FunctionStep(spec.name, _data_source(data_sources, spec.data_source, spec.origin),
                                  compile_handler(spec.handler, spec.origin, loader), spec.origin)
    return built[key]


def _data_source(data_sources: Mapping[str, DataSource], name: str | None, origin: str) -> DataSource:
    source = data_sources.get(name or "")
    if source is None:
        raise CustomResolverError(f"{origin}: no data source named {name!r}")
    return source
