"""The statements, operators and forms APPSYNC_JS refuses, with AppSync's own wording.

AppSync's documentation lists what the runtime does not support (``supported-features.html``):
``try/catch/finally``, ``throw``, ``while``, ``do-while``, C-style ``for``, ``continue``, labels,
``++ -- ~``, ``in``. AWS encodes the same restrictions, and a few more (async, generators,
classes, ``this``, regex literals, ``instanceof``, ``new Promise``), in its ESLint plugin
``@aws-appsync/eslint-plugin`` (2.0.2, the "base" configuration); the messages here are that
plugin's, word for word, so an error seen here reads as it does in AppSync's ``codeErrors``
(``errorType: LINT_ERROR``). ``throw`` has no plugin rule; its message follows the same pattern.

``RESERVED_PREFIX`` names are the emulator's own globals (the CPU-time tick, the import table).
"""

from __future__ import annotations

from collections.abc import Iterator

from emulator.resolvers.appsync_js.estree import FUNCTION_TYPES, Node, walk

RESERVED_PREFIX = "__appsync"

STATEMENT_MESSAGES = {
    "TryStatement": "Try statements are not supported.",
    "ThrowStatement": "Throw statements are not supported.",
    "WhileStatement": "While statements are not supported.",
    "DoWhileStatement": "do...while statements are not supported.",
    "ForStatement": "For statements are not supported.",
    "ContinueStatement": "Continue statements are not supported",
    "LabeledStatement": "Labeled statements are not supported.",
    "ClassDeclaration": "Class declarations are not supported.",
    "ClassExpression": "Class declarations are not supported.",
    "ThisExpression": "This expressions are not supported.",
    "AwaitExpression": "The `await` keyword is not supported",
    "YieldExpression": "Yield statements are not supported",
    "ImportExpression": "Dynamic imports are not supported.",
}

REFUSED_UNARY = frozenset({"~"})
REFUSED_BINARY = frozenset({"instanceof"})


def operator_message(operator: str) -> str:
    return f"The operator {operator} is not supported"


IN_OPERATOR_MESSAGE = "in operator is not supported. Use Object.hasOwn()."


def syntax_findings(tree: Node) -> Iterator[tuple[Node, str]]:
    """Each refused construct with its message, in source order."""
    for node, ancestors in walk(tree):
        message = node_message(node)
        if message is not None and not (node["type"] == "Identifier" and is_property_name(node, ancestors[-1])):
            yield node, message


def is_property_name(identifier: Node, parent: Node) -> bool:
    """``a.name`` or ``{ name: 1 }``: a property's name, not a binding or a reference."""
    if parent["type"] == "MemberExpression":
        return parent["property"] is identifier and not parent.get("computed")
    if parent["type"] in ("Property", "MethodDefinition", "PropertyDefinition"):
        return parent["key"] is identifier and not parent.get("computed") and parent["value"] is not identifier
    return False


def node_message(node: Node) -> str | None:
    kind = node["type"]
    if kind in STATEMENT_MESSAGES:
        return STATEMENT_MESSAGES[kind]
    if kind in FUNCTION_TYPES:
        if node.get("async"):
            return "Async functions are not supported."
        if node.get("generator"):
            return "Generator functions are not supported."
        return None
    if kind == "UpdateExpression":
        return operator_message(node["operator"])
    if kind == "UnaryExpression" and node["operator"] in REFUSED_UNARY:
        return operator_message(node["operator"])
    if kind == "BinaryExpression":
        if node["operator"] == "in":
            return IN_OPERATOR_MESSAGE
        if node["operator"] in REFUSED_BINARY:
            return operator_message(node["operator"])
        return None
    if kind == "Literal" and "regex" in node:
        return "Regex literals are not supported."
    if kind == "NewExpression" and node["callee"]["type"] == "Identifier" and node["callee"]["name"] == "Promise":
        return "Promise is not supported"
    if kind == "MetaProperty" and node["meta"]["name"] == "import":
        return "import.meta is not supported."
    if kind == "Identifier" and node["name"].startswith(RESERVED_PREFIX):
        return f"'{node['name']}': names starting with {RESERVED_PREFIX} are reserved by the emulator."
    return None
