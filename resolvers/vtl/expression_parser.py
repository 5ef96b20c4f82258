"""Parsing references and expressions (directive arguments, method arguments, literals).

Hand-written recursive descent over the template text, because VTL is modal: a ``$`` in text
starts a reference only when an identifier follows, ``.`` continues it only before an
identifier, and ``(`` makes a method call only right after a name. A parser generator would need
a lexer mode per context; here each context is a function and errors carry line and column.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from emulator.resolvers.vtl.errors import TemplateSyntaxError
from emulator.resolvers.vtl.expressions import (
    Binary,
    Expression,
    Index,
    ListLiteral,
    Literal,
    Logical,
    MapLiteral,
    MethodCall,
    Negate,
    Not,
    Property,
    RangeLiteral,
    Reference,
    Step,
    StringTemplate,
)

if TYPE_CHECKING:
    from emulator.resolvers.vtl.directives import Node

IDENTIFIER = re.compile(r"[a-zA-Z_][a-zA-Z0-9_-]*")
REFERENCE_HEAD = re.compile(r"\$(!)?(\{)?([a-zA-Z_][a-zA-Z0-9_-]*)")
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
WHITESPACE = re.compile(r"\s*")
WORD_OPERATORS = {"eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=", "and": "&&", "or": "||", "not": "!"}
MAX_NESTING = 100  # parentheses, lists and maps within one expression
OPERATOR = re.compile(r"\s*(\|\||&&|==|!=|<=|>=|<|>|\+|-|\*|/|%|(?:eq|ne|lt|gt|le|ge|and|or)(?![a-zA-Z0-9_-]))")
PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


class Source:
    """Template text with a name, mapping offsets to 1-based lines and columns."""

    def __init__(self, text: str, name: str, line: int = 1, column: int = 1) -> None:
        self.text = text
        self.name = name
        self.first_line = line
        self.first_column = column
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self.line_starts, offset) - 1
        column = offset - self.line_starts[row] + 1
        if row == 0:
            column += self.first_column - 1
        return self.first_line + row, column

    def error(self, message: str, offset: int) -> TemplateSyntaxError:
        line, column = self.position(min(offset, len(self.text)))
        return TemplateSyntaxError(message, self.name, line, column)


# Parses the body of an interpolated string literal (the template parser provides it).
TemplateFragmentParser = Callable[[Source], "list[Node]"]


class ExpressionParser:
    def __init__(self, source: Source, fragment_parser: TemplateFragmentParser) -> None:
        self.source = source
        self.text = source.text
        self.parse_fragment = fragment_parser
        self.depth = 0

    # --- references ----------------------------------------------------------------------

    def reference(self, start: int) -> tuple[Reference, int] | None:
        """The reference starting at ``start`` (a ``$``) and where it ends; ``None`` when the
        ``$`` starts no reference (it is then plain text)."""
        head = REFERENCE_HEAD.match(self.text, start)
        if head is None:
            return None
        quiet, formal, root = head.group(1) is not None, head.group(2) is not None, head.group(3)
        position = head.end()
        steps: list[Step] = []
        while position < len(self.text):
            char = self.text[position]
            if char == "." and (name := IDENTIFIER.match(self.text, position + 1)):
                position = name.end()
                if position < len(self.text) and self.text[position] == "(":
                    args, position = self._arguments(position + 1, ")")
                    steps.append(MethodCall(name.group(), args))
                else:
                    steps.append(Property(name.group()))
            elif char == "[":
                try:
                    index, after = self.expression(position + 1)
                except TemplateSyntaxError:
                    break  # not an index: the reference ends before the bracket
                after = self.skip(after)
                if self.text[after : after + 1] != "]":
                    break  # not an index: the reference ends before the bracket
                steps.append(Index(index))
                position = after + 1
            else:
                break
        if formal:
            if self.text[position : position + 1] != "}":
                return None
            position += 1
        line, column = self.source.position(start)
        return Reference(root, steps, quiet, self.text[start:position], line, column), position

    def _arguments(self, position: int, closing: str) -> tuple[list[Expression], int]:
        args: list[Expression] = []
        position = self.skip(position)
        if self.text[position : position + 1] == closing:
            return args, position + 1
        while True:
            argument, position = self.expression(position)
            args.append(argument)
            position = self.skip(position)
            char = self.text[position : position + 1]
            if char == ",":
                position += 1
            elif char == closing:
                return args, position + 1
            else:
                raise self.source.error(f"Expected ',' or '{closing}' in an argument list", position)

    # --- expressions -----------------------------------------------------------------------

    def skip(self, position: int) -> int:
        return WHITESPACE.match(self.text, position).end()  # type: ignore[union-attr]

    def expression(self, position: int) -> tuple[Expression, int]:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.source.error("Expression nested too deeply", position)
        try:
            return self._binary(position, 0)
        finally:
            self.depth -= 1

    def _binary(self, position: int, minimum: int) -> tuple[Expression, int]:
        """Operators by precedence climbing: ``||`` < ``&&`` < ``== !=`` < ``< > <= >=`` <
        ``+ -`` < ``* / %`` (left-associative)."""
        start = self.skip(position)
        left, position = self._unary(start)
        while (found := OPERATOR.match(self.text, position)) is not None:
            symbol = WORD_OPERATORS.get(found.group(1), found.group(1))
            precedence = PRECEDENCE.get(symbol, 0)
            if precedence < max(minimum, 1):
                break
            right, position = self._binary(found.end(), precedence + 1)
            text = self.text[start:position]
            left = Logical(symbol, left, right, text) if symbol in ("&&", "||") else Binary(symbol, left, right, text)
        return left, position

    def _unary(self, position: int) -> tuple[Expression, int]:
        position = self.skip(position)
        start = position
        if self.text.startswith("!", position) and not self.text.startswith("!=", position):
            operand, position = self._unary(position + 1)
            return Not(operand, self.text[start:position]), position
        word = IDENTIFIER.match(self.text, position)
        if word and word.group() == "not":
            operand, position = self._unary(word.end())
            return Not(operand, self.text[start:position]), position
        if self.text.startswith("-", position) and not NUMBER.match(self.text, position + 1):
            operand, position = self._unary(position + 1)
            return Negate(operand, self.text[start:position]), position
        return self._primary(position)

    def _primary(self, position: int) -> tuple[Expression, int]:  # noqa: C901 - one case per literal kind
        text = self.text
        char = text[position : position + 1]
        if char == "$":
            found = self.reference(position)
            if found is None:
                raise self.source.error("Expected a reference after '$'", position)
            return found
        if char in ("\"", "'"):
            return self._string(position)
        if char == "-" or char.isdigit():
            number = NUMBER.match(text, position + (1 if char == "-" else 0))
            if number is None:
                raise self.source.error("Expected a number", position)
            literal = text[position : number.end()]
            value: Any = float(literal) if any(c in literal for c in ".eE") else int(literal)
            return Literal(value, literal), number.end()
        if char == "[":
            return self._list(position)
        if char == "{":
            return self._map(position)
        if char == "(":
            inner, after = self.expression(position + 1)
            after = self.skip(after)
            if text[after : after + 1] != ")":
                raise self.source.error("Expected ')'", after)
            return inner, after + 1
        word = IDENTIFIER.match(text, position)
        if word and word.group() in ("true", "false", "null"):
            return Literal({"true": True, "false": False, "null": None}[word.group()], word.group()), word.end()
        if position >= len(text):
            raise self.source.error("Unexpected end of template in an expression", position)
        raise self.source.error(f"Unexpected '{text[position]}' in an expression", position)

    def _string(self, position: int) -> tuple[Expression, int]:
        """``"…"`` (interpolated when it holds ``$`` or ``#``; ``""`` is a quote; backslash
        sequences are kept as written) or ``'…'`` (verbatim; ``''`` is a quote)."""
        quote = self.text[position]
        index = position + 1
        chars: list[str] = []
        while True:
            if index >= len(self.text):
                raise self.source.error("Unterminated string literal", position)
            char = self.text[index]
            if char == "\\" and quote == "\"" and index + 1 < len(self.text):
                chars.append(self.text[index : index + 2])
                index += 2
                continue
            if char == quote:
                if self.text[index + 1 : index + 2] == quote:
                    chars.append(quote)
                    index += 2
                    continue
                break
            chars.append(char)
            index += 1
        body = "".join(chars)
        written = self.text[position : index + 1]
        if quote == "\"":
            body = re.sub(r"\\u([0-9a-fA-F]{4})", lambda match: chr(int(match.group(1), 16)), body)
            if "$" in body or "#" in body:
                line, column = self.source.position(position + 1)
                fragment = Source(body, self.source.name, line, column)
                return StringTemplate(self.parse_fragment(fragment), written), index + 1
        return Literal(body, written), index + 1

    def _list(self, position: int) -> tuple[Expression, int]:
        start = position
        after = self.skip(position + 1)
        if self.text[after : after + 1] == "]":
            return ListLiteral([], self.text[start : after + 1]), after + 1
        first, position = self.expression(after)
        position = self.skip(position)
        if self.text.startswith("..", position):
            last, position = self.expression(position + 2)
            position = self.skip(position)
            if self.text[position : position + 1] != "]":
                raise self.source.error("Expected ']' after a range", position)
            return RangeLiteral(first, last, self.text[start : position + 1]), position + 1
        items = [first]
        while self.text[position : position + 1] == ",":
            item, position = self.expression(position + 1)
            items.append(item)
            position = self.skip(position)
        if self.text[position : position + 1] != "]":
            raise self.source.error("Expected ',' or ']' in a list", position)
        return ListLiteral(items, self.text[start : position + 1]), position + 1

    def _map(self, position: int) -> tuple[Expression, int]:
        start = position
        entries: list[tuple[Expression, Expression]] = []
        position = self.skip(position + 1)
        if self.text[position : position + 1] == "}":
            return MapLiteral(entries, self.text[start : position + 1]), position + 1
        while True:
            key, position = self.expression(position)
            position = self.skip(position)
            if self.text[position : position + 1] != ":":
                raise self.source.error("Expected ':' in a map", position)
            value, position = self.expression(position + 1)
            entries.append((key, value))
            position = self.skip(position)
            char = self.text[position : position + 1]
            if char == ",":
                position = self.skip(position + 1)
            elif char == "}":
                return MapLiteral(entries, self.text[start : position + 1]), position + 1
            else:
                raise self.source.error("Expected ',' or '}' in a map", position)
