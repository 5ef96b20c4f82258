"""Custom resolvers built from their specs (``emulator.resolver_specs``), once per API generation."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from emulator.apimodel import ApiModel
from emulator.resolver_specs import (
    CustomResolverError,
    CustomResolvers,
    PipelineFunctionSpec,
    ResolverSpec,
    SlotSpec,
    TemplateOverride,
)
from emulator.resolvers.appsync_js import JsCodeLoader
from emulator.resolvers.custom.code import VtlCode, compile_handler, parse_vtl
from emulator.resolvers.custom.resolver import CustomResolver, FunctionStep
from emulator.resolvers.custom.slots import DataOverride, SlotFunction, SlottedOperation
from emulator.resolvers.datasources import DataSource
from emulator.resolvers.root import resolve_root
from emulator.resolvers.vtl import VtlTemplate

FieldKey = tuple[str, str]
SLOTTED_KINDS = ("get", "list", "query", "create", "update", "delete")
EMPTY_OBJECT = VtlTemplate.parse("$util.toJson({})", "amplify-default-slot-template")  # Amplify's fill-in


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
                              data_source=_data_source(data_sources, spec.data_source, spec.origin),
                              max_batch_size=spec.max_batch_size)
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


def build_slotted_operations(
    custom: CustomResolvers,
    api: ApiModel,
    data_sources: Mapping[str, DataSource],
    table_name: Callable[[str], str],
    api_id: str,
) -> dict[FieldKey, SlottedOperation]:
    """The generated resolvers a v2 project extends with slots or replaces templates of.

    Refused at start, with the reason: slots and overrides on relation fields and subscriptions
    (the emulator serves those without Amplify's pipeline)."""
    if api.version == "v1":
        return {}
    wanted = {(s.type_name, s.field_name) for s in custom.slots} | {(o.type_name, o.field_name) for o in custom.overrides}
    built = {}
    for where in sorted(wanted):
        root = api.root(*where)
        slots = custom.slots_for(*where)
        override = custom.override_for(*where)
        origin = _slot_origin(slots, override)
        if root is None or root.model is None or root.kind not in SLOTTED_KINDS:
            kind = "a subscription" if root is not None and root.kind == "subscribe" else "a relation field"
            raise CustomResolverError(
                f"{origin}: {where[0]}.{where[1]} is {kind}; the emulator serves it natively, without Amplify's "
                "pipeline, so its slots and template overrides cannot run (move the logic to a custom resolver)"
            )
        model = api.models[root.model]
        functions = tuple(
            SlotFunction(slot.slot, slot.order, VtlCode(parse_vtl(slot.request) or EMPTY_OBJECT,
                                                        parse_vtl(slot.response) or EMPTY_OBJECT),
                         slot.replaces_generated)
            for slot in slots
        )
        data_override = None
        if override is not None:
            source = _data_source(data_sources, f"{model.name}Table", origin)
            data_override = DataOverride(VtlCode(parse_vtl(override.request), parse_vtl(override.response)), source)
        built[where] = SlottedOperation(root, model, resolve_root, functions, data_override, api_id,
                                        table_name(model.name))
    return built


def _slot_origin(slots: tuple[SlotSpec, ...], override: TemplateOverride | None) -> str:
    texts = [t for s in slots for t in (s.request, s.response) if t is not None]
    if override is not None:
        texts += [t for t in (override.request, override.response) if t is not None]
    return texts[0].origin if texts else "resolvers/"


def build_v1_overrides(custom: CustomResolvers, api: ApiModel, data_sources: Mapping[str, DataSource]) -> dict[FieldKey, CustomResolver]:
    """v1 template overrides: the project's templates replace the whole generated unit resolver
    (its auth included, as on AppSync), on the table the generated one reads."""
    if api.version != "v1":
        return {}
    built = {}
    for override in custom.overrides:
        where = (override.type_name, override.field_name)
        origin = _slot_origin((), override)
        if override.request is None or override.response is None:
            missing = "response" if override.response is None else "request"
            raise CustomResolverError(
                f"{origin}: replaces one template of the generated v1 resolver of {where[0]}.{where[1]}, which the "
                f"emulator serves natively (it has no generated {missing} template to pair it with): add the {missing} "
                f"template too (Amplify's is in build/resolvers/ after amplify push)"
            )
        source = _data_source(data_sources, f"{_target_model(api, where)}Table", origin)
        code = VtlCode(parse_vtl(override.request), parse_vtl(override.response))
        built[where] = CustomResolver(where[0], where[1], "UNIT", code, origin, data_source=source)
    return built


def _target_model(api: ApiModel, where: FieldKey) -> str:
    root = api.root(*where)
    if root is not None and root.model is not None:
        return root.model
    relation = api.models[where[0]].relations[where[1]]
    return relation.related_model
