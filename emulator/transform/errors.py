"""``SchemaError``: one schema mistake, worded like Amplify's, with where it is in the SDL."""

from __future__ import annotations

from graphql.language import Node


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
