"""AppSync's rules about functions and built-in methods, decided from the syntax alone.

AWS's ``@aws-appsync/eslint-plugin`` has a "recommended" set that needs TypeScript's type checker:
no recursion, no function passed as an argument (except to ``map``/``filter``/... callbacks), no
function returned or re-assigned, no call to a method the runtime lacks. AppSync's service
compiles code with TypeScript, so these are refused at deploy. Without a type checker this module
decides what the syntax shows for certain and nothing more, so that valid code is never refused:

- a function here is a ``function`` declaration, or a ``const``/``let``/``var`` whose initial
  value is a function, named once in the file (a name declared twice is left alone);
- a function passed to a call is refused when the callee is one of those functions, a member of a
  built-in namespace (``JSON``, ``Object``, ``Math``, ``util``, ...) or a method of an array
  literal, since only those have a known type; calls on ``ctx`` data (typed ``any``) are not;
- methods the runtime lacks are refused on ``Object`` (always typed) and on values that are
  strings by their syntax (literals, template literals, ``String(...)``).

The messages are the plugin's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from emulator.resolvers.appsync_js.estree import (
    Node,
    enclosing_function,
    is_function,
    pattern_names,
    property_name,
    walk,
)

CALLBACK_METHODS = frozenset({
    "map", "find", "filter", "findIndex", "findLast", "findLastIndex", "forEach", "reduce", "reduceRight",
    "every", "some", "flatMap",
})
TYPED_NAMESPACES = frozenset({
    "JSON", "Object", "Math", "String", "Number", "Array", "Date", "util", "runtime", "extensions", "console",
})
DENIED_OBJECT_METHODS = frozenset({
    "create", "defineProperties", "defineProperty", "freeze", "getOwnPropertyDescriptor",
    "getOwnPropertyDescriptors", "getOwnPropertyNames", "getOwnPropertySymbols", "getPrototypeOf",
    "hasOwnProperty", "is", "isExtensible", "isFrozen", "isPrototypeOf", "isSealed", "preventExtensions",
    "propertyIsEnumerable", "seal", "setPrototypeOf", "toLocaleString", "toString", "valueOf",
})
DENIED_STRING_METHODS = frozenset({
    "charCodeAt", "localeCompare", "matchAll", "padEnd", "padStart", "repeat", "search",
    "toLocaleLowerCase", "toLocaleUpperCase", "valueOf",
})

RECURSION_MESSAGE = "Recursive function calls not supported. Detected cycle in {path}"
PASSING_MESSAGE = "Functions can not be passed as an argument"
RETURN_MESSAGE = "returning a function is not allowed"
REASSIGN_MESSAGE = "re-assigning function is not allowed"


@dataclass
class FunctionTable:
    """Functions that have a name bound once in the file, and the calls each one makes."""

    by_name: dict[str, Node] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # id(function node) -> its name
    calls: dict[int, list[Node]] = field(default_factory=dict)  # id(scope) -> functions it calls

    def resolve(self, node: Node | None) -> Node | None:
        """The function an identifier names, if it names one."""
        if node is not None and node["type"] == "Identifier":
            return self.by_name.get(node["name"])
        return None

    def name_of(self, function: Node | None) -> str:
        if function is None:
            return "Anonymous Function"
        if id(function) in self.names:
            return self.names[id(function)]
        return "Anonymous Arrow Function" if function["type"] == "ArrowFunctionExpression" else "Anonymous Function"


def function_table(tree: Node) -> FunctionTable:
    declared: dict[str, int] = {}
    candidates: dict[str, Node] = {}
    for node, _ancestors in walk(tree):
        for name in declared_names(node):
            declared[name] = declared.get(name, 0) + 1
        if node["type"] == "FunctionDeclaration" and node.get("id"):
            candidates[node["id"]["name"]] = node
        elif node["type"] == "VariableDeclarator" and node["id"]["type"] == "Identifier" and is_function(node.get("init")):
            candidates[node["id"]["name"]] = node["init"]
    table = FunctionTable()
    for name, function in candidates.items():
        if declared.get(name) == 1:
            table.by_name[name] = function
            table.names[id(function)] = name
    for node, ancestors in walk(tree):
        if node["type"] == "CallExpression":
            target = table.resolve(node["callee"])
            if target is not None:
                scope = enclosing_function(ancestors) or tree
                table.calls.setdefault(id(scope), []).append(target)
    return table


def declared_names(node: Node) -> Iterator[str]:
    """Names a node binds: declarations, parameters, imports."""
    kind = node["type"]
    if kind == "VariableDeclarator":
        yield from pattern_names(node["id"])
    elif kind in ("FunctionDeclaration", "FunctionExpression", "ClassDeclaration") and node.get("id"):
        yield node["id"]["name"]
    if is_function(node):
        for parameter in node["params"]:
            yield from pattern_names(parameter)
    elif kind in ("ImportSpecifier", "ImportDefaultSpecifier", "ImportNamespaceSpecifier"):
        yield node["local"]["name"]
    elif kind == "CatchClause":
        yield from pattern_names(node.get("param"))


def function_findings(tree: Node) -> Iterator[tuple[Node, str]]:
    table = function_table(tree)
    for node, ancestors in walk(tree):
        kind = node["type"]
        if kind == "CallExpression":
            yield from recursion_findings(node, ancestors, tree, table)
            if passes_function(node, table) and has_typed_callee(node, table):
                yield node, PASSING_MESSAGE
            denied = denied_method(node)
            if denied is not None:
                yield node, f"Method {denied} is not implemented"
        elif kind == "ReturnStatement" and is_function_value(node.get("argument"), table):
            yield node, RETURN_MESSAGE
        elif kind == "ArrowFunctionExpression" and node.get("expression") and is_function_value(node["body"], table):
            yield node, RETURN_MESSAGE
        elif kind == "VariableDeclarator" and is_named_function(node.get("init"), table):
            yield node, REASSIGN_MESSAGE
        elif kind == "AssignmentExpression" and node["operator"] == "=" and is_named_function(node["right"], table):
            yield node, REASSIGN_MESSAGE


def is_function_value(node: Node | None, table: FunctionTable) -> bool:
    return is_function(node) or is_named_function(node, table)


def is_named_function(node: Node | None, table: FunctionTable) -> bool:
    return table.resolve(node) is not None


def passes_function(call: Node, table: FunctionTable) -> bool:
    return any(is_function_value(argument, table) for argument in call["arguments"])


def has_typed_callee(call: Node, table: FunctionTable) -> bool:
    """Whether the callee's type is known without a type checker (see the module docstring)."""
    callee = call["callee"]
    if callee["type"] == "Identifier":
        return table.resolve(callee) is not None
    if callee["type"] != "MemberExpression" or property_name(callee) in CALLBACK_METHODS:
        return False
    receiver = callee["object"]
    while receiver["type"] == "MemberExpression":
        receiver = receiver["object"]
    if receiver["type"] == "Identifier":
        return receiver["name"] in TYPED_NAMESPACES
    return receiver["type"] == "ArrayExpression"


