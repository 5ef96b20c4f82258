"""Parsing a template: text, references, comments and directives into nodes.

Whitespace: a line holding only a directive (``#set``, ``#if``, ``#end``, a comment, …) and
indentation renders nothing, not even its line break, so templates can be indented freely.
Directives sharing a line with text keep the text around them as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from emulator.resolvers.vtl.directives import (
    BreakDirective,
    DefineDirective,
    EvaluateDirective,
    ForeachDirective,
    IfDirective,
    Macro,
    MacroCall,
    Node,
    ReturnDirective,
    SetDirective,
    StopDirective,
    Text,
    UnsupportedDirective,
)
from emulator.resolvers.vtl.expression_parser import IDENTIFIER, ExpressionParser, Source
from emulator.resolvers.vtl.expressions import Expression, MethodCall, Reference
from emulator.resolvers.vtl.state import RenderState

SPECIAL = re.compile(r"[$#\\]")
DIRECTIVE = re.compile(r"#(?:\{([a-zA-Z][a-zA-Z0-9_]*)\}|([a-zA-Z][a-zA-Z0-9_]*))")
MACRO_DEFINITION = re.compile(r"#\{?macro\}?\s*\(\s*([a-zA-Z_][a-zA-Z0-9_-]*)")
LINE_REST = re.compile(r"[ \t]*(?:\r?\n|$)")
COMMENT = Text("")  # what a comment parses to (it renders nothing)
BLOCK_NODES = (IfDirective, ForeachDirective, Macro, DefineDirective)
MAX_BLOCK_DEPTH = 100  # directives nested in directives (and strings within them)
KNOWN = {"set", "if", "elseif", "else", "end", "foreach", "break", "stop", "return", "macro", "define",
         "evaluate", "include", "parse"}


@dataclass
class BlockEnd:
    """The ``#else`` / ``#elseif(…)`` / ``#end`` that closed a block."""

    name: str
    offset: int
    condition: Expression | None = None


