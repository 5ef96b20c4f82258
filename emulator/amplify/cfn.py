"""Evaluating the CloudFormation intrinsics of a Gen 1 function template, locally.

A function's ``Environment.Variables`` are written with intrinsics (``Ref: env``,
``Ref: apimyapiGraphQLAPIEndpointOutput``, ``Fn::ImportValue`` of a model table's name,
``Fn::Join``, ``Fn::Sub``, ``Fn::If`` on the template's conditions …). ``Template.value`` gives
their local value: parameters from the caller (the API's outputs point at this emulator), pseudo
parameters with local values, model tables by the emulator's table names. What cannot be known
locally raises ``Unresolved``; the reader then leaves that variable out and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ACCOUNT_ID = "123456789012"
IMPORTED_TABLE = re.compile(r":GetAtt:(?P<model>\w+?)Table:(?P<attribute>Name|Arn|StreamArn)$")


class Unresolved(Exception):
    """An intrinsic with no local value (the message says which)."""


@dataclass(frozen=True)
class Template:
    """One template's resources and conditions, with the values its parameters take locally."""

    document: Mapping[str, Any]
    parameters: Mapping[str, str]
    region: str
    table_name: Callable[[str], str]
    resource_names: Mapping[str, str] = field(default_factory=dict)  # logical id -> physical name

    @property
    def resources(self) -> Mapping[str, Any]:
        resources = self.document.get("Resources")
        return resources if isinstance(resources, Mapping) else {}

    def value(self, node: Any) -> Any:
        """The local value of a template value (intrinsics evaluated)."""
        if isinstance(node, list):
            return [self.value(item) for item in node]
        if not isinstance(node, Mapping):
            return node
        if len(node) != 1:
            return {key: self.value(item) for key, item in node.items()}
        (name, argument), = node.items()
        handler = _INTRINSICS.get(name)
        if handler is None:
            return {name: self.value(argument)}
        return handler(self, argument)

    def text(self, node: Any) -> str:
        value = self.value(node)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        raise Unresolved(f"{node!r} is not a string")

    def ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": self.region, "AWS::AccountId": ACCOUNT_ID, "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "amplify-local", "AWS::StackId": "amplify-local",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        declared = (self.document.get("Parameters") or {}).get(name)
        if isinstance(declared, Mapping) and "Default" in declared:
            return str(declared["Default"])
        if name in self.resources:
            return self.resource_names.get(name, name)
        raise Unresolved(f"Ref {name}: no local value for this parameter")

    def condition(self, name: str) -> bool:
        conditions = self.document.get("Conditions") or {}
        if name not in conditions:
            raise Unresolved(f"condition {name} is not defined")
        return bool(self.value(conditions[name]))


def _join(template: Template, argument: Any) -> str:
    separator, parts = argument
    return str(separator).join(template.text(part) for part in template.value(parts))


def _sub(template: Template, argument: Any) -> str:
    text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1])

    def replace(match: re.Match[str]) -> str:
        name = match[1]
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            return template.text(variables[name])
        if "." in name:
            logical, attribute = name.split(".", 1)
            return _get_att(template, [logical, attribute])
        return template.ref(name)

    return re.sub(r"\$\{([^}]+)\}", replace, str(text))


def _import_value(template: Template, argument: Any) -> str:
    name = template.text(argument)
    match = IMPORTED_TABLE.search(name)
    if match is None:
        raise Unresolved(f"Fn::ImportValue {name}: only the API's model tables are known locally")
    table = template.table_name(match["model"])
    arn = f"arn:aws:dynamodb:{template.region}:{ACCOUNT_ID}:table/{table}"
    return {"Name": table, "Arn": arn, "StreamArn": f"{arn}/stream/appsync-emulator"}[match["attribute"]]


def _get_att(template: Template, argument: Any) -> str:
    logical, attribute = (argument.split(".", 1) if isinstance(argument, str) else argument)
    resource = template.resources.get(logical)
    if isinstance(resource, Mapping) and attribute == "Arn":
        kind = str(resource.get("Type", ""))
        name = template.resource_names.get(logical, logical)
        if kind == "AWS::IAM::Role":
            return f"arn:aws:iam::{ACCOUNT_ID}:role/{name}"
        if kind == "AWS::Lambda::Function":
            return f"arn:aws:lambda:{template.region}:{ACCOUNT_ID}:function:{name}"
    raise Unresolved(f"Fn::GetAtt {logical}.{attribute}: no local value")


def _if(template: Template, argument: Any) -> Any:
    name, when_true, when_false = argument
    return template.value(when_true if template.condition(name) else when_false)


_INTRINSICS: dict[str, Callable[[Template, Any], Any]] = {
    "Ref": lambda t, a: t.ref(str(a)),
    "Fn::Join": _join,
    "Fn::Sub": _sub,
    "Fn::ImportValue": _import_value,
    "Fn::GetAtt": _get_att,
    "Fn::If": _if,
    "Fn::Select": lambda t, a: t.value(a[1])[int(t.value(a[0]))],
    "Fn::Split": lambda t, a: t.text(a[1]).split(str(a[0])),
    "Fn::Equals": lambda t, a: t.value(a[0]) == t.value(a[1]),
    "Fn::Not": lambda t, a: not t.value(a[0]),
    "Fn::And": lambda t, a: all(t.value(x) for x in a),
    "Fn::Or": lambda t, a: any(t.value(x) for x in a),
    "Condition": lambda t, a: t.condition(str(a)),
}
