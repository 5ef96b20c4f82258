"""The config file's [data_sources], [resolvers] and [pipeline_functions] (projects without
Amplify, or adjusting one), and declared tables created at start (issue 13, point 4)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from emulator.app import StartupError, build_generation, load_api
from emulator.custom_resolvers import load_custom_resolvers
from emulator.engine import Engine, list_table_names
from emulator.reload import Reloader, _relevant, watched_paths
from emulator.resolver_specs import CustomResolverError, CustomResolvers
from emulator.settings import ConfigError, load_config
from emulator.state import AppState
from tests.custom_resolvers_support import copy_project, load_project, project_settings

SCHEMA = """
type Post @model { id: ID! title: String! }
type Entry { pk: String! sk: Int! note: String }
type Query {
  echo(message: String!): String
  entries(pk: String!): [Entry]
  checkout(cart: String!): String
  ping: String
}
"""

CONFIG = """
schema = "schema.graphql"

[data_sources.Posts]
type = "AMAZON_DYNAMODB"
table = "Post"

[data_sources.Ledger]
type = "AMAZON_DYNAMODB"
table = "ledger"
partition_key = "pk"
sort_key = "sk:N"
indexes = [{ name = "byNote", partition_key = "note", sort_key = "sk:N" }]

[data_sources.Echo]
type = "AWS_LAMBDA"

[data_sources.Web]
type = "HTTP"
endpoint = "https://api.example.com"
allow_external = true

[resolvers."Query.echo"]
data_source = "Echo"

[resolvers."Query.entries"]
data_source = "Ledger"
code = "resolvers/entries.js"

[resolvers."Query.checkout"]
pipeline = ["validate", "save"]
request = "resolvers/before.vtl"
response = "resolvers/after.vtl"

[resolvers."Query.ping"]
data_source = "NONE_DS"
request = "resolvers/ping.req.vtl"
response = "resolvers/ping.res.vtl"

[pipeline_functions.validate]
data_source = "NONE_DS"
code = "resolvers/validate.js"