@dataclass
class EscapedReference:
    """``\\$ref``: printed as written (with the backslash when the reference is undefined)."""

    reference: Reference
    backslashes: int

    def render(self, state: RenderState, out: list[str]) -> None:
        defined = self.reference.evaluate(state) is not None
        out.append("\\" * (self.backslashes // 2 if defined else self.backslashes) + self.reference.text)


class TemplateParser:
    def __init__(self, source: Source, macro_names: frozenset[str] = frozenset(), depth: int = 0) -> None:
        self.source = source
        self.depth = depth
        self.text = source.text
        self.expressions = ExpressionParser(source, self._fragment)
        self.macro_names = macro_names | frozenset(MACRO_DEFINITION.findall(source.text))
        self.macros: dict[str, Macro] = {}

    def parse(self) -> list[Node]:
        nodes, ending, _ = self._block(0, ())
        if ending is not None:
            raise self.source.error(f"Unexpected #{ending.name}", ending.offset)
        return nodes

    def _fragment(self, source: Source) -> list[Node]:
        parser = TemplateParser(source, self.macro_names, self.depth + 1)
        nodes = parser.parse()
        self.macros.update(parser.macros)
        return nodes

    # --- blocks ------------------------------------------------------------------------------

    def _block(self, position: int, ends: tuple[str, ...]) -> tuple[list[Node], BlockEnd | None, int]:
        """Nodes until EOF or one of ``ends`` (returned with the position after it)."""
        self.depth += 1
        try:
            return self._nodes(position, ends)
        finally:
            self.depth -= 1

    def _nodes(self, position: int, ends: tuple[str, ...]) -> tuple[list[Node], BlockEnd | None, int]:
        if self.depth > MAX_BLOCK_DEPTH:
            raise self.source.error(f"Directives nested deeper than {MAX_BLOCK_DEPTH}", position)
        nodes: list[Node] = []
        pending: list[str] = []

        def flush() -> None:
            if pending:
                nodes.append(Text("".join(pending)))
                pending.clear()

        text = self.text
        while position < len(text):
            special = SPECIAL.search(text, position)
            if special is None:
                pending.append(text[position:])
                break
            if special.start() > position:
                pending.append(text[position : special.start()])
                position = special.start()
            char = text[position]
            if char == "$":
                found = self.expressions.reference(position)
                if found is None:
                    pending.append("$")
                    position += 1
                else:
                    flush()
                    nodes.append(found[0])
                    position = found[1]
            elif char == "\\":
                position = self._escape(position, pending, nodes, flush)
            else:
                outcome = self._hash(position, ends, pending)
                if outcome is None:
                    pending.append("#")
                    position += 1
                    continue
                node, position = outcome
                if isinstance(node, BlockEnd):
                    flush()
                    return nodes, node, position
                flush()
                if node is not None and not isinstance(node, Macro):
                    nodes.append(node)
        flush()
        return nodes, None, len(text)

    def _gobble(self, start: int, end: int, pending: list[str]) -> int:
        """A directive alone on its line takes the line's indentation and line break with it."""
        if not self._alone_before(start):
            return end
        rest = LINE_REST.match(self.text, end)
        if rest is None:
            return end
        self._strip_indentation(start, pending)
        return rest.end()

    def _alone_before(self, start: int) -> bool:
        line_start = self.text.rfind("\n", 0, start) + 1
        return not self.text[line_start:start].strip(" \t")

    def _strip_indentation(self, start: int, pending: list[str]) -> None:
        indentation = start - (self.text.rfind("\n", 0, start) + 1)
        joined = "".join(pending)
        if indentation and joined.endswith(self.text[start - indentation : start]):
            pending[:] = [joined[:-indentation]]

    def _escape(self, position: int, pending: list[str], nodes: list[Node], flush: object) -> int:
        count = 0
        while self.text.startswith("\\", position + count):
            count += 1
        after = position + count
        if self.text.startswith("$", after) and (found := self.expressions.reference(after)) is not None:
            reference, end = found
            if count % 2:
                flush()  # type: ignore[operator]
                nodes.append(EscapedReference(reference, count))
                return end
            pending.append("\\" * (count // 2))
            return after
        if self.text.startswith("#", after) and (directive := DIRECTIVE.match(self.text, after)):
            name = directive.group(1) or directive.group(2)
            if name in KNOWN or name in self.macro_names:
                pending.append("\\" * (count // 2))
                if count % 2:
                    pending.append(directive.group())
                    return directive.end()
                return after
        pending.append(self.text[position:after])
        return after

    # --- directives --------------------------------------------------------------------------

    def _hash(self, position: int, ends: tuple[str, ...], pending: list[str]) -> tuple[Node | BlockEnd | None, int] | None:
        """What starts at a ``#``: a comment (no node), a directive, a block end; ``None`` when
        it is plain text. Lines holding only the directive are gobbled (``pending`` is the text
        before it)."""
        found = self._directive(position, ends, pending)
        if found is None:
            return None
        node, end = found
        if node is COMMENT:
            return None, end if self.text.startswith("##", position) else self._gobble(position, end, pending)
        if isinstance(node, BLOCK_NODES):
            return node, end  # gobbled where its opening line ends, and by its #end
        return node, self._gobble(position, end, pending)

    def _directive(self, position: int, ends: tuple[str, ...], pending: list[str]) -> tuple[Node | BlockEnd | None, int] | None:
        text = self.text
        if text.startswith("##", position):
            # a line comment takes its line break; alone on its line, the indentation too
            if self._alone_before(position):
                self._strip_indentation(position, pending)
            newline = text.find("\n", position)
            return COMMENT, len(text) if newline < 0 else newline + 1
        if text.startswith("#*", position):
            close = text.find("*#", position + 2)
            if close < 0:
                raise self.source.error("Unterminated comment", position)
            return COMMENT, close + 2
        if text.startswith("#[[", position):
            close = text.find("]]#", position + 3)
            if close < 0:
                raise self.source.error("Unterminated #[[ ]]# block", position)
            return Text(text[position + 3 : close]), close + 3
        match = DIRECTIVE.match(text, position)
        if match is None:
            return None
        name = match.group(1) or match.group(2)
        after = match.end()
        if name in ("else", "end", "elseif"):
            if name not in ends:
                raise self.source.error(f"Unexpected #{name}", position)
            if name == "elseif":
                condition, after = self._condition(after, "elseif", position)
                return BlockEnd(name, position, condition), after
            return BlockEnd(name, position), after
        if name == "set":
            return self._set(after, position)
        if name == "if":
            return self._if(after, position, pending)
        if name == "foreach":
            return self._foreach(after, position, pending)
        if name == "break":
            return BreakDirective(), self._optional_arguments(after)[1]
        if name == "stop":
            return StopDirective(), after
        if name == "return":
            args, after = self._optional_arguments(after)
            return ReturnDirective(args[0] if args else None), after
        if name == "macro":
            return self._macro(after, position, pending)
        if name == "define":
            return self._define(after, position, pending)
        line, column = self.source.position(position)
        if name == "evaluate":
            args, after = self._required_arguments(after, name, position)
            return EvaluateDirective(args[0], line, column), after
        if name in ("include", "parse"):
            return UnsupportedDirective(name, line, column), self._required_arguments(after, name, position)[1]
        if name in self.macro_names and self._opens(after):
            args, end = self._macro_arguments(self._open(after, name, position))
            return MacroCall(name, args, text[position:end], line, column), end
        return None

    def _opens(self, position: int) -> bool:
        index = position
        while index < len(self.text) and self.text[index] in " \t":
            index += 1
        return self.text.startswith("(", index)

    def _open(self, position: int, name: str, start: int) -> int:
        if not self._opens(position):
            raise self.source.error(f"#{name} needs '('", start)
        return self.text.index("(", position) + 1

    def _close(self, position: int, name: str) -> int:
        position = self.expressions.skip(position)
        if not self.text.startswith(")", position):
            raise self.source.error(f"Expected ')' to close #{name}", position)
        return position + 1

    def _condition(self, position: int, name: str, start: int) -> tuple[Expression, int]:
        condition, after = self.expressions.expression(self._open(position, name, start))
        return condition, self._close(after, name)

    def _required_arguments(self, position: int, name: str, start: int) -> tuple[list[Expression], int]:
        args, after = self.expressions._arguments(self._open(position, name, start), ")")
        if not args:
            raise self.source.error(f"#{name} needs an argument", start)
        return args, after

    def _optional_arguments(self, position: int) -> tuple[list[Expression], int]:
        if not self._opens(position):
            return [], position
        return self.expressions._arguments(self.text.index("(", position) + 1, ")")

    def _set(self, position: int, start: int) -> tuple[Node, int]:
        position = self.expressions.skip(self._open(position, "set", start))
        found = self.expressions.reference(position) if self.text.startswith("$", position) else None
        if found is None:
            raise self.source.error("#set needs a reference to assign", position)
        target, position = found
        if target.steps and isinstance(target.steps[-1], MethodCall):
            raise self.source.error("#set cannot assign to a method call", position)
        position = self.expressions.skip(position)
        if not self.text.startswith("=", position):
            raise self.source.error("Expected '=' in #set", position)
        value, position = self.expressions.expression(position + 1)
        return SetDirective(target, value), self._close(position, "set")

    def _if(self, position: int, start: int, pending: list[str]) -> tuple[Node, int]:
        condition, position = self._condition(position, "if", start)
        position = self._gobble(start, position, pending)
        branches: list[tuple[Expression, list[Node]]] = []
        otherwise: list[Node] = []
        while True:
            body, ending, position = self._block(position, ("elseif", "else", "end"))
            if ending is None:
                raise self.source.error("#if without #end", start)
            branches.append((condition, body))
            if ending.name == "elseif":
                assert ending.condition is not None
                condition = ending.condition
                continue
            if ending.name == "else":
                otherwise, ending, position = self._block(position, ("end",))
                if ending is None:
                    raise self.source.error("#else without #end", start)
            return IfDirective(branches, otherwise), position

    def _foreach(self, position: int, start: int, pending: list[str]) -> tuple[Node, int]:
        position = self.expressions.skip(self._open(position, "foreach", start))
        found = self.expressions.reference(position) if self.text.startswith("$", position) else None
        if found is None or found[0].steps:
            raise self.source.error("#foreach needs a loop variable", position)
        variable, position = found
        position = self.expressions.skip(position)
        keyword = IDENTIFIER.match(self.text, position)
        if keyword is None or keyword.group() != "in":
            raise self.source.error("Expected 'in' in #foreach", position)
        iterable, position = self.expressions.expression(keyword.end())
        position = self._close(position, "foreach")
        body, ending, position = self._block(self._gobble(start, position, pending), ("end",))
        if ending is None:
            raise self.source.error("#foreach without #end", start)
        return ForeachDirective(variable.root, iterable, body), position

    def _macro(self, position: int, start: int, pending: list[str]) -> tuple[Node | None, int]:
        position = self.expressions.skip(self._open(position, "macro", start))
        name = IDENTIFIER.match(self.text, position)
        if name is None:
            raise self.source.error("#macro needs a name", position)
        parameters: list[str] = []
        position = name.end()
        while True:
            position = self.expressions.skip(position)
            if self.text.startswith(",", position):
                position += 1
                continue
            if self.text.startswith(")", position):
                position += 1
                break
            found = self.expressions.reference(position) if self.text.startswith("$", position) else None
            if found is None or found[0].steps:
                raise self.source.error("#macro parameters must be simple references", position)
            parameters.append(found[0].root)
            position = found[1]
        body, ending, position = self._block(self._gobble(start, position, pending), ("end",))
        if ending is None:
            raise self.source.error("#macro without #end", start)
        self.macros[name.group()] = Macro(name.group(), parameters, body)
        return Macro(name.group(), parameters, []), position

    def _define(self, position: int, start: int, pending: list[str]) -> tuple[Node, int]:
        position = self.expressions.skip(self._open(position, "define", start))
        found = self.expressions.reference(position) if self.text.startswith("$", position) else None
        if found is None or found[0].steps:
            raise self.source.error("#define needs a simple reference", position)
        position = self._close(found[1], "define")
        body, ending, position = self._block(self._gobble(start, position, pending), ("end",))
        if ending is None:
            raise self.source.error("#define without #end", start)
        return DefineDirective(found[0].root, body), position

    def _macro_arguments(self, position: int) -> tuple[list[Expression], int]:
        """Macro arguments: separated by whitespace or commas."""
        args: list[Expression] = []
        while True:
            position = self.expressions.skip(position)
            if self.text.startswith(",", position):
                position += 1
                continue
            if self.text.startswith(")", position):
                return args, position + 1
            if position >= len(self.text):
                raise self.source.error("Unterminated macro call", position)
            argument, position = self.expressions.expression(position)
            args.append(argument)
