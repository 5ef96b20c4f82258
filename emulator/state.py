"""The one application state object, built at start and passed down (no globals).

``AppState`` holds the settings, the engine, the auth gateway, the rules policy, the pub/sub hub
and the current ``Executor``. Hot reload replaces ``executor`` with one built from the new schema;
everything that needs "the current API" asks this object at the moment it needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auth.identity import Identity
from emulator.apimodel import ApiModel
from emulator.engine import Engine
from emulator.execution import Executor
from emulator.settings import Settings
from resolvers.context import AuthPolicy, ResolverContext


@dataclass(frozen=True)
class Generation:
    """What a schema and config produce; hot reload builds a new one and installs it whole."""

    settings: Settings
    auth: Any  # auth.gateway.AuthGateway
    executor: Executor
    policy: AuthPolicy


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    auth: Any  # auth.gateway.AuthGateway
    executor: Executor
    policy: AuthPolicy
    hub: Any  # emulator.hub.Hub
    started_at: float = 0.0
    extras: dict[str, Any] = field(default_factory=dict)

    def install(self, generation: Generation) -> None:
        """Swap in a new generation; requests already running keep the one they started with."""
        self.settings = generation.settings
        self.auth = generation.auth
        self.policy = generation.policy
        self.executor = generation.executor

    @property
    def api(self) -> ApiModel:
        return self.executor.executable.api

    def resolver_context(self, identity: Identity | None, headers: dict[str, str] | None = None) -> ResolverContext:
        """A fresh per-request context for the resolvers."""
        return ResolverContext(
            api=self.api,
            dynamodb=self.engine.client(),
            table_name=self.settings.table_name,
            identity=identity,
            policy=self.policy,
            request_headers=headers or {},
        )
