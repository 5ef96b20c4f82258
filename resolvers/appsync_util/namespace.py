"""The ``util`` tree as data: namespaces of helpers that both runtimes call by AppSync's names.

VTL reaches a helper as ``$util.time.nowISO8601()`` and APPSYNC_JS as ``util.time.nowISO8601()``;
both look the name up here and call the same Python function with plain JSON-like values (dict,
list, str, int, float, bool, None). The tree is built once at import and never changes; what a
request accumulates (appended errors, logs, response headers, extensions) lives in the
``UtilRequest`` passed to each call.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.resolvers.appsync_util.request import UtilRequest


class HelperArgumentError(TypeError):
    """A helper called with a number of arguments none of its overloads takes."""


class HelperFailure(Exception):
    """A helper could not do its work on these values (the Java method would have thrown): the
    template stops with a ``MappingTemplate`` error carrying this message."""


@dataclass(frozen=True)
class Helper:
    """One helper. ``uses_request``: the function's first parameter is the ``UtilRequest``.
    ``void``: it returns nothing (VTL renders nothing for it, JS sees ``undefined``)."""

    function: Callable[..., Any]
    uses_request: bool = False
    void: bool = False
    min_args: int = field(init=False)
    max_args: int | None = field(init=False)

    def __post_init__(self) -> None:
        parameters = list(inspect.signature(self.function).parameters.values())
        if self.uses_request:
            parameters = parameters[1:]
        positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        variadic = any(p.kind is p.VAR_POSITIONAL for p in parameters)
        object.__setattr__(self, "min_args", sum(1 for p in positional if p.default is p.empty))
        object.__setattr__(self, "max_args", None if variadic else len(positional))

    def accepts(self, count: int) -> bool:
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)

    def call(self, request: UtilRequest, args: list[Any] | tuple[Any, ...]) -> Any:
        if not self.accepts(len(args)):
            raise HelperArgumentError(f"{self.function.__name__} does not take {len(args)} arguments")
        if self.uses_request:
            return self.function(request, *args)
        return self.function(*args)


@dataclass(frozen=True)
class Namespace:
    """A named group of helpers and sub-namespaces (``util``, ``util.time``, ...)."""

    name: str
    members: Mapping[str, Helper | Namespace]

    def member(self, name: str) -> Helper | Namespace | None:
        return self.members.get(name)


def helpers(functions: Mapping[str, Callable[..., Any]], *, uses_request: bool = False, void: bool = False) -> dict[str, Helper]:
    """Helpers sharing the same flags, keyed by their AppSync names."""
    return {name: Helper(function, uses_request=uses_request, void=void) for name, function in functions.items()}
