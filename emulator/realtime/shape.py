"""Shaping a mutation's result into one subscription's ``data`` payload.

AppSync sends subscribers the mutation's response cut to the subscription's selection set:
fields the mutation did not select arrive as ``null`` (or as an error when non-null). That is
exactly graphql-core executing the subscription document with the mutation result as root value
against a schema without resolvers, so no field reaches back to DynamoDB and scalars stay in
the wire form the mutation produced. Fields under field-level ``@auth`` are read through the
policy, with the source marked ``__operation: "Mutation"`` as Amplify's field resolvers see it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from inspect import isawaitable
from typing import TYPE_CHECKING, Any

from graphql import GraphQLSchema, execute

from emulator.apimodel import ApiModel
from emulator.errors import AppSyncError
from emulator.graphql_errors import execution_error
from emulator.hub import Publication
from emulator.realtime.messages import encode
from emulator.sdl import build_appsync_schema

if TYPE_CHECKING:
    from emulator.realtime.start import SubscriptionPlan


class ShapeSchemas:
    """The resolver-less schema of the current API generation, rebuilt when hot reload swaps
    the API model (building a schema per ``start`` would be wasteful)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._api: ApiModel | None = None
        self._schema: GraphQLSchema | None = None

    def get(self, api: ApiModel) -> GraphQLSchema:
        with self._lock:
            if self._api is not api or self._schema is None:
                self._schema = build_appsync_schema(api.sdl)
                self._api = api
            return self._schema


@dataclass(frozen=True)
class RenderedPayload:
    """An encoded ``data`` payload and its size in bytes (checked against the message limit)."""

    text: str
    size: int


def render_payload(plan: SubscriptionPlan, publication: Publication) -> RenderedPayload:
    """The encoded ``payload`` of the ``data`` frame, shared by subscriptions that would get the
    same text (same document and variables, and the same caller when field rules apply)."""
    key = (plan.render_key, id(plan.identity) if plan.protected_fields else None)
    rendered = publication.renders.get(key)
    if rendered is None:
        text = encode(_execute(plan, visible_payload(plan, publication.event.payload or {})))
        rendered = publication.renders[key] = RenderedPayload(text, len(text.encode("utf-8")))
    return rendered


def visible_payload(plan: SubscriptionPlan, payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The payload as this subscriber may see it: protected fields through ``read_field``."""
    if plan.model is None or not plan.protected_fields:
        return payload
    source = {**payload, "__operation": "Mutation"}
    visible = dict(payload)
    for name in plan.protected_fields:
        if name in payload:
            try:
                visible[name] = plan.policy.read_field(plan.model, name, plan.identity, source)
            except AppSyncError:
                visible[name] = None
    return visible


def _execute(plan: SubscriptionPlan, payload: Mapping[str, Any]) -> dict[str, Any]:
    result = execute(
        plan.shape_schema,
        plan.document,
        root_value={plan.field_name: payload},
        variable_values=plan.variables,
        operation_name=plan.operation_name,
    )
    if isawaitable(result):  # pragma: no cover - no resolver here is async
        raise TypeError("subscription shaping must be synchronous")
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        # A null in a non-null field is the documented outcome of a subscription selecting a field
        # the mutation did not; execution_error words it as AppSync (graphql-java) does.
        body["errors"] = [execution_error(error, plan.shape_schema) for error in result.errors]
    return body
