"""Finding the API's Lambda functions, and what they run with.

Each ``FunctionReader`` contributes ``FunctionSpec``s from one place; the first reader naming a
function wins, so the config's ``[functions.<name>]`` can replace a project's function:

* ``config_functions``: ``[functions.<name>]`` tables of the config file (any project);
* ``gen1_functions``: ``amplify/backend/function/<name>/`` of a Gen 1 project
  (``emulator.amplify.functions``);
* ``gen2_functions``: ``defineFunction``s of a Gen 2 project (``emulator.gen2.functions``).

``find_functions`` gathers them into the catalog, checks that every ``@function`` of the
schema names one of them (a start error listing what was found otherwise), and adds the Lambda
authorizer when ``[auth.lambda] handler`` is a handler file. ``function_environment`` is what
every function shares (API outputs, tables, endpoints, credentials).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from emulator.amplify.files import AmplifyProjectError
from emulator.amplify.functions import FUNCTION_DIR, ApiOutputs, project_functions
from emulator.apimodel import ApiModel
from emulator.auth.generated import load_generated
from emulator.gen2.functions import gen2_functions
from emulator.gen2.merge import gen2_project
from emulator.resolvers.functions import (
    FunctionCatalog,
    FunctionCredentials,
    FunctionEnvironment,
    FunctionSpec,
    StreamTrigger,
    UnknownFunction,
    runtime_of,
)
from emulator.settings import ConfigError, Settings

FunctionReader = Callable[[Settings, ApiModel], list[FunctionSpec]]
AUTHORIZER_FUNCTION = "lambda-authorizer"  # the name a handler-file authorizer runs under


class FunctionsError(ConfigError):
    """The API's functions cannot be served as declared; the message names the function and the file."""


def first_api_key(settings: Settings) -> str | None:
    return settings.auth.api_keys[0].key if settings.auth.api_keys else None


def _amplify(settings: Settings) -> dict[str, str]:
    project = settings.extra.get("amplify")
    return project if isinstance(project, dict) else {}


def api_name(settings: Settings) -> str:
    """The ``<APINAME>`` of Amplify's variables: the Gen 1 API's name, else the config's api_id."""
    return str(_amplify(settings).get("api") or settings.api_id)


def config_functions(settings: Settings, api: ApiModel) -> list[FunctionSpec]:
    origin = f"[functions.{{}}] in {settings.config_file}"
    specs = []
    for function in settings.functions:
        runtime = function.runtime or runtime_of(function.handler_file)
        assert runtime in ("node", "python")
        specs.append(FunctionSpec(
            name=function.name,
            handler_file=function.handler_file,
            export=function.export,
            runtime=runtime,
            origin=origin.format(function.name),
            task_root=function.handler_file.parent,
            timeout_seconds=function.timeout_seconds,
            environment=dict(function.environment),
            python=function.python,
            triggers=tuple(StreamTrigger(model, function.batch_size) for model in function.triggers),
            max_instances=function.max_instances,
        ))
    return specs


def gen1_functions(settings: Settings, api: ApiModel) -> list[FunctionSpec]:
    root = _amplify(settings).get("project_root")
    if not root:
        return []
    outputs = ApiOutputs(api_name(settings), settings.api_id, first_api_key(settings), settings.env,
                         settings.dynamodb_region, settings.table_name)
    return project_functions(Path(root), outputs)


READERS: tuple[FunctionReader, ...] = (config_functions, gen1_functions, gen2_functions)


def _searched(settings: Settings) -> list[str]:
    places = []
    if settings.config_file is not None:
        places.append(f"[functions] of {settings.config_file}")
    root = _amplify(settings).get("project_root")
    if root:
        places.append(str(Path(root) / FUNCTION_DIR))
    project = gen2_project(settings)
    if project is not None:
        places.append(f"the defineFunction()s of {project.root / 'amplify'}")
    return places