def denied_method(call: Node) -> str | None:
    callee = call["callee"]
    if callee["type"] != "MemberExpression":
        return None
    method = property_name(callee)
    receiver = callee["object"]
    if receiver["type"] == "Identifier" and receiver["name"] == "Object" and method in DENIED_OBJECT_METHODS:
        return f"ObjectConstructor.{method}"
    if method in DENIED_STRING_METHODS and is_string_expression(receiver):
        return f"String.{method}"
    return None


def is_string_expression(node: Node) -> bool:
    if node["type"] == "Literal":
        return isinstance(node.get("value"), str)
    if node["type"] == "TemplateLiteral":
        return True
    callee = node.get("callee") if node["type"] == "CallExpression" else None
    return callee is not None and callee["type"] == "Identifier" and callee["name"] == "String"


class _CycleFound(Exception):
    pass


def recursion_findings(call: Node, ancestors: tuple[Node, ...], tree: Node, table: FunctionTable) -> Iterator[tuple[Node, str]]:
    """The plugin's walk: from the called function, follow calls until one comes back round."""
    target = table.resolve(call["callee"])
    if target is None:
        return
    scope = enclosing_function(ancestors)
    found: list[str] = []
    explored: set[int] = set()

    def follow(function: Node, path: list[Node | None]) -> None:
        if any(step is function for step in path):
            cycle = path[next(i for i, step in enumerate(path) if step is function) :] + [function]
            found.append(" <-".join(table.name_of(step) for step in cycle))
            raise _CycleFound
        if id(function) in explored:
            return
        for callee in table.calls.get(id(function), []):
            follow(callee, [*path, function])
        explored.add(id(function))

    try:
        follow(target, [scope])
    except _CycleFound:
        yield call, RECURSION_MESSAGE.format(path=found[0])
