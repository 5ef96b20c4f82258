"""Evaluating the CloudFormation intrinsics Amplify projects write in their templates.

Custom stacks (``stacks/*.json``) and function templates
(``<name>-cloudformation-template.json``) spell names, locations and environment variables with ``Ref``, ``Fn::Sub``, ``Fn::Join``, ``Fn::GetAtt``,
``Fn::If`` on the stack's ``Conditions``, ``Fn::ImportValue`` of the API's exports, and a few list
functions. We evaluate exactly those, against the parameters Amplify passes a custom stack
(``AppSyncApiId``, ``env``, ``S3DeploymentBucket``…, here the emulator's values) and the stack's
own resources; what a resource's ``Ref``/``GetAtt`` means is the stack reader's to say
(``ResourceLookup``). Written here because no CloudFormation evaluator is available as a small,
well-kept Python library (cfn-lint's is a linter's, with a large dependency tree).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class CfnError(ValueError):
    """An expression the emulator cannot evaluate; the stack reader adds file and resource."""


class _NoValue:
    """``AWS::NoValue``: the property is left out."""


NO_VALUE = _NoValue()


@dataclass(frozen=True)
class ResourceLookup:
    """What the stack's own resources evaluate to (``Ref`` and ``Fn::GetAtt``)."""

    ref: Callable[[str], Any]
    get_att: Callable[[str, str], Any]
    import_value: Callable[[str], Any]


_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
ACCOUNT_ID = "123456789012"  # the account every local resource belongs to


def pseudo_parameters(region: str, stack_name: str) -> dict[str, Any]:
    """CloudFormation's pseudo parameters, with local values."""
    return {
        "AWS::Region": region,
        "AWS::AccountId": ACCOUNT_ID,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
        "AWS::StackName": stack_name,
        "AWS::StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT_ID}:stack/{stack_name}/local",
    }


def declared_defaults(template: Mapping[str, Any]) -> dict[str, Any]:
    """The ``Default`` of each parameter the template declares."""
    declared = template.get("Parameters") or {}
    return {name: parameter["Default"] for name, parameter in declared.items()
            if isinstance(parameter, Mapping) and "Default" in parameter} if isinstance(declared, Mapping) else {}


class Stack:
    """One template's parameters, conditions and mappings, and the evaluator over them."""

    def __init__(
        self,
        template: Mapping[str, Any],
        parameters: Mapping[str, Any],
        lookup: ResourceLookup,
    ) -> None:
        self.resources: Mapping[str, Any] = template.get("Resources") or {}
        self.conditions: Mapping[str, Any] = template.get("Conditions") or {}
        self.mappings: Mapping[str, Any] = template.get("Mappings") or {}
        self.parameters = dict(parameters)
        self.lookup = lookup
        self._condition_values: dict[str, bool] = {}
        self._pending: set[str] = set()

    def evaluate(self, value: Any) -> Any:
        """``value`` with every intrinsic evaluated (``AWS::NoValue`` members dropped)."""
        if isinstance(value, list):
            return [item for item in (self.evaluate(v) for v in value) if item is not NO_VALUE]
        if not isinstance(value, Mapping):
            return value
        if len(value) == 1:
            (name, argument), = value.items()
            function = _FUNCTIONS.get(name)
            if function is not None:
                return function(self, argument)
        return {k: item for k, v in value.items() if (item := self.evaluate(v)) is not NO_VALUE}

    def text(self, value: Any, what: str) -> str:
        result = self.evaluate(value)
        if not isinstance(result, str | int | float) or isinstance(result, bool):
            raise CfnError(f"{what} must evaluate to a string, got {result!r}")
        return str(result)

    def condition(self, name: str) -> bool:
        if name not in self._condition_values:
            if name not in self.conditions:
                raise CfnError(f"unknown condition {name!r}")
            if name in self._pending:
                raise CfnError(f"condition {name!r} depends on itself")
            self._pending.add(name)
            try:
                self._condition_values[name] = _truth(self.evaluate(self.conditions[name]), name)
            finally:
                self._pending.discard(name)
        return self._condition_values[name]

    def ref(self, name: str) -> Any:
        if name in self.parameters:
            return self.parameters[name]
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.resources:
            return self.lookup.ref(name)
        raise CfnError(f"Ref to {name!r}, which is neither a parameter nor a resource of the stack")


def _ref(stack: Stack, argument: Any) -> Any:
    if not isinstance(argument, str):
        raise CfnError(f"Ref takes a name, got {argument!r}")
    return stack.ref(argument)


def _sub(stack: Stack, argument: Any) -> str:
    if isinstance(argument, str):
        template, variables = argument, {}
    elif isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
        template, variables = argument[0], stack.evaluate(argument[1]) or {}
    else:
        raise CfnError(f"Fn::Sub takes a string or [string, variables], got {argument!r}")

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            value = variables[name]
        elif "." in name and name.split(".", 1)[0] in stack.resources:
            value = stack.lookup.get_att(*name.split(".", 1))
        else:
            value = stack.ref(name)
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise CfnError(f"Fn::Sub variable ${{{name}}} is not a string: {value!r}")
        return str(value)

    return _SUB_VARIABLE.sub(replace, template)


