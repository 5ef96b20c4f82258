"""Data files (export, import, --seed): the format, item completion, errors that change nothing,
round trips, and the CLI working on a data dir without a server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.apimodel import ApiModel, FieldSpec, IndexSpec, KeySpec, ModelSpec
from emulator.cli import main
from emulator.data_export import dump_data, export_data
from emulator.data_files import (
    DataFileError,
    complete_item,
    import_data,
    read_data_file,
    stable_id,
)
from emulator.engine import Engine, ensure_tables, start_engine
from emulator.settings import Settings
from emulator.transform import TransformOptions, transform
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA

pytestmark = pytest.mark.usefixtures("own_moto_state")  # moto's tables are process-global
SETTINGS = Settings()
NOW = "2026-01-02T03:04:05.678Z"


@pytest.fixture(scope="module")
def blog_api() -> ApiModel:
    return transform(BLOG_SCHEMA.read_text(), TransformOptions(additional_auth=("AMAZON_COGNITO_USER_POOLS", "AWS_IAM")))


@pytest.fixture
def engine(blog_api: ApiModel) -> Iterator[Engine]:
    started = start_engine(None, "us-east-1")
    ensure_tables(started.client(), blog_api, SETTINGS.table_name)
    yield started
    started.close()


def write_file(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def items(client: Any, table: str) -> dict[str, dict[str, Any]]:
    return {item["id"]["S"]: item for item in client.scan(TableName=table)["Items"]}


# ---------------------------------------------------------------------------------------------
# Reading files


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"Post": [', "not valid JSON: Expecting value at line 1 column 11"),
        ('[{"id": 1}]', "expected one JSON object"),
        ('{"Post": {"id": "p"}}', "'Post' must be a list of items, got a dict"),
        ('{"Post": [{"id": "p"}, 3]}', "'Post' item 1: expected a non-empty JSON object"),
        ('{"Post": [{}]}', "'Post' item 0: expected a non-empty JSON object"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write_file(tmp_path / "seed.json", text)
    with pytest.raises(DataFileError) as caught:
        read_data_file(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="nope.json: cannot read"):
        read_data_file(tmp_path / "nope.json")


def test_batch_write_requests_are_unwrapped(tmp_path: Path) -> None:
    path = write_file(tmp_path / "seed.json", {"Post": [{"PutRequest": {"Item": {"id": {"S": "p"}}}}]})
    assert read_data_file(path) == {"Post": [{"id": {"S": "p"}}]}


# ---------------------------------------------------------------------------------------------
# Completing plain items


INVENTORY = ModelSpec(
    name="Inventory",
    primary_key=KeySpec("sku", ("warehouse", "bin")),
    fields={name: FieldSpec(name, "String") for name in ("sku", "warehouse", "bin", "region", "city", "size")},
    indexes=(IndexSpec("byRegion", KeySpec("region", ("city", "size"))),),
    defaults={"size": "M"},
    key_types={"sku": "S", "region": "S"},
)


def test_plain_items_are_completed_as_a_create_would(blog_api: ApiModel) -> None:
    post = complete_item(blog_api.models["Post"], {"title": "Hi", "rating": 3}, NOW)
    assert post == {"title": "Hi", "rating": 3, "createdAt": NOW, "updatedAt": NOW, "__typename": "Post",
                    "id": stable_id("Post", {"title": "Hi", "rating": 3})}
    given = complete_item(blog_api.models["Post"], {"id": "p1", "createdAt": "2020-01-01T00:00:00.000Z"}, NOW)
    assert given["id"] == "p1" and given["createdAt"] == "2020-01-01T00:00:00.000Z"


def test_stable_ids_follow_the_content() -> None:
    assert stable_id("Post", {"title": "a"}) == stable_id("Post", {"title": "a"})
    assert stable_id("Post", {"title": "a"}) != stable_id("Post", {"title": "b"})
    assert stable_id("Post", {"title": "a"}) != stable_id("Blog", {"title": "a"})


def test_composite_keys_defaults_and_key_types() -> None:
    item = complete_item(INVENTORY, {"sku": 42, "warehouse": "w1", "bin": 7, "region": "eu", "city": "Paris"}, NOW)
    assert item["warehouse#bin"] == "w1#7"
    assert item["size"] == "M" and item["city#size"] == "Paris#M"
    assert item["sku"] == "42"  # a string key attribute, whatever the fixture wrote
    assert "id" not in item  # the model has no id field


# ---------------------------------------------------------------------------------------------
# Import


def test_import_plain_items_by_model_name(tmp_path: Path, engine: Engine, blog_api: ApiModel) -> None:
    client = engine.client()
    path = write_file(tmp_path / "seed.json", {
        "Blog": [{"id": "b1", "name": "Local"}],
        "Post": [{"id": "p1", "title": "One", "status": "live", "rating": 4, "blogPostsId": "b1"},
                 {"title": "No id", "status": "live", "rating": 2}],
    })
    counts = import_data(client, read_data_file(path), path, SETTINGS, blog_api)
    assert counts == {"Blog-emulator-local": 1, "Post-emulator-local": 2}
    posts = items(client, "Post-emulator-local")
    assert posts["p1"]["rating"] == {"N": "4"} and posts["p1"]["__typename"] == {"S": "Post"}
    assert "createdAt" in posts["p1"] and len(posts) == 2
    live = client.query(TableName="Post-emulator-local", IndexName="byStatus", KeyConditionExpression="#s = :s",
                        ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "live"}})
    assert [i["rating"]["N"] for i in live["Items"]] == ["2", "4"]

    import_data(client, read_data_file(path), path, SETTINGS, blog_api)  # seeding twice: same items
    assert len(items(client, "Post-emulator-local")) == 2


def test_dynamodb_json_and_table_names_are_written_as_given(tmp_path: Path, engine: Engine) -> None:
    client = engine.client()
    raw = {"id": {"S": "p1"}, "tags": {"SS": ["a", "b"]}, "bin": {"B": "AAH/"}, "n": {"NS": ["1", "2.5"]}}
    path = write_file(tmp_path / "seed.json", {"Post-emulator-local": [raw]})
    import_data(client, read_data_file(path), path, SETTINGS, None)
    stored = items(client, "Post-emulator-local")["p1"]
    assert stored["bin"] == {"B": b"\x00\x01\xff"} and sorted(stored["tags"]["SS"]) == ["a", "b"]
    assert "__typename" not in stored  # DynamoDB JSON is not completed


def test_later_items_with_the_same_key_win_and_big_files_batch(tmp_path: Path, engine: Engine, blog_api: ApiModel) -> None:
    client = engine.client()
    blogs = [{"id": f"b{n}", "name": f"n{n}"} for n in range(60)] + [{"id": "b3", "name": "last"}]
    path = write_file(tmp_path / "seed.json", {"Blog": blogs})
    import_data(client, read_data_file(path), path, SETTINGS, blog_api)
    stored = items(client, "Blog-emulator-local")
    assert len(stored) == 60 and stored["b3"]["name"] == {"S": "last"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"Blog": [{"id": "ok", "name": "x"}], "Nope": [{"id": "1"}]}, "'Nope' is neither a model of the schema nor a table"),
        ({"Blog": [{"id": "ok", "name": "x"}], "Post-emulator-local": [{"title": {"S": "no key"}}]},
         "'Post-emulator-local' item 0: missing key attribute 'id'"),
        ({"Blog": [{"id": "ok", "name": "x"}, {"id": "bad", "score": float("nan")}]}, "'Blog' item 1:"),
    ],
)
def test_a_bad_item_stops_the_import_before_any_write(
    tmp_path: Path, engine: Engine, blog_api: ApiModel, data: dict[str, Any], message: str
) -> None:
    client = engine.client()
    path = write_file(tmp_path / "seed.json", json.dumps(data))
    with pytest.raises(DataFileError) as caught:
        import_data(client, read_data_file(path), path, SETTINGS, blog_api)
    assert str(path) in str(caught.value) and message in str(caught.value)
    assert items(client, "Blog-emulator-local") == {}


# ---------------------------------------------------------------------------------------------
# Export


def test_export_is_plain_sorted_and_keyed_by_model(tmp_path: Path, engine: Engine, blog_api: ApiModel) -> None:
    client = engine.client()
    client.put_item(TableName="Blog-emulator-local", Item={"id": {"S": "b2"}, "name": {"S": "two"}})
    client.put_item(TableName="Blog-emulator-local", Item={"id": {"S": "b1"}, "name": {"S": "one"},
                                                           "n": {"N": "1.50"}, "s": {"SS": ["y", "x"]}})
    exported = export_data(client, SETTINGS)
    assert exported["Blog"] == [{"id": "b1", "name": "one", "n": 1.5, "s": ["x", "y"]}, {"id": "b2", "name": "two"}]
    assert exported["Post"] == [] and exported["Comment"] == []


def test_dynamodb_json_export_round_trips_every_type(tmp_path: Path, engine: Engine) -> None:
    client = engine.client()
    item = {"id": {"S": "p1"}, "b": {"B": b"\x00\xff"}, "bs": {"BS": [b"\x01"]}, "ns": {"NS": ["1", "2.5"]},
            "m": {"M": {"l": {"L": [{"NULL": True}, {"BOOL": False}, {"N": "-3"}]}}}}
    client.put_item(TableName="Post-emulator-local", Item=item)
    path = write_file(tmp_path / "export.json", dump_data(export_data(client, SETTINGS, dynamodb_json=True)))
    client.delete_item(TableName="Post-emulator-local", Key={"id": {"S": "p1"}})
    import_data(client, read_data_file(path), path, SETTINGS, None)
    assert items(client, "Post-emulator-local")["p1"] == item


# ---------------------------------------------------------------------------------------------
# The CLI on a data dir, no server running


def test_cli_import_then_export_on_a_data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_file(tmp_path / "appsync-emulator.toml", BLOG_CONFIG)
    data_dir = tmp_path / "data"
    seed = write_file(tmp_path / "seed.json", {"Blog": [{"id": "b1", "name": "Local"}],
                                               "Post": [{"id": "p1", "title": "T", "blogPostsId": "b1"}]})
    common = ["--config", str(config), "--data-dir", str(data_dir)]
    assert main(["import", str(seed), *common]) == 0
    assert "Post-emulator-local: 1 items" in capsys.readouterr().err

    out = tmp_path / "export.json"
    assert main(["export", *common, "--out", str(out)]) == 0
    exported = json.loads(out.read_text())
    assert exported["Blog"][0]["name"] == "Local" and exported["Post"][0]["__typename"] == "Post"

    again = tmp_path / "again"
    assert main(["import", str(out), "--config", str(config), "--data-dir", str(again)]) == 0
    assert main(["export", "--config", str(config), "--data-dir", str(again)]) == 0
    assert json.loads(capsys.readouterr().out) == exported


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data-dir", str(tmp_path / "none")]) == 2
    assert "no stored tables here" in capsys.readouterr().err
    bad = write_file(tmp_path / "bad.json", "{")
    assert main(["import", str(bad), "--data-dir", str(tmp_path / "d")]) == 2
    assert f"{bad}: not valid JSON" in capsys.readouterr().err
