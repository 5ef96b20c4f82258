"""The module text QuickJS runs: the user's code with imports bound from the runtime's own
modules, a CPU-time tick in every function and loop body, and the handlers handed to the runtime.

Why a tick rather than QuickJS's own time limit: the Python binding refuses calls from JavaScript
into Python while a time limit is set ("Can not call into Python with a time limit set"), and
every ``util`` helper is a Python call. AppSync's subset has no ``while`` or C-style ``for``, so
the only ways code can run long are loops over iterables and function calls (recursion,
callbacks, user-made iterators); a tick at the start of each function body and each ``for-of`` /
``for-in`` body reaches all of them. The tick asks Python for the thread's CPU time every few
thousand calls (``prelude.js``).

Imports are hoisted in a module, so their bindings go first, on line 1, and each ``import``
declaration is blanked in place; lines never move (see ``source_map``).
"""

from __future__ import annotations

import json

from emulator.resolvers.appsync_js.estree import Node, walk
from emulator.resolvers.appsync_js.module_shape import ModuleShape
from emulator.resolvers.appsync_js.source_map import EditedSource, Insertion, SourceText

TICK = "__appsync_tick();"
MODULES_GLOBAL = "__appsync_modules"
REGISTER_FUNCTION = "__appsync_register"


def edited_module(source: SourceText, tree: Node, shape: ModuleShape) -> tuple[str, EditedSource]:
    """The text to run and the map of what was inserted."""
    blanked = SourceText(blank_spans(source, shape.import_spans))
    insertions = tick_insertions(blanked, tree)
    prefix = import_prefix(shape)
    if prefix:
        insertions.append(Insertion(0, prefix))
    edited = EditedSource.build(blanked, insertions)
    return edited.text + "\n" + handler_registration(shape), edited


def blank_spans(source: SourceText, spans: tuple[tuple[int, int], ...]) -> str:
    """The text with each span's characters replaced by spaces (newlines kept)."""
    characters = list(source.text)
    for start, end in spans:
        for index in range(source.index(start), source.index(end)):
            if characters[index] not in "\r\n":
                characters[index] = " "
    return "".join(characters)


def import_prefix(shape: ModuleShape) -> str:
    statements = []
    for binding in shape.imports:
        module = f"{MODULES_GLOBAL}[{json.dumps(binding.module)}]"
        value = module if binding.name is None else f"{module}.{binding.name}"
        statements.append(f"const {binding.local} = {value};")
    return " ".join(statements) + " " if statements else ""


def handler_registration(shape: ModuleShape) -> str:
    members = ", ".join(f"{name}: {local}" for name, local in shape.handlers.items())
    return f"{REGISTER_FUNCTION}({{ {members} }});\n"


def tick_insertions(source: SourceText, tree: Node) -> list[Insertion]:
    insertions: list[Insertion] = []
    for node, ancestors in walk(tree):
        kind = node["type"]
        depth = len(ancestors)
        if kind in ("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"):
            insertions.extend(body_tick(source, node["body"], depth, expression=bool(node.get("expression"))))
        elif kind in ("ForOfStatement", "ForInStatement"):
            insertions.extend(body_tick(source, node["body"], depth, expression=False))
    return insertions


def body_tick(source: SourceText, body: Node, depth: int, *, expression: bool) -> list[Insertion]:
    start, end = source.index(body["start"]), source.index(body["end"])
    if expression:
        return [Insertion(start, "(" + TICK[:-1] + ", ", depth), Insertion(end, ")", depth, closes=True)]
    if body["type"] == "BlockStatement":
        return [Insertion(start + 1, TICK, depth)]
    return [Insertion(start, "{ " + TICK + " ", depth), Insertion(end, " }", depth, closes=True)]