def authorizer_spec(settings: Settings) -> FunctionSpec | None:
    """The Lambda authorizer when ``[auth.lambda] handler`` is a handler file (``file.ts:export``)."""
    handler = settings.auth.lambda_.handler or ""
    file_part, _, export = handler.rpartition(":")
    if not file_part or runtime_of(Path(file_part)) is None:
        return None
    base = settings.auth.lambda_.search_path or Path.cwd()
    handler_file = (base / file_part).resolve()
    if not handler_file.is_file():
        raise FunctionsError(f"auth.lambda.handler {handler!r}: {handler_file} is not a file")
    runtime = runtime_of(handler_file)
    assert runtime is not None
    return FunctionSpec(name=AUTHORIZER_FUNCTION, handler_file=handler_file, export=export or "handler",
                        runtime=runtime, origin="[auth.lambda] handler", task_root=handler_file.parent,
                        timeout_seconds=10.0)


def authorizer_function(settings: Settings, catalog: FunctionCatalog) -> FunctionSpec | None:
    """The function that plays the Lambda authorizer, or None for an in-process Python ``module:function``."""
    if "AWS_LAMBDA" not in settings.auth.modes:
        return None
    handler = settings.auth.lambda_.handler or ""
    if ":" in handler and catalog.get(AUTHORIZER_FUNCTION) is None:
        return None
    name = AUTHORIZER_FUNCTION if ":" in handler else handler
    try:
        return catalog.lookup(name)
    except UnknownFunction as error:
        raise FunctionsError(f"auth.lambda.handler {handler!r}: {error.message}") from None


def find_functions(settings: Settings, api: ApiModel, readers: Sequence[FunctionReader] = READERS) -> FunctionCatalog:
    """The API's functions; a ``@function`` naming none of them is a ``FunctionsError``."""
    specs: list[FunctionSpec] = []
    try:
        for reader in readers:
            specs += reader(settings, api)
        authorizer = authorizer_spec(settings)
    except AmplifyProjectError as error:
        raise FunctionsError(str(error)) from error
    if authorizer is not None:
        specs.append(authorizer)
    catalog = FunctionCatalog(specs, env=settings.env, searched=_searched(settings))
    try:
        catalog.check_pipelines(api.functions)
        _check_conflict_handlers(catalog, api)
    except UnknownFunction as error:
        raise FunctionsError(error.message) from None
    for spec in catalog:
        for trigger in spec.triggers:
            if trigger.model not in api.models:
                raise FunctionsError(f"function {spec.name} ({spec.origin}) is triggered by the table of model "
                                     f"{trigger.model!r}, which the schema does not have")
    return catalog


def _check_conflict_handlers(catalog: FunctionCatalog, api: ApiModel) -> None:
    """A DataStore LAMBDA conflict handler must name a function, as ``@function`` must."""
    for name, model in api.models.items():
        function = model.sync.lambda_function if model.sync is not None else None
        if function is None:
            continue
        try:
            catalog.lookup(function)
        except UnknownFunction as error:
            raise UnknownFunction(f"the LAMBDA conflict handler of {name}: {error.message}") from None


def function_environment(settings: Settings, api: ApiModel) -> FunctionEnvironment:
    """What every function of this API runs with (see ``resolvers.functions.environment``)."""
    configured = settings.auth.iam.credentials
    if configured:
        credentials = FunctionCredentials(configured[0].access_key_id, configured[0].secret_access_key,
                                          configured[0].session_token)
    else:
        generated = load_generated(settings.data_dir)["iam"]
        assert isinstance(generated, dict)
        credentials = FunctionCredentials(str(generated["access_key_id"]), str(generated["secret_access_key"]))
    return FunctionEnvironment(
        api_name=api_name(settings),
        api_id=settings.api_id,
        env=settings.env,
        region=settings.dynamodb_region,
        credentials=credentials,
        api_key=first_api_key(settings),
        tables={name: settings.table_name(name) for name in api.models},
        dynamodb_endpoint=settings.dynamodb_endpoint,
        function_credentials={
            c.function: FunctionCredentials(c.access_key_id, c.secret_access_key, c.session_token)
            for c in settings.auth.iam.function_credentials if c.function is not None
        },
    )
