"""Template nodes: text, references, and the directives (``#set #if #foreach #break #stop
#return #macro #define #evaluate``), each rendering into the output list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from emulator.resolvers.vtl.errors import BreakLoop, ReturnFromTemplate, StopRendering, TemplateRuntimeError
from emulator.resolvers.vtl.expressions import Expression, Index, Property, Reference
from emulator.resolvers.vtl.java_ops import truthy
from emulator.resolvers.vtl.java_types import MapEntry
from emulator.resolvers.vtl.state import MISSING, DefinedBlock, LoopState, RenderState, to_text


class Node(Protocol):
    def render(self, state: RenderState, out: list[str]) -> None: ...


@dataclass
class Text:
    text: str

    def render(self, state: RenderState, out: list[str]) -> None:
        out.append(self.text)


@dataclass
class SetDirective:
    """``#set($a = …)``, ``#set($a.b = …)``, ``#set($a[0] = …)``. A null value changes nothing
    (Velocity 1.7's default, which AppSync keeps)."""

    target: Reference
    value: Expression

    def render(self, state: RenderState, out: list[str]) -> None:
        value = self.value.evaluate(state)
        if value is None:
            return
        target = self.target
        if not target.steps:
            state.assign(target.root, value)
            return
        container = target.evaluate_steps(state, len(target.steps) - 1)
        last = target.steps[-1]
        if isinstance(last, Property):
            if isinstance(container, dict):
                container[last.name] = value
            elif isinstance(container, MapEntry) and last.name == "value":
                container.value = container.owner[container.key] = value
        elif isinstance(last, Index):
            key = last.index.evaluate(state)
            if isinstance(container, dict) and not isinstance(key, list | dict):
                container[key] = value
            elif isinstance(container, list) and isinstance(key, int) and -len(container) <= key < len(container):
                container[key] = value


@dataclass
class IfDirective:
    branches: list[tuple[Expression, list[Node]]]
    otherwise: list[Node]

    def render(self, state: RenderState, out: list[str]) -> None:
        for condition, body in self.branches:
            if truthy(condition.evaluate(state)):
                for node in body:
                    node.render(state, out)
                return
        for node in self.otherwise:
            node.render(state, out)


LOOP_VARIABLES = ("foreach", "velocityCount", "velocityHasNext")
# AppSync's quota "Iterations in a foreach loop in mapping templates": 1000. Velocity's
# directive.foreach.maxloops stops the loop there, silently.
MAX_ITERATIONS = 1000


def _items(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, dict):
        return list(value.values())  # Velocity iterates a map's values
    return []


@dataclass
class ForeachDirective:
    variable: str
    iterable: Expression
    body: list[Node]

    def render(self, state: RenderState, out: list[str]) -> None:
        items = _items(self.iterable.evaluate(state))[:MAX_ITERATIONS]  # AppSync's loop quota
        if not items:
            return
        state.spend_iterations(len(items))
        names = (self.variable, *LOOP_VARIABLES)
        saved = {name: state.variables.get(name, MISSING) for name in names}
        loop = LoopState(parent=state.loop, size=len(items))
        state.loop = loop
        try:
            for index, item in enumerate(items):
                loop.index = index
                if item is None:
                    state.variables.pop(self.variable, None)
                else:
                    state.variables[self.variable] = item
                state.variables["foreach"] = loop
                state.variables["velocityCount"] = index + 1
                state.variables["velocityHasNext"] = index + 1 < len(items)
                try:
                    for node in self.body:
                        node.render(state, out)
                except BreakLoop:
                    break
        finally:
            state.loop = loop.parent
            for name, value in saved.items():
                if value is MISSING:
                    state.variables.pop(name, None)
                else:
                    state.variables[name] = value


@dataclass
class BreakDirective:
    def render(self, state: RenderState, out: list[str]) -> None:
        raise BreakLoop()


@dataclass
class StopDirective:
    def render(self, state: RenderState, out: list[str]) -> None:
        raise StopRendering()


@dataclass
class ReturnDirective:
    """AppSync's ``#return`` (null) and ``#return(value)``: the template ends with the value."""

    value: Expression | None

    def render(self, state: RenderState, out: list[str]) -> None:
        raise ReturnFromTemplate(None if self.value is None else self.value.evaluate(state))


@dataclass
class Macro:
    name: str
    parameters: list[str]
    body: list[Node]

    def render(self, state: RenderState, out: list[str]) -> None:
        """A definition renders nothing (macros are collected when the template is parsed)."""


@dataclass
class MacroCall:
    name: str
    args: list[Expression]
    text: str
    line: int
    column: int

    def render(self, state: RenderState, out: list[str]) -> None:
        macro = state.macros.get(self.name)
        if macro is None:
            out.append(self.text)
            return
        try:
            state.call_macro(macro, [arg.evaluate(state) for arg in self.args], out)
        except TemplateRuntimeError as exc:
            raise exc.located(state.name, self.line, self.column) from exc


@dataclass
class DefineDirective:
    name: str
    body: list[Node]

    def render(self, state: RenderState, out: list[str]) -> None:
        state.assign(self.name, DefinedBlock(self.body, state))


@dataclass
class EvaluateDirective:
    """``#evaluate($text)``: the value parsed as a template and rendered here."""

    value: Expression
    line: int
    column: int

    def render(self, state: RenderState, out: list[str]) -> None:
        value = self.value.evaluate(state)
        if value is None:
            return
        for node in state.evaluate_template(to_text(value)):
            node.render(state, out)


@dataclass
class UnsupportedDirective:
    """``#include`` / ``#parse``: AppSync has no other templates to load."""

    name: str
    line: int
    column: int

    def render(self, state: RenderState, out: list[str]) -> None:
        raise TemplateRuntimeError(f"#{self.name} is not supported by AppSync", state.name, self.line, self.column)

