"""The one application state object, built at start and passed down (no globals).

``AppState`` holds the current ``Generation`` (settings, auth gateway, rules policy, ``Executor``),
the engine and the pub/sub hub. Hot reload replaces the generation whole with one built from the
new schema and config; everything that needs "the current API" asks this object at the moment
it needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.apimodel import ApiModel
from emulator.auth.identity import Identity
from emulator.custom_fields import CustomFields
from emulator.engine import Engine
from emulator.execution import Executor
from emulator.resolver_specs import CustomResolvers
from emulator.resolvers.context import AuthPolicy, ResolverContext
from emulator.resolvers.functions import FunctionCatalog, FunctionEnvironment, FunctionRunners
from emulator.settings import Settings


@dataclass(frozen=True)
class Generation:
    """What a schema and config produce; hot reload builds a new one and installs it whole."""

    settings: Settings
    auth: Any  # auth.gateway.AuthGateway
    executor: Executor
    policy: AuthPolicy
    custom: CustomResolvers = field(default_factory=CustomResolvers)  # declared custom resolvers, data sources and tables
    fields: CustomFields = field(default_factory=CustomFields)  # the custom resolvers and slotted operations, built
    functions: FunctionCatalog = field(default_factory=FunctionCatalog)
    function_environment: FunctionEnvironment | None = None


@dataclass
class AppState:
    """The current generation and what outlives it: the engine, the hub, the search indexes, the
    function runners (their processes stay warm across reloads), the start time."""

    generation: Generation
    engine: Engine
    hub: Any  # emulator.hub.Hub
    started_at: float = 0.0
    search: Any = None  # emulator.resolvers.search.SearchService: the @searchable indexes
    functions: FunctionRunners = field(default_factory=FunctionRunners)
    triggers: Any = None  # emulator.resolvers.functions.triggers.TableTriggers, when any function has one

    def __post_init__(self) -> None:
        self._configure_functions(self.generation)

    def install(self, generation: Generation) -> None:
        """Swap in a new generation; requests already running keep the one they started with."""
        self.generation = generation
        self._configure_functions(generation)

    def _configure_functions(self, generation: Generation) -> None:
        if generation.function_environment is not None:
            self.functions.configure(generation.functions, generation.function_environment)
        if self.triggers is not None:
            self.triggers.configure(generation.functions, generation.settings.table_name)

    @property
    def settings(self) -> Settings:
        return self.generation.settings

    @property
    def auth(self) -> Any:  # auth.gateway.AuthGateway
        return self.generation.auth

    @property
    def executor(self) -> Executor:
        return self.generation.executor

    @property
    def policy(self) -> AuthPolicy:
        return self.generation.policy

    @property
    def api(self) -> ApiModel:
        return self.executor.executable.api

    def resolver_context(
        self, identity: Identity | None, headers: dict[str, str] | None = None, generation: Generation | None = None
    ) -> ResolverContext:
        """A fresh per-request context for the resolvers, from one generation (the request's own,
        so a hot reload mid-request never mixes two APIs)."""
        generation = generation or self.generation
        return ResolverContext(
            api=generation.executor.executable.api,
            dynamodb=self.engine.client(),
            table_name=generation.settings.table_name,
            identity=identity,
            policy=generation.policy,
            request_headers=headers or {},
            search=self.search,
            functions=self.functions,
        )
