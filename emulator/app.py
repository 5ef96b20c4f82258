"""Assembling the emulator: from ``Settings`` to one ``AppState`` and the Starlette app.

Start-up order follows the request flow downwards: schema → transform → engine and tables →
auth gateway and rules → executable schema → hub. Every failure here is a ``StartupError`` with
a message for the user; the CLI prints it and exits non-zero.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import replace
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from emulator import dynamo_proxy, explorer
from emulator.apimodel import ApiModel
from emulator.auth.directives import directive_guard
from emulator.auth.gateway import AuthGateway
from emulator.auth.generated import ensure_credentials
from emulator.auth.rules import AmplifyPolicy
from emulator.custom_fields import CustomFields, custom_planner, subscription_filters
from emulator.custom_resolvers import load_custom_resolvers
from emulator.data_files import DataFileError, seed_from_settings
from emulator.datastore_tables import ensure_datastore_tables
from emulator.datastore_tables import start_message as datastore_message
from emulator.engine import Engine, EngineError, ensure_tables, start_configured_engine
from emulator.execution import Executor, build_executable_api
from emulator.field_plans import DEFAULT_PLANNERS
from emulator.function_sources import (
    FunctionsError,
    authorizer_function,
    find_functions,
    function_environment,
)
from emulator.gen2.introspection import ROUTE as INTROSPECTION_ROUTE
from emulator.gen2.introspection import ModelIntrospection, serve_introspection
from emulator.http import graphql_http, graphql_preflight
from emulator.hub import Hub
from emulator.realtime import RealtimeDeps, RealtimeEndpoint, RealtimeLimits
from emulator.resolver_specs import CustomResolverError, CustomResolvers
from emulator.resolvers.custom import build_resolvers, build_slotted_operations, build_v1_overrides
from emulator.resolvers.datasources import build_data_sources, table_names
from emulator.resolvers.functions import FunctionCatalog, FunctionRunners
from emulator.resolvers.functions.triggers import TableTriggers
from emulator.resolvers.search import SearchService
from emulator.schema_source import SchemaSourceError, read_schema
from emulator.settings import Settings
from emulator.state import AppState, Generation
from emulator.table_keys import ChangedKeys, refuse_changed_keys
from emulator.transform import SchemaError, TransformOptions, transform
from emulator.unresolved import start_message, with_project_resolvers, without_custom_resolvers

_log = logging.getLogger("appsync_emulator")

log = logging.getLogger("appsync_emulator.app")
functions_log = logging.getLogger("appsync_emulator.functions")


class StartupError(Exception):
    """The emulator cannot start; the message says why and what to fix."""


def describe_functions(catalog: FunctionCatalog) -> None:
    """One log line per function found, and a warning when its runtime is not installed."""
    for spec in catalog:
        functions_log.info("function %s: %s %s (%s)", spec.name, spec.runtime_name or spec.runtime, spec.handler_file, spec.origin)
    if any(spec.runtime == "node" for spec in catalog) and shutil.which("node") is None:
        functions_log.warning("Node.js functions were found but no 'node' is on the PATH: their calls will fail until it is")


def load_api(settings: Settings) -> ApiModel:
    """Read and transform the schema the settings point at; which fields have no local resolver."""
    path = settings.schema or Path("schema.graphql")
    try:
        sdl = read_schema(path)
        api = transform(sdl, TransformOptions.from_settings(settings))
    except SchemaSourceError as exc:
        raise StartupError(str(exc)) from exc
    except SchemaError as exc:
        raise StartupError(f"{path}: {exc}") from exc
    amplify = settings.extra.get("amplify") if isinstance(settings.extra.get("amplify"), dict) else {}
    api_dir = Path(amplify["api_dir"]) if amplify.get("api_dir") else None
    datastore = datastore_message(api, settings.table_name)
    if datastore:
        _log.info("%s: %s", path, datastore)
    return replace(api, unresolved=with_project_resolvers(api, api_dir))


def build_executor(api: ApiModel, settings: Settings, custom: CustomFields | None = None) -> Executor:
    default_mode = settings.auth.default
    custom = custom or CustomFields()
    planners = (custom_planner(custom), *DEFAULT_PLANNERS)
    return Executor(build_executable_api(api, lambda schema: directive_guard(schema, default_mode), planners),
                    custom.served())


def build_custom_fields(
    settings: Settings, api: ApiModel, custom: CustomResolvers, runners: FunctionRunners | None = None
) -> CustomFields:
    """The declared resolvers, ready to run on their data sources (templates parsed, JS checked);
    Lambda data sources call the project's functions through ``runners``."""
    tables = table_names(api, settings.table_name, custom)
    data_sources = build_data_sources(custom.data_sources, tables, invoker=runners)
    try:
        resolvers = {**build_v1_overrides(custom, api, data_sources), **build_resolvers(custom, data_sources)}
        operations = build_slotted_operations(custom, api, data_sources, settings.table_name, settings.api_id)
    except CustomResolverError as exc:
        raise StartupError(str(exc)) from exc
    return CustomFields(resolvers, operations)