[pipeline_functions.save]
data_source = "Posts"
request = "resolvers/save.req.vtl"
response = "resolvers/save.res.vtl"
max_batch_size = 5
"""

FILES = ("entries.js", "before.vtl", "after.vtl", "ping.req.vtl", "ping.res.vtl", "validate.js", "save.req.vtl",
         "save.res.vtl")


def file_text(name: str) -> str:
    """A template or module that loads (the emulator parses and checks them at start)."""
    if name.endswith(".js"):
        return f"// {name}\nexport function request(ctx) {{ return {{}}; }}\nexport function response(ctx) {{ return ctx.result; }}\n"
    return f"## {name}\n{{}}\n"


def write_project(root: Path, config: str = CONFIG) -> Path:
    (root / "resolvers").mkdir(parents=True, exist_ok=True)
    (root / "schema.graphql").write_text(SCHEMA)
    for name in FILES:
        (root / "resolvers" / name).write_text(file_text(name))
    path = root / "appsync-emulator.toml"
    path.write_text(config)
    return path


def declared_from(config: Path) -> CustomResolvers:
    settings = load_config(config)
    return load_custom_resolvers(settings, load_api(settings))


def test_a_project_without_amplify_declares_everything_in_the_config(tmp_path: Path) -> None:
    declared = declared_from(write_project(tmp_path))
    sources = declared.data_sources
    assert (sources["Posts"].table, sources["Posts"].model) == ("Post-emulator-local", "Post")
    assert sources["Ledger"].table == "ledger" and sources["Echo"].function_name == "Echo"
    assert sources["Web"].allow_external and sources["Web"].endpoint == "https://api.example.com"
    (ledger,) = declared.tables
    assert ledger.definition["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert ledger.definition["AttributeDefinitions"] == [{"AttributeName": "note", "AttributeType": "S"},
                                                         {"AttributeName": "pk", "AttributeType": "S"},
                                                         {"AttributeName": "sk", "AttributeType": "N"}]
    assert declared.resolver("Query", "echo").handler.is_empty  # a direct Lambda resolver
    entries = declared.resolver("Query", "entries")
    assert entries.handler.runtime == "APPSYNC_JS" and entries.handler.code.text == file_text("entries.js")
    checkout = declared.resolver("Query", "checkout")
    assert checkout.kind == "PIPELINE" and [f.name for f in checkout.functions] == ["validate", "save"]
    assert checkout.functions[0].handler.runtime == "APPSYNC_JS" and checkout.functions[1].max_batch_size == 5
    assert checkout.handler.request.path == (tmp_path / "resolvers" / "before.vtl").resolve()
    assert "[resolvers.Query.checkout]" in checkout.origin


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c + '\n[data_sources.Bad]\ntype = "SQS"\n', "key 'data_sources.Bad.type' must be one of"),
        (lambda c: c + '\n[data_sources.Bad]\ntype = "HTTP"\n', "'data_sources.Bad.endpoint' is required"),
        (lambda c: c + '\n[data_sources.Bad]\ntype = "AWS_LAMBDA"\nendpoint = "http://x"\n', "does not apply to a AWS_LAMBDA"),
        (lambda c: c + '\n[data_sources.Bad]\ntype = "AMAZON_DYNAMODB"\ntable = "t"\npartition_key = "pk:X"\n',
         "must be \"name\" or \"name:S|N|B\""),
        (lambda c: c + '\n[data_sources.Bad]\ntype = "NONE"\ncolour = "red"\n', "unknown key 'data_sources.Bad.colour'"),
        (lambda c: c.replace('code = "resolvers/entries.js"', 'code = "resolvers/entries.js"\nrequest = "resolvers/before.vtl"'),
         "give one or the other"),
        (lambda c: c.replace('pipeline = ["validate", "save"]', 'pipeline = ["validate", "charge"]'),
         "names 'charge', which is not declared in [pipeline_functions]"),
        (lambda c: c.replace('data_source = "Echo"', 'data_source = "Echo"\npipeline = []'), "not both"),
        (lambda c: c.replace('code = "resolvers/validate.js"', 'code = "resolvers/missing.js"'), "does not exist"),
        (lambda c: c + '\n[resolvers.echo]\ndata_source = "Echo"\n', 'must be named "Type.field"'),
    ],
)
def test_config_mistakes_name_the_file_and_key(tmp_path: Path, edit: Any, message: str) -> None:
    config = write_project(tmp_path, edit(CONFIG))
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert str(config) in str(raised.value) and message in str(raised.value)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c.replace('data_source = "Echo"', 'data_source = "Echoo"'), "no data source named 'Echoo'"),
        (lambda c: c.replace('[resolvers."Query.ping"]', '[resolvers."Query.pong"]'), "type Query has no field 'pong'"),
        (lambda c: c.replace('[resolvers."Query.ping"]', '[resolvers."Query.getPost"]'), "generated by Amplify"),
        (lambda c: c + '\n[data_sources.Unknown]\nallow_external = true\n', "'type' is required"),
        (lambda c: c.replace('table = "ledger"', 'table = "PostTable"'), "is the table of model Post"),
    ],
)
def test_declarations_that_do_not_fit_the_schema_stop_the_start(tmp_path: Path, edit: Any, message: str) -> None:
    config = write_project(tmp_path, edit(CONFIG))
    with pytest.raises(CustomResolverError) as raised:
        declared_from(config)
    assert f"{config}: [" in str(raised.value) and message in str(raised.value)


def test_the_config_adjusts_a_projects_data_sources_and_replaces_its_resolvers(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "mock-echo.vtl").write_text('{"version": "2018-05-29", "payload": "mocked"}')
    config = project / "appsync-emulator.toml"
    config.write_text(
        '[data_sources.WeatherService]\nendpoint = "http://127.0.0.1:9000"\n\n'
        '[resolvers."Query.echo"]\ndata_source = "NONE_DS"\nrequest = "mock-echo.vtl"\nresponse = "mock-echo.vtl"\n'
    )
    settings = project_settings(project)
    settings = replace(settings, custom=load_config(config).custom, config_file=config)
    declared = load_custom_resolvers(settings, load_api(settings))
    weather = declared.data_sources["WeatherService"]
    assert (weather.kind, weather.endpoint, weather.allow_external) == ("HTTP", "http://127.0.0.1:9000", False)
    assert "adjusted by" in weather.origin and "CustomResources.json" in weather.origin
    assert declared.resolver("Query", "echo").data_source == "NONE_DS"


def test_declared_tables_are_created_at_start_and_broken_declarations_stop_it(
    tmp_path: Path, dynamodb_client: Any
) -> None:
    engine = Engine(endpoint_url=None, region="us-east-1", embedded=False, _client=dynamodb_client)
    _, _, settings = load_project(api_id="starttest", data_dir=tmp_path / "data")
    generation = build_generation(settings, engine)
    assert "AuditTable-starttest-local" in list_table_names(dynamodb_client)
    described = dynamodb_client.describe_table(TableName="AuditTable-starttest-local")["Table"]
    assert [index["IndexName"] for index in described["GlobalSecondaryIndexes"]] == ["byAuthor"]
    assert generation.custom.resolver("Query", "quote").kind == "PIPELINE"
    dynamodb_client.put_item(TableName="AuditTable-starttest-local", Item={"day": {"S": "d"}, "at": {"S": "t"}})
    build_generation(settings, engine)  # a second start (or a reload) keeps the table and its items
    assert dynamodb_client.scan(TableName="AuditTable-starttest-local")["Count"] == 1
    broken = copy_project(tmp_path)
    (broken / "amplify/backend/api/shopapi/resolvers/Query.echo.req.vtl").unlink()
    broken_settings = project_settings(broken, api_id="starttest2", data_dir=tmp_path / "data")
    with pytest.raises(StartupError, match=r"QueryEchoResolver: RequestMappingTemplateS3Location names "):
        build_generation(broken_settings, engine)


def test_a_changed_template_reaches_the_next_generation(tmp_path: Path, dynamodb_client: Any) -> None:
    config = write_project(tmp_path)
    settings = replace(load_config(config), api_id="reloadtest", data_dir=tmp_path / "data")
    assert (tmp_path / "resolvers").resolve() in watched_paths(settings)
    assert _relevant((None, str(tmp_path / "resolvers" / "entries.js")))  # type: ignore[arg-type]
    engine = Engine(endpoint_url=None, region="us-east-1", embedded=False, _client=dynamodb_client)
    state = AppState(generation=build_generation(settings, engine), engine=engine, hub=None)
    (tmp_path / "resolvers" / "entries.js").write_text("export function request(ctx) { return {}; }\n"
                                                       "export const response = (ctx) => ctx.result;\n")
    assert Reloader(state, lambda: settings).reload_once()
    assert state.generation.custom.resolver("Query", "entries").handler.code.text.startswith("export function request")
