"""What the real-time endpoint needs from the rest of the emulator, passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLSchema

from emulator.apimodel import ApiModel
from emulator.auth.identity import AuthRequest, Identity
from emulator.hub import Hub
from emulator.realtime.limits import RealtimeLimits
from emulator.resolvers.context import AuthPolicy

#: ``(schema, parent type, field, caller) -> allowed``: AppSync's ``@aws_*`` directive check.
FieldAllowed = Callable[[GraphQLSchema, str, str, Identity], bool]

#: ``(subscription field, caller, arguments, info) -> filters``: runs the field's custom resolver
#: when a client subscribes, as AppSync does; answers the enhanced filters it set with
#: ``extensions.setSubscriptionFilter`` (raises ``AppSyncError`` to refuse the subscription).
SubscriptionResolver = Callable[[str, Identity, Mapping[str, Any], Mapping[str, Any]], list[Any]]


@dataclass(frozen=True)
class RealtimeDeps:
    """Callables rather than values where hot reload swaps the thing behind them."""

    authenticate: Callable[[AuthRequest], Identity]  # blocking; raises UnauthorizedRequest
    current_api: Callable[[], ApiModel]
    current_schema: Callable[[], GraphQLSchema]  # the executable schema (validation, AWS scalars)
    policy: Callable[[], AuthPolicy]
    field_allowed: FieldAllowed
    hub: Hub
    limits: RealtimeLimits = field(default_factory=RealtimeLimits)
    subscription_resolver: SubscriptionResolver | None = None
