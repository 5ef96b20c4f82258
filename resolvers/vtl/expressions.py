"""Expression nodes: literals, references (``$a.b.c()[0]``) and operators, each evaluating to a
plain value against a ``RenderState``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from emulator.resolvers.appsync_util import Helper, HelperArgumentError, HelperFailure, Namespace
from emulator.resolvers.vtl.errors import NoSuchMember, TemplateRuntimeError
from emulator.resolvers.vtl.java_methods import VOID, call_method, get_property
from emulator.resolvers.vtl.java_ops import truthy, velocity_compare, velocity_equals, velocity_math
from emulator.resolvers.vtl.state import LoopState, RenderState, to_text

if TYPE_CHECKING:
    from emulator.resolvers.vtl.directives import Node

RANGE_LIMIT = 1_000_000


class Expression:
    """Something that evaluates to a value; ``text`` is how it was written."""

    text: str

    def evaluate(self, state: RenderState) -> Any:
        raise NotImplementedError


@dataclass
class Literal(Expression):
    value: Any
    text: str = ""

    def evaluate(self, state: RenderState) -> Any:
        return self.value


@dataclass
class StringTemplate(Expression):
    """A double-quoted string holding ``$`` or ``#``: rendered with the current variables."""

    body: list[Node]
    text: str = ""

    def evaluate(self, state: RenderState) -> Any:
        return state.render_nodes(self.body)


@dataclass
class ListLiteral(Expression):
    items: list[Expression]
    text: str = ""

    def evaluate(self, state: RenderState) -> Any:
        return [item.evaluate(state) for item in self.items]


@dataclass
class RangeLiteral(Expression):
    """``[1..5]`` (inclusive, counting down when the start is larger)."""

    start: Expression
    end: Expression
    text: str = ""

    def evaluate(self, state: RenderState) -> Any:
        first, last = self.start.evaluate(state), self.end.evaluate(state)
        if isinstance(first, str) and first.lstrip("-").isdigit():
            first = int(first)
        if isinstance(last, str) and last.lstrip("-").isdigit():
            last = int(last)
        if not (isinstance(first, int) and isinstance(last, int)) or isinstance(first, bool) or isinstance(last, bool):
            return None
        if abs(last - first) >= RANGE_LIMIT:
            raise TemplateRuntimeError(f"Range {first}..{last} is longer than {RANGE_LIMIT} items")
        step = 1 if last >= first else -1
        return list(range(first, last + step, step))


@dataclass
class MapLiteral(Expression):
    entries: list[tuple[Expression, Expression]]
    text: str = ""

    def evaluate(self, state: RenderState) -> Any:
        return {key.evaluate(state): value.evaluate(state) for key, value in self.entries}


# --- references ------------------------------------------------------------------------------


class Step:
    """One ``.name``, ``.name(args)`` or ``[index]`` after a reference's root."""

    def apply(self, target: Any, state: RenderState) -> Any:
        raise NotImplementedError


@dataclass
class Property(Step):
    name: str

    def apply(self, target: Any, state: RenderState) -> Any:
        if isinstance(target, Namespace):
            member = target.member(self.name)
            return member if isinstance(member, Namespace) else None
        if isinstance(target, LoopState):
            return target.property(self.name)
        return get_property(target, self.name)


@dataclass
class MethodCall(Step):
    name: str
    args: list[Expression]

    def apply(self, target: Any, state: RenderState) -> Any:
        args = [arg.evaluate(state) for arg in self.args]
        try:
            if isinstance(target, Namespace):
                return call_helper(target.member(self.name), args, state)
            if isinstance(target, LoopState):
                return target.call(self.name, args)
            return call_method(target, self.name, args)
        except UNEXPECTED as exc:
            # a Java method given values it cannot take throws; so does its Python twin
            raise TemplateRuntimeError(f"Error invoking method '{self.name}': {exc}") from exc


UNEXPECTED = (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError, MemoryError)


def call_helper(member: Helper | Namespace | None, args: list[Any], state: RenderState) -> Any:
    if not isinstance(member, Helper):
        raise NoSuchMember("no such helper")
    try:
        result = member.call(state.request, args)
    except HelperArgumentError as exc:
        raise NoSuchMember(str(exc)) from exc
    except HelperFailure as exc:
        raise TemplateRuntimeError(str(exc)) from exc
    return VOID if member.void else result


@dataclass
class Index(Step):
    index: Expression

    def apply(self, target: Any, state: RenderState) -> Any:
        key = self.index.evaluate(state)
        if isinstance(target, dict):
            return target.get(key) if not isinstance(key, list | dict) else None
        if isinstance(target, list) and isinstance(key, int) and not isinstance(key, bool):
            position = key + len(target) if key < 0 else key
            if not 0 <= position < len(target):
                raise TemplateRuntimeError(f"Index {key} out of bounds for a list of {len(target)}")
            return target[position]
        raise NoSuchMember("not indexable")


@dataclass
class Reference(Expression):
    """``$root`` followed by steps; ``quiet`` (``$!``) renders nothing when null."""

    root: str
    steps: list[Step]
    quiet: bool
    text: str
    line: int
    column: int

    def evaluate(self, state: RenderState) -> Any:
        return self.evaluate_steps(state, len(self.steps))

    def evaluate_steps(self, state: RenderState, count: int) -> Any:
        value = state.lookup(self.root)
        for step in self.steps[:count]:
            if value is None:
                return None
            try:
                value = step.apply(value, state)
            except NoSuchMember:
                return None
            except TemplateRuntimeError as exc:
                raise exc.located(state.name, self.line, self.column) from exc
        return value

    def render(self, state: RenderState, out: list[str]) -> None:
        value = self.evaluate(state)
        if value is None:
            if not self.quiet:
                out.append(self.text)
            return
        out.append(to_text(value))


# --- operators -------------------------------------------------------------------------------


@dataclass
class Not(Expression):
    operand: Expression
    text: str = ""

    def evaluate(self, state: RenderState) -> Any:
        return not truthy(self.operand.evaluate(state))


@dataclass
class Negate(Expression):
    operand: Expression
    text: str = ""

    def evaluate(self, state: RenderState) -> Any:
        return velocity_math("-", 0, self.operand.evaluate(state), "0", self.operand.text)


@dataclass
class Logical(Expression):
    """``&&`` / ``||`` (also ``and`` / ``or``), short-circuiting, always a boolean."""

    operator: str
    left: Expression
    right: Expression
    text: str = ""

    def evaluate(self, state: RenderState) -> Any:
        left = truthy(self.left.evaluate(state))
        if self.operator == "&&":
            return left and truthy(self.right.evaluate(state))
        return left or truthy(self.right.evaluate(state))


@dataclass
class Binary(Expression):
    """Comparison or arithmetic."""

    operator: str
    left: Expression
    right: Expression
    text: str = ""

    def evaluate(self, state: RenderState) -> Any:
        left, right = self.left.evaluate(state), self.right.evaluate(state)
        operator = self.operator
        if operator == "==":
            return velocity_equals(left, right)
        if operator == "!=":
            return not velocity_equals(left, right)
        if operator in ("<", ">", "<=", ">="):
            return velocity_compare(operator, left, right)
        return velocity_math(operator, left, right, self.left.text, self.right.text)

