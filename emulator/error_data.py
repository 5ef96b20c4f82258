"""The ``data`` of a field error, cut to the field's selection set as AppSync cuts it.

``$util.error(message, type, data)`` hands AppSync a value for the error's ``data``; AppSync
filters it through the field's selection set, like the field's own result. A conflict's server
item (DataStore's ``ConflictUnhandled``) thus reaches a client with the fields its mutation
selected, not the whole stored item.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, GraphQLResolveInfo, InlineFragmentNode, SelectionSetNode


def selected_data(data: Any, info: GraphQLResolveInfo) -> Any:
    """``data`` with only what the field's selection set asks for (under response keys)."""
    selections = [node.selection_set for node in info.field_nodes if node.selection_set is not None]
    if not selections:
        return data
    return _cut(data, selections, info)


def _cut(value: Any, selection_sets: list[SelectionSetNode], info: GraphQLResolveInfo) -> Any:
    if isinstance(value, list):
        return [_cut(item, selection_sets, info) for item in value]
    if not isinstance(value, Mapping):
        return value
    fields: dict[str, list[FieldNode]] = {}
    for selection_set in selection_sets:
        _collect(selection_set, info, fields)
    result: dict[str, Any] = {}
    for key, nodes in fields.items():
        name = nodes[0].name.value
        if name not in value:
            continue
        inner = [node.selection_set for node in nodes if node.selection_set is not None]
        result[key] = _cut(value[name], inner, info) if inner else value[name]
    return result


def _collect(selection_set: SelectionSetNode, info: GraphQLResolveInfo, fields: dict[str, list[FieldNode]]) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            fields.setdefault(key, []).append(selection)
        elif isinstance(selection, InlineFragmentNode):
            _collect(selection.selection_set, info, fields)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = info.fragments.get(selection.name.value)
            if fragment is not None:
                _collect(fragment.selection_set, info, fields)
