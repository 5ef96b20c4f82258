"""``SchemaError``: one schema mistake, worded like Amplify's, with where it is in the SDL."""

from __future__ import annotations

import re

from graphql.language import DocumentNode, Node


class SchemaError(Exception):
    """A mistake in the input schema. ``str()`` gives the message followed by line and column."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"{self.message} (line {self.line}, column {self.column})"


def node_position(node: Node | None) -> tuple[int | None, int | None]:
    """Line and column (1-based) where ``node`` starts in the SDL, when known."""
    if node is None or node.loc is None:
        return None, None
    token = node.loc.start_token
    return token.line, token.column


def schema_error(message: str, node: Node | None) -> SchemaError:
    """A ``SchemaError`` located at ``node``."""
    line, column = node_position(node)
    return SchemaError(message, line, column)


def located_failure(error: Exception, document: DocumentNode) -> SchemaError:
    """A ``SchemaError`` for an unexpected failure, at the definition whose name the message quotes.

    A generated name (``PointInput``) points at the definition it was made from (``Point``)."""
    message = str(error).split("\n")[0] or type(error).__name__
    named = {d.name.value: d for d in document.definitions if getattr(d, "name", None) is not None}
    quoted = re.findall(r"['\"]([_A-Za-z][_0-9A-Za-z]*)['\"]", message)
    node = next((named[n] for n in quoted if n in named), None)
    if node is None:
        node = next((named[n] for q in quoted for n in sorted(named, key=len, reverse=True) if n in q), None)
    if node is None and document.definitions:
        node = document.definitions[0]
    return schema_error(f"The emulator cannot serve this schema: {message}", node)