def report_unresolved(settings: Settings, api: ApiModel) -> None:
    message = start_message(api.unresolved)
    if message:
        _log.warning("%s: %s", settings.schema or Path("schema.graphql"), message)


def build_generation(
    settings: Settings, engine: Engine, api: ApiModel | None = None, runners: FunctionRunners | None = None
) -> Generation:
    """Everything that follows from the schema and config, built before anything is served or
    swapped: the API, its tables, its functions, the auth gateway and rules, the executable schema.

    ``runners``: the function runners a project-function Lambda authorizer is called through."""
    api = api or load_api(settings)
    custom = load_declared_resolvers(settings, api)
    fields = build_custom_fields(settings, api, custom, runners)
    api = replace(api, unresolved=without_custom_resolvers(api.unresolved, fields.served()))
    report_unresolved(settings, api)
    extra_tables = [table.definition for table in custom.tables]
    try:
        refuse_changed_keys(engine.client(), api, settings.table_name, extra_tables)
    except ChangedKeys as exc:
        raise StartupError(str(exc)) from exc
    ensure_tables(engine.client(), api, settings.table_name, extra_tables)
    ensure_datastore_tables(engine.client(), api, settings.table_name)
    auth_settings = ensure_credentials(settings.auth, settings.data_dir)
    settings = replace(settings, auth=auth_settings)
    try:
        catalog = find_functions(settings, api)
        authorizer = authorizer_function(settings, catalog)
    except FunctionsError as exc:
        raise StartupError(str(exc)) from exc
    lambda_handler = None
    if authorizer is not None:
        runners = runners or FunctionRunners()
        lambda_handler = functools.partial(runners.call, authorizer)
    return Generation(
        settings=settings,
        auth=AuthGateway(auth_settings, settings.data_dir, api_id=settings.api_id, lambda_handler=lambda_handler),
        executor=build_executor(api, settings, fields),
        policy=AmplifyPolicy(api, auth_settings.iam),
        custom=custom,
        fields=fields,
        functions=catalog,
        function_environment=function_environment(settings, api),
    )


def load_declared_resolvers(settings: Settings, api: ApiModel) -> CustomResolvers:
    """The project's and the config's custom resolvers, data sources and tables, checked."""
    try:
        custom = load_custom_resolvers(settings, api)
    except CustomResolverError as exc:
        raise StartupError(str(exc)) from exc
    for warning in custom.warnings:
        log.warning("%s", warning)
    return custom


