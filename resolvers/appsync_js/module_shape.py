"""What a resolver module imports and exports, checked against what AppSync accepts.

AppSync code is an ES module that exports ``request`` and ``response`` and imports only from
``@aws-appsync/utils`` and ``@aws-appsync/utils/dynamodb`` (``/rds`` and ``/ai`` exist on AppSync
but need data sources the emulator does not have). The names each module offers are those of the
``@aws-appsync/utils`` type package (2.1.1), which is the runtime's published interface.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from emulator.resolvers.appsync_js.estree import Node

UTILS_MODULE = "@aws-appsync/utils"
DYNAMODB_MODULE = "@aws-appsync/utils/dynamodb"
MODULE_EXPORTS = {
    UTILS_MODULE: frozenset({"util", "runtime", "extensions"}),
    DYNAMODB_MODULE: frozenset({
        "get", "put", "remove", "update", "query", "scan", "sync", "batchGet", "batchPut", "batchDelete",
        "transactGet", "transactWrite", "toStringSet", "toNumberSet", "toBinarySet", "operations",
    }),
}
NOT_EMULATED = frozenset({"@aws-appsync/utils/rds", "@aws-appsync/utils/ai"})
HANDLERS = ("request", "response")


@dataclass(frozen=True)
class ImportBinding:
    """``local`` is bound to ``name`` of ``module`` (the whole module when ``name`` is None)."""

    module: str
    name: str | None
    local: str


@dataclass(frozen=True)
class ModuleShape:
    imports: tuple[ImportBinding, ...]
    import_spans: tuple[tuple[int, int], ...]  # UTF-16 [start, end) of each import declaration
    handlers: dict[str, str]  # exported handler name -> its local name


def module_shape(tree: Node) -> tuple[ModuleShape, list[tuple[Node, str]]]:
    """The module's imports and handlers, and what AppSync would refuse about them."""
    findings: list[tuple[Node, str]] = []
    imports: list[ImportBinding] = []
    spans: list[tuple[int, int]] = []
    handlers: dict[str, str] = {}
    for statement in tree["body"]:
        kind = statement["type"]
        if kind == "ImportDeclaration":
            spans.append((statement["start"], statement["end"]))
            bindings, problems = import_bindings(statement)
            imports.extend(bindings)
            findings.extend(problems)
        elif kind in ("ExportAllDeclaration", "ExportNamedDeclaration") and statement.get("source"):
            findings.append((statement, "Re-exporting from another module is not supported."))
        elif kind == "ExportNamedDeclaration":
            handlers.update((exported, local) for exported, local in exported_names(statement) if exported in HANDLERS)
    for name in HANDLERS:
        if name not in handlers:
            findings.append((tree, f"The code does not export a '{name}' function. AppSync resolvers and functions export both 'request' and 'response'."))
    return ModuleShape(tuple(imports), tuple(spans), handlers), findings


def import_bindings(statement: Node) -> tuple[list[ImportBinding], list[tuple[Node, str]]]:
    module = statement["source"]["value"]
    if module in NOT_EMULATED:
        return [], [(statement["source"], f"'{module}' is not supported by the emulator.")]
    if module not in MODULE_EXPORTS:
        return [], [(statement["source"], f"Importing '{module}' is not supported: APPSYNC_JS code can import only from '{UTILS_MODULE}' and '{DYNAMODB_MODULE}'.")]
    bindings: list[ImportBinding] = []
    problems: list[tuple[Node, str]] = []
    for specifier in statement["specifiers"]:
        local = specifier["local"]["name"]
        if specifier["type"] == "ImportNamespaceSpecifier":
            bindings.append(ImportBinding(module, None, local))
        elif specifier["type"] == "ImportDefaultSpecifier":
            problems.append((specifier, f"'{module}' has no default export; use import * as {local} from '{module}'."))
        else:
            imported = specifier["imported"]
            name = imported["name"] if imported["type"] == "Identifier" else str(imported["value"])
            if name in MODULE_EXPORTS[module]:
                bindings.append(ImportBinding(module, name, local))
            else:
                problems.append((specifier, f"'{module}' has no export named '{name}'."))
    return bindings, problems


def exported_names(statement: Node) -> Iterator[tuple[str, str]]:
    """(exported name, local name) pairs of an ``export`` declaration without a source."""
    declaration = statement.get("declaration")
    if declaration is not None:
        if declaration["type"] == "FunctionDeclaration":
            yield declaration["id"]["name"], declaration["id"]["name"]
        elif declaration["type"] == "VariableDeclaration":
            for declarator in declaration["declarations"]:
                if declarator["id"]["type"] == "Identifier":
                    yield declarator["id"]["name"], declarator["id"]["name"]
        return
    for specifier in statement["specifiers"]:
        exported = specifier["exported"]
        name = exported["name"] if exported["type"] == "Identifier" else str(exported["value"])
        yield name, specifier["local"]["name"]
