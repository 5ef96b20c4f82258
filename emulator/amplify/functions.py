"""A Gen 1 project's Lambda functions: ``amplify/backend/function/<name>/``, read as
``FunctionSpec``s.

From ``<name>-cloudformation-template.json``: the ``AWS::Lambda::Function``'s ``Handler``
(``index.handler``: file ``src/index.*``, export ``handler``), ``Runtime`` (``nodejs*`` and
``python*`` run; other runtimes are skipped with a warning), ``Timeout`` and
``Environment.Variables`` with their intrinsics evaluated locally (``emulator.amplify.cfn``): the
API's outputs (``api<name>GraphQLAPIEndpointOutput`` …) are this emulator's, the model tables are
the emulator's tables. Parameters come from the function's ``parameters.json`` and the current
env's ``team-provider-info.json`` entry, then the template's defaults. The function's ``.env``
(as ``amplify mock`` reads it) is applied on top. Each ``AWS::Lambda::EventSourceMapping`` on a
model table's stream (``${api…}:GetAtt:<Model>Table:StreamArn``, as ``amplify add function``
writes a trigger) becomes a ``StreamTrigger``. Folders without a function (Lambda layers) are
skipped.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.amplify.cfn import (
    ACCOUNT_ID,
    CfnError,
    ResourceLookup,
    Stack,
    declared_defaults,
    pseudo_parameters,
)
from emulator.amplify.files import BACKEND_DIR, AmplifyProjectError, read_json
from emulator.resolvers.functions.environment import GRAPHQL_ENDPOINT_TOKEN
from emulator.resolvers.functions.spec import FunctionSpec, StreamTrigger

FUNCTION_DIR = BACKEND_DIR / "function"
#: ``Fn::ImportValue`` of a model table's attribute, as ``amplify add function`` writes it
IMPORTED_TABLE = re.compile(r":GetAtt:(?P<model>\w+?)Table:(?P<attribute>Name|Arn|StreamArn)$")
NODE_EXTENSIONS = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
AMPLIFY_DEFAULT_TIMEOUT = 25.0  # what `amplify add function` writes

_log = logging.getLogger("emulator.amplify")


@dataclass(frozen=True)
class ApiOutputs:
    """The API outputs a function's template can reference, with their local values."""

    api_name: str
    api_id: str
    api_key: str | None
    env: str
    region: str
    table_name: Callable[[str], str]

    def parameters(self) -> dict[str, str]:
        prefix = f"api{self.api_name}"
        values = {f"{prefix}GraphQLAPIIdOutput": self.api_id, f"{prefix}GraphQLAPIEndpointOutput": GRAPHQL_ENDPOINT_TOKEN,
                  "env": self.env}
        if self.api_key:
            values[f"{prefix}GraphQLAPIKeyOutput"] = self.api_key
        return values


def function_folders(project_root: Path) -> list[Path]:
    root = project_root / FUNCTION_DIR
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=value`` lines of a ``.env`` file (comments, ``export`` and quotes as dotenv reads them)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key.strip()] = value
    return values


def _parameters(project_root: Path, folder: Path, outputs: ApiOutputs) -> dict[str, str]:
    team = read_json(project_root / "amplify" / "team-provider-info.json") or {}
    from_env = (((team.get(outputs.env) or {}).get("categories") or {}).get("function") or {}).get(folder.name) or {}
    values = {k: str(v) for k, v in (read_json(folder / "parameters.json") or {}).items() if isinstance(v, str | int | float)}
    values.update({k: str(v) for k, v in from_env.items() if isinstance(v, str | int | float)})
    values.update(outputs.parameters())
    return values


def _handler_file(task_root: Path, handler: str, runtime: str) -> tuple[Path, str]:
    module, _, export = handler.rpartition(".")
    if not module or not export:
        raise AmplifyProjectError(f"Handler {handler!r} is not '<file>.<export>'")
    base = task_root / module
    extensions = NODE_EXTENSIONS if runtime == "node" else (".py",)
    for extension in extensions:
        candidate = base.with_name(base.name + extension)
        if candidate.is_file():
            return candidate, export
    listed = "/".join(extensions)
    raise AmplifyProjectError(f"Handler {handler!r}: no {base.name}{{{listed}}} in {task_root}")


