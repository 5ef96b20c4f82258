"""What the real-time endpoint needs from the rest of the emulator, passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from graphql import GraphQLSchema

from emulator.apimodel import ApiModel
from emulator.auth.identity import AuthRequest, Identity
from emulator.hub import Hub
from emulator.realtime.limits import RealtimeLimits
from emulator.resolvers.context import AuthPolicy

#: ``(schema, parent type, field, caller) -> allowed``: AppSync's ``@aws_*`` directive check.
FieldAllowed = Callable[[GraphQLSchema, str, str, Identity], bool]


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
