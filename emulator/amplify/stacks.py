"""Custom resolvers declared in a Gen 1 API's ``stacks/*.json`` (``CustomResources.json`` and any
other stack the project adds), read as ``amplify push`` would deploy them.

Read: ``AWS::AppSync::DataSource`` (DynamoDB, Lambda, HTTP, NONE; other types are kept and
refused per call), ``AWS::AppSync::FunctionConfiguration``, ``AWS::AppSync::Resolver`` (UNIT and
PIPELINE; VTL inline or in an ``Fn::Sub`` S3 location under the deployment root, or APPSYNC_JS
with ``Code`` or a ``CodeS3Location`` file) and ``AWS::DynamoDB::Table`` (created at start like
the model tables). Amplify uploads the API folder's ``resolvers/`` (and the rest of the API
folder) to ``s3://${S3DeploymentBucket}/${S3DeploymentRootKey}/``, so an S3 location there is a
file of the API folder. Other resource types (IAM roles, policies…) are not the emulator's
business and are skipped unread.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.amplify.cfn import CfnError, ResourceLookup, Stack, declared_defaults
from emulator.amplify.stack_resources import (
    DEPLOYMENT_BUCKET,
    DEPLOYMENT_ROOT,
    ResourceReader,
    fixed_parameters,
)
from emulator.resolver_specs import (
    CustomResolverError,
    DataSourceSpec,
    ResolverSpec,
    TableSpec,
)

__all__ = ["DEPLOYMENT_BUCKET", "DEPLOYMENT_ROOT", "StackDeclarations", "StackEnvironment", "read_stacks"]


@dataclass(frozen=True)
class StackEnvironment:
    """What Amplify passes a custom stack, as the emulator serves the API."""

    api_dir: Path
    api_name: str
    api_id: str
    env: str
    region: str
    model_tables: Mapping[str, str]  # model name -> the emulator's table
    functions: tuple[str, ...] = ()  # the project's functions (amplify/backend/function/*)


@dataclass
class StackDeclarations:
    data_sources: dict[str, DataSourceSpec] = field(default_factory=dict)
    resolvers: dict[tuple[str, str], ResolverSpec] = field(default_factory=dict)
    tables: list[TableSpec] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used_files: set[Path] = field(default_factory=set)


def read_stacks(env: StackEnvironment) -> StackDeclarations:
    """Every stack file of the API folder's ``stacks/``, in name order."""
    found = StackDeclarations()
    folder = env.api_dir / "stacks"
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        _read_stack(path, env, found)
    return found


def _read_stack(path: Path, env: StackEnvironment, found: StackDeclarations) -> None:
    template = _load(path)
    resources = template.get("Resources") or {}
    if not isinstance(resources, dict):
        raise CustomResolverError(f"{path}: Resources must be an object")
    reader = ResourceReader(path, env, resources, found.used_files, found.warnings)
    stack = Stack(template, _parameters(path, template, env), ResourceLookup(reader.ref, reader.get_att, reader.import_value))
    reader.stack = stack
    active = {name: resource for name, resource in resources.items() if _active(path, stack, name, resource)}
    by_type: dict[str, list[str]] = {}
    for name, resource in active.items():
        by_type.setdefault(str(resource.get("Type")), []).append(name)
    for name in by_type.get("AWS::DynamoDB::Table", []):
        found.tables.append(reader.table(name))
    for name in by_type.get("AWS::AppSync::DataSource", []):
        spec = reader.data_source(name)
        if spec.name in found.data_sources:
            raise CustomResolverError(
                f"{path}: resource {name}: a data source named {spec.name!r} is already declared "
                f"({found.data_sources[spec.name].origin})"
            )
        found.data_sources[spec.name] = spec
    for name in by_type.get("AWS::AppSync::Resolver", []):
        resolver = reader.resolver(name)
        where = (resolver.type_name, resolver.field_name)
        if where in found.resolvers:
            raise CustomResolverError(
                f"{path}: resource {name}: {resolver.type_name}.{resolver.field_name} already has a resolver "
                f"({found.resolvers[where].origin})"
            )
        found.resolvers[where] = resolver
    for name in by_type.get("AWS::AppSync::FunctionConfiguration", []):
        reader.function(name)  # functions no resolver uses are still checked


def _load(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CustomResolverError(f"{path}: cannot read the stack: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise CustomResolverError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    if not isinstance(document, dict):
        raise CustomResolverError(f"{path}: a stack must be a JSON object")
    return document


def _parameters(path: Path, template: Mapping[str, Any], env: StackEnvironment) -> dict[str, Any]:
    """Declared defaults, then the API's ``parameters.json``, then what Amplify always passes."""
    declared = template.get("Parameters") or {}
    values: dict[str, Any] = declared_defaults(template)
    parameters_file = env.api_dir / "parameters.json"
    if parameters_file.is_file():
        try:
            given = json.loads(parameters_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CustomResolverError(f"{parameters_file}: not a readable JSON object: {exc}") from exc
        if isinstance(given, dict):
            values.update({name: value for name, value in given.items() if name in declared})
    values.update(fixed_parameters(env, path.stem))
    return values


def _active(path: Path, stack: Stack, name: str, resource: Any) -> bool:
    if not isinstance(resource, dict):
        raise CustomResolverError(f"{path}: resource {name} must be an object")
    condition = resource.get("Condition")
    if condition is None:
        return True
    try:
        return stack.condition(str(condition))
    except CfnError as exc:
        raise CustomResolverError(f"{path}: resource {name}: {exc}") from exc

