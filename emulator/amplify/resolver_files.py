"""The API folder's ``resolvers/`` files that are not a custom resolver's templates: v2 slot files
and whole-template overrides of the resolvers Amplify generates, found and classified.

* ``<Type>.<field>.<slot>.<n>.req.vtl|res.vtl`` (v2): a slot of the generated pipeline of that
  field (``SlotSpec``). A file with the name of a slot template Amplify itself generates for the
  field (``Query.getPost.postAuth.1.req.vtl``) replaces that step (``replaces_generated``); the
  names come from the API's ``build/resolvers/`` when ``amplify push`` left it, else from
  Amplify's rules (``postAuth.1`` on every generated field, ``auth.1`` where the model has
  ``@auth``, ``init.1`` on create and update).
* ``<Type>.<field>.req.vtl|res.vtl`` for a generated field: a ``TemplateOverride`` (v2: the data
  step; v1: the whole unit resolver).
* Anything else nothing uses gets a warning naming it, so a file is never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from emulator.apimodel import ApiModel
from emulator.resolver_specs import (
    MUTATION_SLOTS,
    QUERY_SLOTS,
    SUBSCRIPTION_SLOTS,
    CustomResolverError,
    SlotSpec,
    TemplateOverride,
    TemplateText,
)

_NAME = r"[_A-Za-z][_0-9A-Za-z]*"
SLOT_FILE = re.compile(rf"(?P<type>{_NAME})\.(?P<field>{_NAME})\.(?P<slot>[A-Za-z]+)\.(?P<order>\d+)\.(?P<part>req|res)\.vtl")
TEMPLATE_FILE = re.compile(rf"(?P<type>{_NAME})\.(?P<field>{_NAME})\.(?P<part>req|res)\.vtl")


@dataclass
class ResolverFiles:
    slots: list[SlotSpec] = field(default_factory=list)
    overrides: list[TemplateOverride] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def generated_fields(api: ApiModel) -> dict[tuple[str, str], str]:
    """Every field Amplify generates a resolver for, with its model."""
    found = {(root.parent, root.name): root.model for root in api.root_fields.values() if root.model}
    for model in api.models.values():
        for relation in model.relations:
            found[(model.name, relation)] = model.name
    return {where: model for where, model in found.items() if model is not None}


def read_resolver_files(
    api_dir: Path,
    api: ApiModel,
    used_files: Collection[Path],
    custom_fields: Collection[tuple[str, str]],
) -> ResolverFiles:
    """Classify the files of ``api_dir/resolvers`` the custom resolvers do not use."""
    found = ResolverFiles()
    folder = api_dir / "resolvers"
    if not folder.is_dir():
        return found
    used = {path.resolve() for path in used_files}
    generated = generated_fields(api)
    built = _built_templates(api_dir)
    slot_parts: dict[tuple[str, str, str, int], dict[str, TemplateText]] = {}
    override_parts: dict[tuple[str, str], dict[str, TemplateText]] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if path.resolve() in used:
            continue
        slot, template = SLOT_FILE.fullmatch(path.name), TEMPLATE_FILE.fullmatch(path.name)
        if slot and (slot["type"], slot["field"]) in generated:
            if api.version == "v1":
                found.warnings.append(f"{path}: slot files are a transformer v2 feature; the v1 API does not use it")
                continue
            where = (slot["type"], slot["field"], slot["slot"], int(slot["order"]))
            _check_slot(path, slot["slot"], slot["type"], slot["field"])
            slot_parts.setdefault(where, {})[slot["part"]] = _text(path)
        elif template and (template["type"], template["field"]) in generated:
            override_parts.setdefault((template["type"], template["field"]), {})[template["part"]] = _text(path)
        elif (slot or template) and ((m := slot or template)["type"], m["field"]) in custom_fields:
            found.warnings.append(f"{path}: not used: {m['type']}.{m['field']} is a custom resolver whose templates "
                                  "are declared elsewhere")
        elif template or slot:
            m = template or slot
            found.warnings.append(
                f"{path}: not used: {m['type']}.{m['field']} has no generated resolver and no custom resolver "
                "(declare an AWS::AppSync::Resolver in stacks/CustomResources.json or [resolvers] in the config)"
            )
        elif path.suffix in (".vtl", ".js"):
            found.warnings.append(f"{path}: not used by any resolver or function")
    for (type_name, field_name, slot_name, order), parts in sorted(slot_parts.items()):
        model = api.models.get(generated[(type_name, field_name)])
        replaces = _generated_slot_names(built, type_name, field_name, model is not None and model.auth_rules is not None, api)
        found.slots.append(SlotSpec(
            type_name, field_name, slot_name, order, parts.get("req"), parts.get("res"),
            replaces_generated=f"{slot_name}.{order}" in replaces,
        ))
    for (type_name, field_name), parts in sorted(override_parts.items()):
        found.overrides.append(TemplateOverride(type_name, field_name, parts.get("req"), parts.get("res")))
    return found


def slots_of(type_name: str) -> tuple[str, ...]:
    """The slots a generated field of ``type_name`` has (relation fields have a query's)."""
    if type_name == "Mutation":
        return MUTATION_SLOTS
    if type_name == "Subscription":
        return SUBSCRIPTION_SLOTS
    return QUERY_SLOTS


def _check_slot(path: Path, slot: str, type_name: str, field_name: str) -> None:
    allowed = slots_of(type_name)
    if slot not in allowed:
        raise CustomResolverError(
            f"{path}: {slot!r} is not a slot of {type_name}.{field_name}; its slots are: {', '.join(allowed)}"
        )


def _generated_slot_names(
    built: Mapping[tuple[str, str], set[str]] | None, type_name: str, field_name: str, has_auth: bool, api: ApiModel
) -> set[str]:
    """``slot.n`` names Amplify generates for the field: from ``build/resolvers`` when present."""
    if built is not None:
        return built.get((type_name, field_name), set())
    names = {"postAuth.1"}
    if has_auth:
        names.add("auth.1")
    root = api.root(type_name, field_name)
    if root is not None and root.kind in ("create", "update"):
        names.add("init.1")
    return names


def _built_templates(api_dir: Path) -> dict[tuple[str, str], set[str]] | None:
    folder = api_dir / "build" / "resolvers"
    if not folder.is_dir():
        return None
    built: dict[tuple[str, str], set[str]] = {}
    for path in folder.iterdir():
        slot = SLOT_FILE.fullmatch(path.name)
        if slot:
            built.setdefault((slot["type"], slot["field"]), set()).add(f"{slot['slot']}.{slot['order']}")
    return built


def _text(path: Path) -> TemplateText:
    try:
        return TemplateText(path.read_text(encoding="utf-8"), path, str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise CustomResolverError(f"{path}: cannot read the template: {exc}") from exc
