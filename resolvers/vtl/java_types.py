"""Java values the templates call methods on, as plain Python: what a method is (an arity from
its signature), ``Map.Entry``, and the argument checks Java's overload resolution would make."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.resolvers.appsync_util.values import java_string
from emulator.resolvers.vtl.errors import NoSuchMember, TemplateRuntimeError

VOID = ""  # what Velocity renders (and #set assigns) for a Java method returning void


@dataclass
class MapEntry:
    """One ``Map.Entry`` of ``entrySet()``; ``setValue`` writes through to the map."""

    key: Any
    value: Any
    owner: dict[Any, Any]

    def json_value(self) -> Any:
        return {java_string(self.key): self.value}

    def java_string(self) -> str:
        return f"{java_string(self.key)}={java_string(self.value)}"


class Method:
    """A Java method: the function takes the target first; arity from its signature."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        parameters = list(inspect.signature(function).parameters.values())[1:]
        self.min_args = sum(1 for p in parameters if p.default is p.empty and p.kind is not p.VAR_POSITIONAL)
        self.max_args = None if any(p.kind is p.VAR_POSITIONAL for p in parameters) else len(parameters)

    def __call__(self, target: Any, args: list[Any]) -> Any:
        if len(args) < self.min_args or (self.max_args is not None and len(args) > self.max_args):
            raise NoSuchMember(self.function.__name__)
        return self.function(target, *args)


def string_arg(value: Any) -> str:
    if not isinstance(value, str):
        raise NoSuchMember("expected a String argument")
    return value


def int_arg(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise NoSuchMember("expected an int argument")
    return value


def checked_index(size: int, index: Any, what: str) -> int:
    position = int_arg(index)
    if not 0 <= position < size:
        raise TemplateRuntimeError(f"{what} index out of range: {position} (size {size})")
    return position