def build_state(settings: Settings) -> AppState:
    """Everything the app needs, built once at start."""
    started = time.perf_counter()
    api = load_api(settings)  # a schema mistake stops the start before the engine is started
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        engine = start_configured_engine(settings)
    except EngineError as exc:
        raise StartupError(str(exc)) from exc
    runners = FunctionRunners(base_url=f"http://{settings.public_host}:{settings.port}")
    try:
        generation = build_generation(settings, engine, api, runners)
        seed_from_settings(engine.client(), settings, generation.executor.executable.api)
    except DataFileError as exc:
        engine.close()
        raise StartupError(str(exc)) from exc
    except StartupError:
        engine.close()
        raise
    describe_functions(generation.functions)
    triggers = TableTriggers(engine.client(), engine.streams_client(), runners.call, settings.dynamodb_region)
    search = SearchService(engine.client(), engine.streams_client())
    searchable = generation.executor.executable.api
    search.start([searchable.models[s.model] for s in searchable.searches.values()], settings.table_name)
    return AppState(generation=generation, engine=engine, hub=Hub(), started_at=started, functions=runners,
                    triggers=triggers, search=search)


async def _root(request: Request) -> Response:
    """``POST /`` is the DynamoDB API (with ``X-Amz-Target``); ``GET /`` is the explorer."""
    if request.method == "POST":
        if dynamo_proxy.is_dynamodb_request(request):
            return await dynamo_proxy.forward(request, request.app.state.http_client)
        return JSONResponse(
            {"__type": "com.amazon.coral.service#UnknownOperationException",
             "message": "POST / serves the DynamoDB API and needs an X-Amz-Target header; GraphQL is at /graphql."},
            status_code=400,
        )
    return await explorer.page(request)


async def _jwks(request: Request) -> Response:
    state: AppState = request.app.state.emulator
    return JSONResponse(state.auth.jwks())


async def _health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _model_introspection(request: Request) -> Response:
    """The S3 object Gen 2 functions read their data client's schema from (emulator.gen2.introspection)."""
    state: AppState = request.app.state.emulator
    source = state.settings.extra.get("gen2_introspection")
    return await serve_introspection(request, source if isinstance(source, ModelIntrospection) else None)


def realtime_deps(state: AppState) -> RealtimeDeps:
    return RealtimeDeps(
        authenticate=lambda request: state.auth.authenticate(request),
        current_api=lambda: state.api,
        current_schema=lambda: state.executor.executable.schema,
        policy=lambda: state.policy,
        field_allowed=lambda schema, parent, name, identity: (
            state.executor.executable.guard is None or state.executor.executable.guard(parent, name, identity)
        ),
        hub=state.hub,
        limits=RealtimeLimits.from_settings(state.settings.limits),
        subscription_resolver=lambda field_name, identity, arguments, info: subscription_filters(
            state.generation.fields, state.resolver_context(identity), field_name, arguments, info
        ),
    )


BackgroundTask = Callable[[asyncio.Event], Awaitable[None]]
"""A task that runs while the app serves and returns when its event is set (e.g. hot reload)."""


def create_app(state: AppState, background: Sequence[BackgroundTask] = ()) -> Starlette:
    realtime = RealtimeEndpoint(realtime_deps(state))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        running = [*background, state.triggers.run] if state.triggers is not None else list(background)
        tasks = [asyncio.create_task(task(stop)) for task in running]
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                app.state.http_client = client
                yield
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            await state.hub.close()
            if state.search is not None:
                state.search.close()
            state.functions.close()
            state.engine.close()

    app = Starlette(
        routes=[
            Route("/graphql", graphql_http, methods=["GET", "POST"]),
            Route("/graphql", graphql_preflight, methods=["OPTIONS"]),
            WebSocketRoute("/graphql", realtime),
            WebSocketRoute("/graphql/realtime", realtime),
            Route("/.well-known/jwks.json", _jwks, methods=["GET"]),
            Route("/health", _health, methods=["GET"]),
            Route(INTROSPECTION_ROUTE, _model_introspection, methods=["GET"]),
            Route("/", _root, methods=["GET", "POST"]),
            *explorer.routes(),
        ],
        lifespan=lifespan,
    )
    app.state.emulator = state
    return app
