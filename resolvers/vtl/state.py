"""The state of one render: variables, macro frames, loops, the util request, the output."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from emulator.resolvers.appsync_util import UtilRequest
from emulator.resolvers.appsync_util.values import java_string
from emulator.resolvers.vtl.errors import NoSuchMember, TemplateRuntimeError

if TYPE_CHECKING:
    from emulator.resolvers.vtl.directives import Macro, Node

MAX_MACRO_DEPTH = 64
MAX_TOTAL_ITERATIONS = 1_000_000  # nested loops: a bound on the whole render, so none hangs
MISSING = object()


@dataclass
class LoopState:
    """``$foreach``: where the innermost ``#foreach`` is (``index`` from 0, ``count`` from 1)."""

    parent: LoopState | None
    index: int = 0
    size: int = 0

    def property(self, name: str) -> Any:
        values = {
            "index": self.index,
            "count": self.index + 1,
            "hasNext": self.index + 1 < self.size,
            "first": self.index == 0,
            "last": self.index + 1 == self.size,
            "parent": self.parent,
        }
        if name not in values:
            raise NoSuchMember(name)
        return values[name]

    def call(self, name: str, args: list[Any]) -> Any:
        getter = {"hasNext": "hasNext", "getIndex": "index", "getCount": "count", "isFirst": "first",
                  "isLast": "last", "getParent": "parent", "getHasNext": "hasNext"}.get(name)
        if getter is None or args:
            raise NoSuchMember(name)
        return self.property(getter)

    def java_string(self) -> str:
        return f"foreach[index={self.index}]"

    def json_value(self) -> Any:
        return self.java_string()


@dataclass
class DefinedBlock:
    """``#define($name) … #end``: the body, rendered where (and each time) it is referenced."""

    body: list[Node]
    state: RenderState

    def java_string(self) -> str:
        return self.state.render_nodes(self.body)

    def json_value(self) -> Any:
        return self.java_string()


@dataclass
class RenderState:
    name: str
    variables: dict[str, Any]
    request: UtilRequest
    macros: dict[str, Macro]
    evaluate_template: Callable[[str], list[Node]]
    frames: list[dict[str, Any]] = field(default_factory=list)
    loop: LoopState | None = None
    iterations: int = 0

    def spend_iterations(self, count: int) -> None:
        self.iterations += count
        if self.iterations > MAX_TOTAL_ITERATIONS:
            raise TemplateRuntimeError(f"Template evaluation exceeded {MAX_TOTAL_ITERATIONS} loop iterations")

    def lookup(self, name: str) -> Any:
        for frame in reversed(self.frames):
            if name in frame:
                return frame[name]
        return self.variables.get(name)

    def assign(self, name: str, value: Any) -> None:
        if self.frames and name in self.frames[-1]:
            self.frames[-1][name] = value
        else:
            self.variables[name] = value

    def render_nodes(self, nodes: list[Node]) -> str:
        out: list[str] = []
        for node in nodes:
            node.render(self, out)
        return "".join(out)

    def call_macro(self, macro: Macro, args: list[Any], out: list[str]) -> None:
        if len(self.frames) >= MAX_MACRO_DEPTH:
            raise TemplateRuntimeError(f"Macro #{macro.name} nested deeper than {MAX_MACRO_DEPTH} calls")
        frame = {parameter: args[index] if index < len(args) else None for index, parameter in enumerate(macro.parameters)}
        self.frames.append(frame)
        try:
            for node in macro.body:
                node.render(self, out)
        finally:
            self.frames.pop()


def to_text(value: Any) -> str:
    """How ``$value`` prints (the value is not null)."""
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if hasattr(value, "java_string"):
        return str(value.java_string())
    if hasattr(value, "members"):  # a util namespace
        return f"{getattr(value, 'name', 'util')}"
    return java_string(value)


def missing_or(value: Any) -> Any:
    return None if value is MISSING else value
