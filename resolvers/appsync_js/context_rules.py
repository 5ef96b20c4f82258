"""``ctx`` is read-only at its top level: AppSync refuses code that re-assigns the handler's
context parameter or sets one of its own properties (``ctx.result = ...``); deeper writes
(``ctx.stash.x = 1``, ``ctx.args.id = ...``) are fine.

This is the ``no-disallowed-re-assignment`` rule of AWS's ``@aws-appsync/eslint-plugin`` (base
set), with its messages, applied as the plugin applies it: to ``function request(ctx)`` and
``function response(ctx)`` declarations, following the parameter's references but not into a
scope that declares the same name again.
"""

from __future__ import annotations

from collections.abc import Iterator

from emulator.resolvers.appsync_js.estree import Node, children, is_function, pattern_names, property_name

HANDLER_NAMES = frozenset({"request", "response"})
STOP_SUFFIXES = ("Statement", "Declaration", "Function", "FunctionExpression", "Program")
LOOP_HEADS = frozenset({"ForInStatement", "ForOfStatement"})
PATTERN_TYPES = frozenset({"ArrayPattern", "ObjectPattern", "RestElement", "AssignmentPattern", "Property"})


def context_findings(tree: Node) -> Iterator[tuple[Node, str]]:
    for node in declarations(tree):
        parameters = node["params"]
        if parameters and parameters[0]["type"] == "Identifier":
            name = parameters[0]["name"]
            for reference, ancestors in references(node["body"], name, (node,)):
                yield from reference_finding(reference, ancestors, name)


def declarations(tree: Node) -> Iterator[Node]:
    """``function request(...)`` / ``function response(...)`` declarations anywhere."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if node["type"] == "FunctionDeclaration" and (node.get("id") or {}).get("name") in HANDLER_NAMES:
            yield node
        stack.extend(children(node))


def references(node: Node, name: str, ancestors: tuple[Node, ...]) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Identifiers reading or writing ``name`` under ``node``, skipping scopes that redeclare it
    and the places where an identifier is a property name rather than a reference."""
    stack = [(node, ancestors)]
    while stack:
        current, above = stack.pop()
        if current is not node and redeclares(current, name):
            continue
        if current["type"] == "Identifier" and current["name"] == name and is_reference(current, above[-1]):
            yield current, above
            continue
        inner = (*above, current)
        stack.extend((child, inner) for child in reversed(list(children(current))))


def redeclares(node: Node, name: str) -> bool:
    if is_function(node):
        own_name = (node.get("id") or {}).get("name")
        if node["type"] == "FunctionExpression" and own_name == name:
            return True
        return any(name in pattern_names(parameter) for parameter in node["params"]) or body_declares(node["body"], name)
    if node["type"] in ("BlockStatement", "Program", "StaticBlock"):
        return block_declares(node, name)
    if node["type"] in LOOP_HEADS | {"ForStatement"}:
        head = node.get("left") or node.get("init")
        return head is not None and head["type"] == "VariableDeclaration" and head["kind"] != "var" and any(
            name in pattern_names(declarator["id"]) for declarator in head["declarations"]
        )
    if node["type"] == "CatchClause":
        return name in pattern_names(node.get("param"))
    return False


def block_declares(block: Node, name: str) -> bool:
    for statement in block.get("body", []):
        if statement["type"] in ("FunctionDeclaration", "ClassDeclaration") and (statement.get("id") or {}).get("name") == name:
            return True
        if statement["type"] == "VariableDeclaration" and statement["kind"] != "var":
            if any(name in pattern_names(declarator["id"]) for declarator in statement["declarations"]):
                return True
    return False


def body_declares(body: Node, name: str) -> bool:
    """A function body declaring ``name`` anywhere with ``var`` hoists it to the whole body."""
    if body["type"] != "BlockStatement":
        return False
    if block_declares(body, name):
        return True
    stack = list(children(body))
    while stack:
        current = stack.pop()
        if is_function(current):
            continue
        if current["type"] == "VariableDeclaration" and current["kind"] == "var":
            if any(name in pattern_names(declarator["id"]) for declarator in current["declarations"]):
                return True
        stack.extend(children(current))
    return False


def is_reference(identifier: Node, parent: Node) -> bool:
    kind = parent["type"]
    if kind == "MemberExpression":
        return parent["object"] is identifier or bool(parent.get("computed"))
    if kind in ("Property", "PropertyDefinition", "MethodDefinition"):
        return parent["value"] is identifier or (bool(parent.get("computed")) and parent["key"] is identifier)
    if kind in ("LabeledStatement", "BreakStatement", "ContinueStatement"):
        return False
    if kind == "VariableDeclarator":
        return parent["init"] is identifier
    if is_function(parent):
        return parent.get("body") is identifier
    return True


def reference_finding(reference: Node, ancestors: tuple[Node, ...], name: str) -> Iterator[tuple[Node, str]]:
    if is_write(reference, ancestors):
        yield reference, f"{name} is readonly and re-assignment is not supported."
        return
    target = modified_property(reference, ancestors)
    if target is not None:
        prop = property_name(target) if target["type"] == "MemberExpression" else None
        if prop is None and target["type"] == "MemberExpression" and target["property"]["type"] == "Identifier":
            prop = target["property"]["name"]
        if prop:
            yield target, f"{name} is readonly. Adding/Updating {prop} is not supported."
        else:
            yield target, f"{name} is readonly adding/modifying properties is not supported."


def is_write(identifier: Node, ancestors: tuple[Node, ...]) -> bool:
    """``ctx = x``, ``[ctx] = a``, ``({ a: ctx } = o)``, ``for (ctx of list)``."""
    node = identifier
    for parent in reversed(ancestors):
        kind = parent["type"]
        if kind == "AssignmentExpression":
            return parent["left"] is node
        if kind in LOOP_HEADS:
            return parent["left"] is node
        if kind == "UpdateExpression":
            return True
        if kind not in PATTERN_TYPES:
            return False
        if kind == "AssignmentPattern" and parent["left"] is not node:
            return False
        if kind == "Property" and parent["value"] is not node:
            return False
        node = parent
    return False


def modified_property(identifier: Node, ancestors: tuple[Node, ...]) -> Node | None:
    """The ``ctx.x`` member being assigned, updated, deleted or looped into, as the plugin finds it."""
    node = identifier
    depth = 0
    for parent in reversed(ancestors):
        if depth >= 2:
            return None
        kind = parent["type"]
        if kind.endswith(STOP_SUFFIXES) and kind not in LOOP_HEADS:
            return None
        if kind == "AssignmentExpression":
            return node if depth == 1 and parent["left"] is node else None
        if kind == "UpdateExpression":
            return node if depth == 1 and parent["argument"] is node else None
        if kind == "UnaryExpression":
            return node if depth == 1 and parent["argument"] is node and parent["operator"] == "delete" else None
        if kind in LOOP_HEADS:
            return node if depth == 1 and parent["left"] is node else None
        if kind == "MemberExpression" and parent["property"] is node:
            return None
        if kind == "Property" and parent["key"] is node:
            return None
        if kind == "ConditionalExpression" and parent["test"] is node:
            return None
        depth += 1
        node = parent
    return None
