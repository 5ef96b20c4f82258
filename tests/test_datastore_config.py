"""DataStore conflict detection settings: ``transform.conf.json`` ``ResolverConfig``, the config
file's ``[datastore]``, how the two layer, and which models the transform versions (v1 and v2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.amplify.files import AmplifyProjectError
from emulator.amplify.merge import apply_project
from emulator.amplify.project import load_amplify_api
from emulator.amplify.resolver_config import read_resolver_config
from emulator.apimodel import SyncSpec
from emulator.datastore_settings import ConflictSettings, DataStoreSettings
from emulator.settings import ConfigError, load_config
from emulator.transform import SchemaError, TransformOptions, transform

CONF = Path("transform.conf.json")
TWO_MODELS = """
type Todo @model { id: ID! name: String }
type Project @model { id: ID! title: String }
"""


def test_project_and_model_entries_are_read() -> None:
    datastore, warnings = read_resolver_config({
        "project": {"ConflictHandler": "AUTOMERGE", "ConflictDetection": "VERSION"},
        "models": {"Todo": {"ConflictHandler": "LAMBDA", "ConflictDetection": "VERSION",
                            "LambdaConflictHandler": {"name": "resolver-${env}", "lambdaArn": "arn:x"}}},
    }, CONF)
    assert warnings == []
    assert datastore.project == ConflictSettings("AUTOMERGE")
    assert datastore.for_model("Todo") == ConflictSettings("LAMBDA", "resolver-${env}")
    assert datastore.for_model("Project") == ConflictSettings("AUTOMERGE")


def test_an_incomplete_model_entry_falls_back_to_the_project_with_amplifys_warning() -> None:
    datastore, warnings = read_resolver_config({
        "project": {"ConflictHandler": "OPTIMISTIC_CONCURRENCY", "ConflictDetection": "VERSION"},
        "models": {"Todo": {"ConflictHandler": "AUTOMERGE"}},
    }, CONF)
    assert datastore.for_model("Todo") == ConflictSettings("OPTIMISTIC_CONCURRENCY")
    assert warnings == [f"{CONF}: Invalid resolverConfig for type Todo. Using the project resolverConfig instead."]


@pytest.mark.parametrize(("entry", "words"), [
    ({"ConflictHandler": "LAMBDA", "ConflictDetection": "VERSION"}, "Invalid Lambda SyncConfig"),
    ({"ConflictHandler": "NEWEST_WINS", "ConflictDetection": "VERSION"}, "ConflictHandler must be one of"),
    ({"ConflictHandler": "AUTOMERGE", "ConflictDetection": "TIMESTAMP"}, "ConflictDetection must be \"VERSION\""),
])
def test_a_wrong_project_entry_stops_the_start_naming_the_file(entry: dict, words: str) -> None:
    with pytest.raises(AmplifyProjectError) as raised:
        read_resolver_config({"project": entry}, CONF)
    assert str(raised.value).startswith(f"{CONF}: ResolverConfig.project")
    assert words in str(raised.value)


def test_no_resolver_config_means_no_datastore() -> None:
    assert not read_resolver_config(None, CONF)[0].enabled
    assert not read_resolver_config({}, CONF)[0].enabled


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "appsync-emulator.toml"
    path.write_text(text)
    return path


def test_config_file_datastore_table(tmp_path: Path) -> None:
    settings = load_config(_config(tmp_path, """
[datastore]
conflict_handler = "OPTIMISTIC_CONCURRENCY"
delta_sync_table_ttl = 5
[datastore.models.Todo]
conflict_handler = "LAMBDA"
lambda_function = "todoResolver"
"""))
    assert settings.datastore == DataStoreSettings(
        ConflictSettings("OPTIMISTIC_CONCURRENCY"), (("Todo", ConflictSettings("LAMBDA", "todoResolver")),),
        delta_sync_table_ttl=5)


@pytest.mark.parametrize(("text", "words"), [
    ('[datastore]\nconflict_handler = "LAMBDA"\n', "'datastore.lambda_function'"),
    ('[datastore]\nconflict_handler = "SERVER_WINS"\n', "'datastore.conflict_handler' must be one of"),
    ('[datastore.models.Todo]\nlambda_function = "x"\n', "'datastore.models.Todo.conflict_handler' is required"),
    ('[datastore]\nbase_table_ttl = -1\n', "'datastore.base_table_ttl' must be minutes"),
    ('[datastore]\nhandler = "AUTOMERGE"\n', "unknown key 'datastore.handler'"),
])
def test_config_file_mistakes_name_the_key(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(_config(tmp_path, text))
    assert words in str(raised.value)


def test_the_config_file_wins_key_by_key_over_the_project(tmp_path: Path) -> None:
    project = tmp_path / "app"
    api_dir = project / "amplify" / "backend" / "api" / "todoapi"
    api_dir.mkdir(parents=True)
    (api_dir / "schema.graphql").write_text(TWO_MODELS)
    (api_dir / "transform.conf.json").write_text(json.dumps({"Version": 5, "ResolverConfig": {
        "project": {"ConflictHandler": "AUTOMERGE", "ConflictDetection": "VERSION"},
        "models": {"Project": {"ConflictHandler": "OPTIMISTIC_CONCURRENCY", "ConflictDetection": "VERSION"}}}}))
    config = _config(tmp_path, '[datastore.models.Todo]\nconflict_handler = "OPTIMISTIC_CONCURRENCY"\n'
                               '[datastore]\ndelta_sync_table_ttl = 1\n')
    settings = apply_project(load_config(config), load_amplify_api(project))
    assert settings.datastore.for_model("Todo") == ConflictSettings("OPTIMISTIC_CONCURRENCY")  # the config's
    assert settings.datastore.for_model("Project") == ConflictSettings("OPTIMISTIC_CONCURRENCY")  # the project's
    assert settings.datastore.project == ConflictSettings("AUTOMERGE")
    assert settings.datastore.delta_sync_table_ttl == 1


def _options(version: str, datastore: DataStoreSettings) -> TransformOptions:
    return TransformOptions(version=version, datastore=datastore)  # type: ignore[arg-type]


def test_v2_versions_every_model_and_v1_only_those_with_a_handler() -> None:
    todo_only = DataStoreSettings(models=(("Todo", ConflictSettings("OPTIMISTIC_CONCURRENCY")),))
    v1 = transform(TWO_MODELS, _options("v1", todo_only))
    assert v1.models["Todo"].sync == SyncSpec("OPTIMISTIC_CONCURRENCY")
    assert v1.models["Project"].sync is None
    assert v1.root("Query", "syncTodos") is not None and v1.root("Query", "syncProjects") is None
    with pytest.raises(SchemaError) as raised:
        transform(TWO_MODELS, _options("v2", todo_only))
    assert "no conflict handler for model Project" in raised.value.message
    assert raised.value.line == 3
    everything = transform(TWO_MODELS, _options("v2", DataStoreSettings(ConflictSettings("AUTOMERGE"))))
    assert {name: m.sync for name, m in everything.models.items()} == {"Todo": SyncSpec(), "Project": SyncSpec()}
    assert everything.root("Query", "syncProjects").kind == "sync"  # type: ignore[union-attr]
    assert everything.uses_datastore


def test_without_datastore_nothing_changes() -> None:
    api = transform(TWO_MODELS, _options("v2", DataStoreSettings()))
    assert not api.uses_datastore
    assert "_version" not in api.sdl and "syncTodos" not in api.sdl
