"""The expression blocks of a DynamoDB request document: ``{expression, expressionNames,
expressionValues}`` under ``condition``, ``update``, ``query``, ``filter``, ``projection``.

A DynamoDB call takes one ExpressionAttributeNames and one ExpressionAttributeValues map for all
its expressions, so the blocks of one document are merged into one ``Placeholders`` (the same
collector the model resolvers use); a placeholder defined twice with different meanings is a
mistake in the document, reported as such instead of one silently winning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from emulator.resolvers.datasources.documents import Document, json_type, mapping_error
from emulator.resolvers.datasources.typed_values import attribute_map
from emulator.resolvers.expressions import Placeholders


@dataclass(frozen=True)
class Block:
    """One expression block of the document (its fields read, its placeholders merged)."""

    expression: str
    document: Document


def expression_block(
    parent: Document,
    name: str,
    placeholders: Placeholders,
    *,
    required: bool = False,
    extra_fields: Iterable[str] = (),
    values: bool = True,
) -> Block | None:
    """``parent[name]`` as an expression block, its names and values added to ``placeholders``."""
    block = parent.mapping(name, required=required)
    if block is None:
        return None
    allowed = {"expression", "expressionNames", *(("expressionValues",) if values else ()), *extra_fields}
    block.only(allowed)
    expression = block.text("expression", required=True) or ""
    _merge_names(block, placeholders)
    if values:
        _merge_values(block, placeholders)
    return Block(expression, block)


def _merge_names(block: Document, placeholders: Placeholders) -> None:
    names = block.raw_mapping("expressionNames") or {}
    for placeholder, attribute in names.items():
        if not isinstance(attribute, str):
            raise mapping_error(
                f"Expected JSON string for '{block.at('expressionNames')}[{placeholder}]' "
                f"but got '{json_type(attribute)}' instead."
            )
        _define(placeholders.names, str(placeholder), attribute, block.at("expressionNames"))


def _merge_values(block: Document, placeholders: Placeholders) -> None:
    values = block.value.get("expressionValues")
    if values is None:
        return
    for placeholder, attribute in attribute_map(values, block.at("expressionValues")).items():
        _define(placeholders.values, placeholder, attribute, block.at("expressionValues"))


def _define(target: dict, placeholder: str, meaning: object, path: str) -> None:
    if placeholder in target and target[placeholder] != meaning:
        raise mapping_error(f"'{path}[{placeholder}]' is defined twice in this request with different values.")
    target[placeholder] = meaning