def _join(stack: Stack, argument: Any) -> str:
    if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
        raise CfnError(f"Fn::Join takes [delimiter, [values]], got {argument!r}")
    parts = stack.evaluate(argument[1])
    if not isinstance(parts, list):
        raise CfnError(f"Fn::Join needs a list of values, got {parts!r}")
    return argument[0].join(stack.text(part, "each Fn::Join value") for part in parts)


def _get_att(stack: Stack, argument: Any) -> Any:
    if isinstance(argument, str) and "." in argument:
        argument = argument.split(".", 1)
    if not (isinstance(argument, list) and len(argument) == 2):
        raise CfnError(f"Fn::GetAtt takes [resource, attribute], got {argument!r}")
    resource, attribute = argument[0], stack.evaluate(argument[1])
    if resource not in stack.resources:
        raise CfnError(f"Fn::GetAtt of {resource!r}, which is not a resource of the stack")
    return stack.lookup.get_att(resource, str(attribute))


def _if(stack: Stack, argument: Any) -> Any:
    if not (isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str)):
        raise CfnError(f"Fn::If takes [condition, value if true, value if false], got {argument!r}")
    return stack.evaluate(argument[1] if stack.condition(argument[0]) else argument[2])


def _equals(stack: Stack, argument: Any) -> bool:
    if not (isinstance(argument, list) and len(argument) == 2):
        raise CfnError(f"Fn::Equals takes two values, got {argument!r}")
    left, right = stack.evaluate(argument[0]), stack.evaluate(argument[1])
    return str(left) == str(right) if isinstance(left, str | int | float) and isinstance(right, str | int | float) else left == right


def _not(stack: Stack, argument: Any) -> bool:
    if not (isinstance(argument, list) and len(argument) == 1):
        raise CfnError(f"Fn::Not takes one condition, got {argument!r}")
    return not _truth(stack.evaluate(argument[0]), "Fn::Not")


def _and(stack: Stack, argument: Any) -> bool:
    return all(_truth(stack.evaluate(item), "Fn::And") for item in _conditions(argument, "Fn::And"))


def _or(stack: Stack, argument: Any) -> bool:
    return any(_truth(stack.evaluate(item), "Fn::Or") for item in _conditions(argument, "Fn::Or"))


def _condition(stack: Stack, argument: Any) -> bool:
    if not isinstance(argument, str):
        raise CfnError(f"Condition takes a condition name, got {argument!r}")
    return stack.condition(argument)


def _import_value(stack: Stack, argument: Any) -> Any:
    return stack.lookup.import_value(stack.text(argument, "Fn::ImportValue"))


def _select(stack: Stack, argument: Any) -> Any:
    if not (isinstance(argument, list) and len(argument) == 2):
        raise CfnError(f"Fn::Select takes [index, list], got {argument!r}")
    index, values = stack.evaluate(argument[0]), stack.evaluate(argument[1])
    try:
        return values[int(index)]
    except (TypeError, ValueError, IndexError) as exc:
        raise CfnError(f"Fn::Select index {index!r} is not in {values!r}") from exc


def _split(stack: Stack, argument: Any) -> list[str]:
    if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
        raise CfnError(f"Fn::Split takes [delimiter, string], got {argument!r}")
    return stack.text(argument[1], "Fn::Split's string").split(argument[0])


def _find_in_map(stack: Stack, argument: Any) -> Any:
    if not (isinstance(argument, list) and len(argument) == 3):
        raise CfnError(f"Fn::FindInMap takes [map, key, key], got {argument!r}")
    names = [stack.text(part, "each Fn::FindInMap name") for part in argument]
    try:
        return stack.evaluate(stack.mappings[names[0]][names[1]][names[2]])
    except (KeyError, TypeError) as exc:
        raise CfnError(f"Fn::FindInMap: no {'/'.join(names)} in the stack's Mappings") from exc


def _base64(stack: Stack, argument: Any) -> str:
    return base64.b64encode(stack.text(argument, "Fn::Base64").encode()).decode("ascii")


def _conditions(argument: Any, name: str) -> list[Any]:
    if not isinstance(argument, list) or not argument:
        raise CfnError(f"{name} takes a list of conditions, got {argument!r}")
    return argument


def _truth(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise CfnError(f"{where} must evaluate to true or false, got {value!r}")


_FUNCTIONS: dict[str, Callable[[Stack, Any], Any]] = {
    "Ref": _ref,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::GetAtt": _get_att,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::Not": _not,
    "Fn::And": _and,
    "Fn::Or": _or,
    "Condition": _condition,
    "Fn::ImportValue": _import_value,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::FindInMap": _find_in_map,
    "Fn::Base64": _base64,
}
