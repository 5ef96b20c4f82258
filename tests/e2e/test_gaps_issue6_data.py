"""Issue 6 gaps, data files: import/export/seed files over the real CLI and server — a bad file
changes nothing, DynamoDB JSON round-trips, a running server's data dir is protected, a damaged
journal stops the start."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import start_emulator
from tests.e2e.cli_runner import cli
from tests.e2e.graphql_answers import data
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA

# --- data files -----------------------------------------------------------------------------------------


@pytest.fixture()
def blog_data(tmp_path: Path) -> Path:
    """A data dir holding the blog example's tables with one blog in them."""
    running = start_emulator(BLOG_SCHEMA, BLOG_CONFIG, data_dir=tmp_path, in_memory=False)
    try:
        data(running.graphql('mutation { createBlog(input: {id: "kept", name: "Kept"}) { id } }'))
    finally:
        running.stop()
    return tmp_path


def exported(data_dir: Path, *flags: str, config: Path | None = None) -> dict[str, Any]:
    config = config or data_dir / "appsync-emulator.toml"
    done = cli("export", "--config", str(config), "--data-dir", str(data_dir), *flags)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


BAD_FILES = [
    ({"Blog": [{"id": "new", "name": "fine"}, {"id": None, "name": "no key"}]}, "'Blog' item 1: 'id' is a key attribute"),
    ({"Blog": [{"id": "new", "name": "fine"}, {"id": "", "name": "empty"}]}, "'Blog' item 1: 'id' is a key attribute and cannot be empty"),
    ({"Post": [{"id": "p", "title": "t", "status": "s", "rating": "high"}]}, "'Post' item 0: field 'rating': Int cannot represent non-integer value: 'high'"),
    ({"Blog": [{"PutRequest": {"Item": {"id": {"Q": "typo"}}}}]}, "a PutRequest Item must be DynamoDB JSON"),
    ({"Blog": [{"id": "new", "name": "fine"}], "Nope": [{"id": "x"}]}, "'Nope' is neither a model of the schema nor a table"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES, ids=["null-key", "empty-key", "index-key-type", "put-request",
                                                                  "unknown-model"])
def test_a_bad_import_file_is_refused_and_changes_nothing(blog_data: Path, content: dict, message: str) -> None:
    before = exported(blog_data)
    bad = blog_data / "bad.json"
    bad.write_text(json.dumps(content))
    done = cli("import", str(bad), "--config", str(blog_data / "appsync-emulator.toml"), "--data-dir", str(blog_data))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert message in done.stderr, done.stderr
    assert exported(blog_data) == before


def test_null_index_keys_are_left_out_as_a_create_leaves_them_out(blog_data: Path) -> None:
    seed = blog_data / "seed.json"
    seed.write_text(json.dumps({"Post": [{"id": "loose", "title": "no blog", "blogPostsId": None}]}))
    done = cli("import", str(seed), "--config", str(blog_data / "appsync-emulator.toml"), "--data-dir", str(blog_data))
    assert done.returncode == 0, done.stderr
    (post,) = exported(blog_data, "--dynamodb-json")["Post"]
    assert "blogPostsId" not in post  # DynamoDB refuses a NULL index key; createPost drops it


def sets_sorted(item: dict[str, Any]) -> dict[str, Any]:
    return {name: ({kind: sorted(raw)} if kind in ("SS", "NS", "BS") else {kind: raw})
            for name, value in item.items() for kind, raw in value.items()}


def test_dynamodb_json_export_and_import_keep_types_exactly(blog_data: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    raw = {"id": {"S": "typed"}, "name": {"S": "Typed"}, "tags": {"SS": ["a", "b"]}, "blob": {"B": base64.b64encode(b"\x00\xff").decode()},
           "scores": {"NS": ["1", "2.5"]}, "nested": {"M": {"flag": {"BOOL": True}, "none": {"NULL": True}}}}
    source = blog_data / "typed.json"
    source.write_text(json.dumps({"Blog-emulator-local": [{"PutRequest": {"Item": raw}}]}))
    config = str(blog_data / "appsync-emulator.toml")
    assert cli("import", str(source), "--config", config, "--data-dir", str(blog_data)).returncode == 0
    exact = exported(blog_data, "--dynamodb-json")
    (typed,) = [item for item in exact["Blog"] if item["id"] == {"S": "typed"}]
    assert sets_sorted(typed) == sets_sorted(raw)  # sets have no order; every type is kept
    target = tmp_path_factory.mktemp("typed-target")
    again = target / "exact.json"
    again.write_text(json.dumps(exact))
    assert cli("import", str(again), "--config", config, "--data-dir", str(target)).returncode == 0
    assert exported(target, "--dynamodb-json", config=blog_data / "appsync-emulator.toml") == exact


def test_import_through_a_running_server_and_a_second_server_is_refused(tmp_path: Path) -> None:
    running = start_emulator(BLOG_SCHEMA, BLOG_CONFIG, data_dir=tmp_path, in_memory=False)
    try:
        second = cli("serve", str(BLOG_SCHEMA), "--config", str(tmp_path / "appsync-emulator.toml"),
                     "--data-dir", str(tmp_path), "--port", "0")
        assert second.returncode == 2 and "is in use by another appsync-emulator process" in second.stderr
        seed = tmp_path / "live.json"
        seed.write_text(json.dumps({"Blog": [{"id": "live", "name": "Live"}]}))
        done = cli("import", str(seed), "--config", str(tmp_path / "appsync-emulator.toml"),
                   "--dynamodb-endpoint", running.base_url)
        assert done.returncode == 0, done.stderr
        assert data(running.graphql('{ getBlog(id: "live") { name __typename } }')) == {
            "getBlog": {"name": "Live", "__typename": "Blog"}}
    finally:
        running.stop()


def test_a_damaged_journal_stops_the_start_and_deletes_nothing(tmp_path: Path) -> None:
    """A damaged line before the last is not a torn write: the start stops, naming file and line."""
    running = start_emulator(BLOG_SCHEMA, BLOG_CONFIG, data_dir=tmp_path, in_memory=False)
    for name in ("first", "second"):
        data(running.graphql("mutation($n: String!) { createBlog(input: {name: $n}) { id } }", {"n": name}))
    running.process.kill()  # kill -9: the writes stay in the journal
    running.process.wait(timeout=10)
    journals = sorted((tmp_path / "tables").glob("journal-*.jsonl"))
    lines = journals[-1].read_text().splitlines()
    assert len(lines) >= 2
    journals[-1].write_text("\n".join(["{not json}", *lines[1:]]) + "\n")
    files_before = sorted(p.name for p in (tmp_path / "tables").iterdir())
    done = cli("serve", str(BLOG_SCHEMA), "--config", str(tmp_path / "appsync-emulator.toml"), "--data-dir", str(tmp_path),
               "--port", "0")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{journals[-1].name}: line 1 is not a valid journal entry" in done.stderr, done.stderr
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == files_before
