"""One call of a custom resolver: AppSync's ``ctx`` for it, shared by every handler it runs.

A ``ResolverCall`` is made per field resolution. Its ``arguments`` and ``stash`` are the ones a
pipeline's steps share (VTL templates change them in place, a JS handler hands back its stash),
its ``UtilRequest`` collects what ``util`` records over the whole call (appended errors, logs,
extensions), and it builds ``$ctx`` for VTL (``VtlContext``) and ``ctx`` for APPSYNC_JS (JSON
values) from the same parts, so both languages see the same context, as on AppSync:

* ``identity``: ``emulator.resolvers.identity_document`` (null for API key callers);
* ``request``: ``{headers, domainName}``; ``info``: ``fieldName``, ``parentTypeName``,
  ``variables``, ``selectionSetList``, ``selectionSetGraphQL`` (``info_document``);
* ``source``: the parent's value (null on root fields); ``env``: AppSync's environment
  variables (none locally).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
    print_ast,
)

from emulator.resolvers.appsync_util import UtilRequest
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.identity_document import identity_document
from emulator.resolvers.vtl import VtlContext
from emulator.resolvers.vtl.template import NOT_GIVEN

#: ``ctx.prev`` is absent outside pipelines (VTL's ``$ctx.prev`` is then null).
NO_PREVIOUS: Any = NOT_GIVEN


@dataclass
class ResolverCall:
    """``ctx`` of one resolver call, and where its side outputs gather."""

    context: ResolverContext
    type_name: str
    field_name: str
    arguments: dict[str, Any]
    source: Any = None
    info: dict[str, Any] = field(default_factory=dict)
    stash: dict[str, Any] = field(default_factory=dict)
    util: UtilRequest = field(default_factory=UtilRequest)

    @classmethod
    def of(cls, context: ResolverContext, type_name: str, field_name: str, arguments: Mapping[str, Any],
           source: Any = None, info: dict[str, Any] | None = None) -> ResolverCall:
        identity = context.identity
        util = UtilRequest(
            auth_mode=str(identity.mode) if identity is not None else "API_KEY",
            field_name=field_name,
            parent_type_name=type_name,
        )
        return cls(context, type_name, field_name, dict(arguments), source,
                   info or {"fieldName": field_name, "parentTypeName": type_name}, {}, util)

    def for_source(self, source: Any) -> ResolverCall:
        """The same field resolved on another parent item (a sibling of a batch)."""
        util = UtilRequest(auth_mode=self.util.auth_mode, field_name=self.field_name, parent_type_name=self.type_name)
        return ResolverCall(self.context, self.type_name, self.field_name, dict(self.arguments), source, self.info, {}, util)

    @property
    def identity(self) -> dict[str, Any] | None:
        return identity_document(self.context.identity)

    @property
    def request(self) -> dict[str, Any]:
        return {"headers": dict(self.context.request_headers), "domainName": None}

    def vtl_context(self, *, result: Any = None, error: dict[str, Any] | None = None,
                    prev_result: Any = NO_PREVIOUS) -> VtlContext:
        return VtlContext(
            arguments=self.arguments,
            identity=self.identity,
            source=self.source,
            stash=self.stash,
            result=result,
            prev_result=prev_result,
            error=error,
            info=self.info,
            request=self.request,
            util=self.util,
        )

    def js_context(self, *, result: Any = None, error: dict[str, Any] | None = None,
                   prev_result: Any = NO_PREVIOUS) -> dict[str, Any]:
        values: dict[str, Any] = {
            "arguments": self.arguments,
            "args": self.arguments,
            "identity": self.identity,
            "source": self.source,
            "stash": self.stash,
            "result": result,
            "error": error,
            "info": self.info,
            "request": self.request,
            "env": {},
        }
        if prev_result is not NO_PREVIOUS:
            values["prev"] = {"result": prev_result}
        return values

    def direct_lambda_payload(self, prev_result: Any = NO_PREVIOUS) -> dict[str, Any]:
        """What a Lambda resolver without a request template receives: the whole context."""
        payload = self.js_context(prev_result=prev_result)
        for key in ("args", "result", "error", "env"):
            payload.pop(key)
        payload.setdefault("prev", None)
        return payload


def info_document(info: GraphQLResolveInfo) -> dict[str, Any]:
    """``ctx.info`` as AppSync fills it from the field being resolved."""
    field_node = info.field_nodes[0]
    selection = field_node.selection_set
    return {
        "fieldName": info.field_name,
        "parentTypeName": info.parent_type.name,
        "variables": dict(getattr(info.variable_values, "coerced", None) or {}),
        "selectionSetList": selection_list(selection, info.fragments) if selection else [],
        "selectionSetGraphQL": print_ast(selection) if selection else "",
    }


def selection_list(selection_set: SelectionSetNode, fragments: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Every selected field as a path (``author``, ``author/name``), by field name (not alias),
    fragments expanded, each path once, in document order; ``__typename`` is not listed."""
    found: list[str] = []

    def walk(selections: SelectionSetNode, path: str) -> None:
        for node in selections.selections:
            if isinstance(node, FieldNode):
                name = node.name.value
                if name.startswith("__"):
                    continue
                here = f"{path}{name}"
                if here not in found:
                    found.append(here)
                if node.selection_set is not None:
                    walk(node.selection_set, f"{here}/")
            elif isinstance(node, InlineFragmentNode):
                walk(node.selection_set, path)
            elif isinstance(node, FragmentSpreadNode) and node.name.value in fragments:
                walk(fragments[node.name.value].selection_set, path)

    walk(selection_set, prefix)
    return found