class _FunctionResources:
    """What a function template's own resources and imports are, locally (``ResourceLookup``)."""

    def __init__(self, resources: Mapping[str, Any], function_name: str, outputs: ApiOutputs) -> None:
        self.resources, self.function_name, self.outputs = resources, function_name, outputs

    def lookup(self) -> ResourceLookup:
        return ResourceLookup(self.ref, self.get_att, self.import_value)

    def ref(self, logical: str) -> str:
        return self.function_name if self._kind(logical) == "AWS::Lambda::Function" else logical

    def get_att(self, logical: str, attribute: str) -> str:
        kind, name = self._kind(logical), self.ref(logical)
        if attribute == "Arn" and kind == "AWS::IAM::Role":
            return f"arn:aws:iam::{ACCOUNT_ID}:role/{name}"
        if attribute == "Arn" and kind == "AWS::Lambda::Function":
            return f"arn:aws:lambda:{self.outputs.region}:{ACCOUNT_ID}:function:{name}"
        raise CfnError(f"Fn::GetAtt {logical}.{attribute}: no local value")

    def import_value(self, name: str) -> str:
        match = IMPORTED_TABLE.search(name)
        if match is None:
            raise CfnError(f"Fn::ImportValue {name}: only the API's model tables are known locally")
        table = self.outputs.table_name(match["model"])
        arn = f"arn:aws:dynamodb:{self.outputs.region}:{ACCOUNT_ID}:table/{table}"
        return {"Name": table, "Arn": arn, "StreamArn": f"{arn}/stream/appsync-emulator"}[match["attribute"]]

    def _kind(self, logical: str) -> str:
        resource = self.resources.get(logical)
        return str(resource.get("Type", "")) if isinstance(resource, Mapping) else ""


def function_stack(document: Mapping[str, Any], given: Mapping[str, Any], function_name: str,
                   outputs: ApiOutputs) -> Stack:
    """The evaluator of a function template: pseudo parameters, declared defaults, then ``given``."""
    resources = document.get("Resources") if isinstance(document.get("Resources"), Mapping) else {}
    parameters = {**pseudo_parameters(outputs.region, f"amplify-local-function-{function_name}"),
                  **declared_defaults(document), **given}
    return Stack(document, parameters, _FunctionResources(resources, function_name, outputs).lookup())


def _environment(template: Stack, variables: Any, name: str, path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, node in (variables or {}).items() if isinstance(variables, Mapping) else ():
        try:
            values[str(key)] = template.text(node, f"environment variable {key}")
        except (CfnError, ValueError, TypeError, IndexError, KeyError) as exc:
            _log.warning("%s: function %s: environment variable %s left out (%s)", path, name, key, exc)
    return values


def _triggers(resources: Mapping[str, Any]) -> tuple[StreamTrigger, ...]:
    triggers = []
    for resource in resources.values():
        if not isinstance(resource, Mapping) or resource.get("Type") != "AWS::Lambda::EventSourceMapping":
            continue
        properties = resource.get("Properties") or {}
        source = json.dumps(properties.get("EventSourceArn"))
        match = re.search(IMPORTED_TABLE.pattern.rstrip("$"), source)
        if match is None or match["attribute"] != "StreamArn":
            continue
        position = properties.get("StartingPosition", "LATEST")
        triggers.append(StreamTrigger(model=match["model"], batch_size=int(properties.get("BatchSize") or 100),
                                      starting_position="TRIM_HORIZON" if position == "TRIM_HORIZON" else "LATEST"))
    return tuple(triggers)


def read_function(project_root: Path, folder: Path, outputs: ApiOutputs) -> FunctionSpec | None:
    """The function in ``folder``, or None when it holds none that the emulator runs."""
    path = folder / f"{folder.name}-cloudformation-template.json"
    document = read_json(path)
    if document is None:
        return None
    resources = document.get("Resources") if isinstance(document.get("Resources"), Mapping) else {}
    functions = {k: r for k, r in resources.items()
                 if isinstance(r, Mapping) and r.get("Type") == "AWS::Lambda::Function"}
    if not functions:
        return None
    resource = next(iter(functions.values()))
    properties = resource.get("Properties") or {}
    runtime_name = str(properties.get("Runtime") or "")
    runtime = "node" if runtime_name.startswith("nodejs") else "python" if runtime_name.startswith("python") else None
    if runtime is None:
        _log.warning("%s: function %s uses runtime %r, which the emulator does not run (Node and Python only)",
                     path, folder.name, runtime_name)
        return None
    template = function_stack(document, _parameters(project_root, folder, outputs), folder.name, outputs)
    task_root = folder / "src"
    handler_file, export = _handler_file(task_root, str(properties.get("Handler") or "index.handler"), runtime)
    environment = _environment(template, (properties.get("Environment") or {}).get("Variables"), folder.name, path)
    if (folder / ".env").is_file():
        environment.update(read_dotenv(folder / ".env"))
    try:
        timeout = float(template.evaluate(properties.get("Timeout", AMPLIFY_DEFAULT_TIMEOUT)))
    except (CfnError, ValueError, TypeError):
        timeout = AMPLIFY_DEFAULT_TIMEOUT
    return FunctionSpec(
        name=folder.name,
        handler_file=handler_file.resolve(),
        export=export,
        runtime=runtime,
        origin=str(path),
        task_root=task_root.resolve(),
        timeout_seconds=timeout,
        environment=environment,
        triggers=_triggers(resources),
        runtime_name=runtime_name,
    )


def project_functions(project_root: Path, outputs: ApiOutputs) -> list[FunctionSpec]:
    """Every Node and Python function of the project; a broken one stops the start, named."""
    specs = []
    for folder in function_folders(project_root):
        try:
            spec = read_function(project_root, folder, outputs)
        except AmplifyProjectError as exc:
            raise AmplifyProjectError(f"{folder}: function {folder.name}: {exc}") from exc
        if spec is not None:
            specs.append(spec)
    return specs
