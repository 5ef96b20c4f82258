"""Small helpers over acorn's ESTree syntax tree (plain dicts from JSON).

The walk uses an explicit stack, so a deeply nested expression cannot exhaust Python's recursion
limit. Each visited node comes with its ancestors, innermost last.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Node = dict[str, Any]

FUNCTION_TYPES = frozenset({"FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"})


def is_node(value: Any) -> bool:
    return isinstance(value, dict) and "type" in value


def children(node: Node) -> Iterator[Node]:
    """The direct child nodes, in source order."""
    found: list[Node] = []
    for key, value in node.items():
        if key in ("type", "start", "end"):
            continue
        if is_node(value):
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if is_node(item))
    found.sort(key=lambda child: child["start"])
    return iter(found)


def walk(root: Node) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Every node under ``root`` (pre-order) with its ancestors."""
    stack: list[tuple[Node, tuple[Node, ...]]] = [(root, ())]
    while stack:
        node, ancestors = stack.pop()
        yield node, ancestors
        inner = (*ancestors, node)
        stack.extend((child, inner) for child in reversed(list(children(node))))


def property_name(node: Node) -> str | None:
    """The name a member expression or property key spells (``a.b``, ``a['b']``), if static."""
    key = node.get("property", node.get("key"))
    if key is None:
        return None
    if not node.get("computed") and key["type"] == "Identifier":
        return key["name"]
    if key["type"] == "Literal" and isinstance(key.get("value"), str | int | float):
        return str(key["value"])
    return None


def is_function(node: Node | None) -> bool:
    return node is not None and node["type"] in FUNCTION_TYPES


def enclosing_function(ancestors: tuple[Node, ...]) -> Node | None:
    """The innermost function around a node (``None`` at module level)."""
    for ancestor in reversed(ancestors):
        if is_function(ancestor):
            return ancestor
    return None


def pattern_names(pattern: Node | None) -> Iterator[str]:
    """The names a binding pattern declares (``a``, ``{a, b: [c]}``, ``...rest``)."""
    if pattern is None:
        return
    kind = pattern["type"]
    if kind == "Identifier":
        yield pattern["name"]
    elif kind == "ObjectPattern":
        for member in pattern["properties"]:
            yield from pattern_names(member["argument"] if member["type"] == "RestElement" else member["value"])
    elif kind == "ArrayPattern":
        for element in pattern["elements"]:
            yield from pattern_names(element)
    elif kind == "RestElement":
        yield from pattern_names(pattern["argument"])
    elif kind == "AssignmentPattern":
        yield from pattern_names(pattern["left"])
