"""``update`` of ``@aws-appsync/utils/dynamodb`` and its ``operations``: an update object as
DynamoDB's update expression.

The update object's semantics, from the module's published types and documentation:

- a plain value (string, number, boolean, null, list) sets the attribute;
- a plain object updates only the keys it names (``{address: {city: 'X'}}`` sets
  ``address.city``); ``operations.replace(obj)`` sets the whole attribute instead;
- ``operations.add(v)`` adds to a number or a set, or sets a new attribute of another type;
  ``remove()`` removes; ``increment(by = 1)`` / ``decrement(by = 1)`` change a number (from 0 when
  missing); ``append(list)`` / ``prepend(list)`` extend a list (created when missing);
- a list of ``operations.updateListItem(value, index)`` sets those elements.

An operation is a plain object ``{"_type": <name>, ...}``, as the types declare, so it passes
through JavaScript and JSON unchanged.
"""

from __future__ import annotations

from typing import Any

from emulator.resolvers.appsync_js.dynamodb_values import Placeholders, is_typed_set
from emulator.resolvers.appsync_util import HelperFailure, Namespace
from emulator.resolvers.appsync_util.namespace import Helper
from emulator.resolvers.appsync_util.values import is_list, is_map, is_number, java_string

OPERATION_TYPES = frozenset({"add", "remove", "replace", "increment", "decrement", "append", "prepend", "updateListItem"})


def is_operation(value: Any) -> bool:
    return is_map(value) and value.get("_type") in OPERATION_TYPES


def add(value: Any) -> dict[str, Any]:
    return {"_type": "add", "value": value}


def remove() -> dict[str, Any]:
    return {"_type": "remove"}


def replace(value: Any) -> dict[str, Any]:
    return {"_type": "replace", "value": value}


def increment(by: Any = 1) -> dict[str, Any]:
    return {"_type": "increment", "by": _number(by, "increment")}


def decrement(by: Any = 1) -> dict[str, Any]:
    return {"_type": "decrement", "by": _number(by, "decrement")}


def append(values: Any) -> dict[str, Any]:
    return {"_type": "append", "values": _list(values, "append")}


def prepend(values: Any) -> dict[str, Any]:
    return {"_type": "prepend", "values": _list(values, "prepend")}


def update_list_item(value: Any, index: Any) -> dict[str, Any]:
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise HelperFailure(f"operations.updateListItem needs a list index, got {java_string(index)}")
    return {"_type": "updateListItem", "value": value, "index": index}


def _number(value: Any, name: str) -> Any:
    if not is_number(value):
        raise HelperFailure(f"operations.{name} expects a number, got {java_string(value)}")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if not is_list(value):
        raise HelperFailure(f"operations.{name} expects a list, got {java_string(value)}")
    return list(value)


OPERATIONS = Namespace(
    "operations",
    {
        "add": Helper(add),
        "remove": Helper(remove),
        "replace": Helper(replace),
        "increment": Helper(increment),
        "decrement": Helper(decrement),
        "append": Helper(append),
        "prepend": Helper(prepend),
        "updateListItem": Helper(update_list_item),
    },
)


class UpdateExpression:
    """Collects SET / REMOVE / ADD actions for an update object."""

    def __init__(self) -> None:
        self.placeholders = Placeholders()
        self.sets: list[str] = []
        self.removes: list[str] = []
        self.adds: list[str] = []

    def build(self, update: Any) -> dict[str, Any]:
        if not is_map(update) or not update:
            raise HelperFailure(f"update needs an object naming the attributes to change, got {java_string(update)}")
        for name, value in update.items():
            self.change([java_string(name)], value)
        clauses = [
            (keyword, actions)
            for keyword, actions in (("SET", self.sets), ("REMOVE", self.removes), ("ADD", self.adds))
            if actions
        ]
        return self.placeholders.expression(" ".join(f"{keyword} {', '.join(actions)}" for keyword, actions in clauses))

    def change(self, path: list[str], value: Any) -> None:
        if is_operation(value):
            self.operation(path, value)
        elif is_list(value) and value and all(is_operation(item) and item["_type"] == "updateListItem" for item in value):
            for item in value:
                self.operation(path, item)
        elif is_map(value) and value and not is_typed_set(value):
            for name, member in value.items():
                self.change([*path, java_string(name)], member)
        else:
            self.set(path, value)

    def set(self, path: list[str], value: Any) -> None:
        self.sets.append(f"{self.placeholders.path(path)} = {self.value(path, value)}")

    def value(self, path: list[str], value: Any, suffix: str = "") -> str:
        return self.placeholders.value("_".join(path) + suffix, value)

    def operation(self, path: list[str], operation: dict[str, Any]) -> None:
        kind = operation["_type"]
        target = self.placeholders.path(path)
        if kind == "remove":
            self.removes.append(target)
        elif kind == "replace":
            self.set(path, operation.get("value"))
        elif kind == "add":
            value = operation.get("value")
            if (is_number(value) or is_typed_set(value)) and len(path) == 1:
                self.adds.append(f"{target} {self.value(path, value)}")
            else:
                self.set(path, value)
        elif kind in ("increment", "decrement"):
            by = operation.get("by", 1)
            amount = by if kind == "increment" else -by
            if len(path) == 1:
                self.adds.append(f"{target} {self.value(path, amount)}")
            else:
                zero = self.value(path, 0, "_zero")
                self.sets.append(f"{target} = if_not_exists({target}, {zero}) + {self.value(path, amount)}")
        elif kind in ("append", "prepend"):
            empty = self.value(path, [], "_empty")
            current = f"if_not_exists({target}, {empty})"
            values = self.value(path, operation.get("values", []))
            combined = f"list_append({current}, {values})" if kind == "append" else f"list_append({values}, {current})"
            self.sets.append(f"{target} = {combined}")
        elif kind == "updateListItem":
            index = operation.get("index")
            element = f"{target}[{index}]"
            self.sets.append(f"{element} = {self.value(path, operation.get('value'), f'_{index}')}")


def update_expression(update: Any) -> dict[str, Any]:
    return UpdateExpression().build(update)
