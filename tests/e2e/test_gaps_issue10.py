"""Issue 10, what a new user hits, over the real CLI and server: no log line per internal engine call,
a failed reload printed once, a port in use said in one line, ``export`` on a running server's data
dir pointing at ``--dynamodb-endpoint``; ``--seed`` and ``import`` refusing what ``createX`` refuses;
the generated IAM secret printed at start, and a leftover ``AWS_SESSION_TOKEN`` refused with what
to set.

One server (persisted tables, hot reload on) serves most of the module; one with no config at all
(generated credentials) the IAM part.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.cli_runner import cli
from tests.e2e.graphql_answers import data
from tests.e2e.waiting import eventually
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningEmulator, Path]]:
    home = tmp_path_factory.mktemp("issue10")
    schema = home / "schema.graphql"
    shutil.copy(BLOG_SCHEMA, schema)
    running = start_emulator(schema, BLOG_CONFIG, data_dir=home / "data", in_memory=False, extra_args=[])
    try:
        yield running, schema
    finally:
        running.stop()


def test_engine_calls_log_no_internal_port(served: tuple[RunningEmulator, Path]) -> None:
    """httpx logged every call to the embedded engine (``INFO httpx: HTTP Request: POST
    http://127.0.0.1:<internal port>/``): one line per DynamoDB call, naming a port nobody can use."""
    running, _ = served
    data(running.graphql('mutation { createBlog(input: {name: "logged"}) { id } }'))
    assert running.dynamodb().list_tables()["TableNames"]
    eventually(lambda: any("appsync_emulator.request: mutation" in line for line in running.output))
    assert not [line for line in running.output if "httpx" in line or "HTTP Request" in line]


def test_a_failed_reload_is_printed_once(served: tuple[RunningEmulator, Path]) -> None:
    running, schema = served
    good = schema.read_text()
    schema.write_text(good + "\ntype Broken @model { id: ID! x: String @index(nme: \"bad\") }\n")
    eventually(lambda: any("reload failed" in line for line in running.output))
    schema.write_text(good + "\ntype Fixed @model { id: ID! }\n")
    eventually(lambda: any("Reloaded the API" in line for line in running.output))
    failures = [line for line in running.output if "reload failed" in line]
    assert len(failures) == 1, failures
    assert failures[0].startswith("appsync-emulator: reload failed, still serving the previous API: ")


def test_a_port_in_use_is_one_line(served: tuple[RunningEmulator, Path], tmp_path: Path) -> None:
    running, schema = served
    done = cli("serve", str(schema), "--port", str(running.port), "--data-dir", str(tmp_path), "--in-memory")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"appsync-emulator: cannot listen on 127.0.0.1:{running.port}: Address already in use"]


def test_export_on_a_running_servers_data_dir_suggests_its_endpoint(served: tuple[RunningEmulator, Path]) -> None:
    running, _ = served
    done = cli("export", "--config", str(running.config_path), "--data-dir", str(running.data_dir))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is in use by another appsync-emulator process" in done.stderr
    assert "go through that server instead with --dynamodb-endpoint http://127.0.0.1:20002" in done.stderr
    through = cli("export", "--config", str(running.config_path), "--dynamodb-endpoint", running.base_url)
    assert through.returncode == 0 and '"logged"' in through.stdout, through.stderr


@pytest.fixture(scope="module")
def unconfigured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    running = start_emulator(BLOG_SCHEMA, None, data_dir=tmp_path_factory.mktemp("generated"))
    try:
        yield running
    finally:
        running.stop()


def printed_secret(running: RunningEmulator) -> str:
    line = next(line for line in running.output if line.startswith("IAM secret access key: "))
    secret, where = line.removeprefix("IAM secret access key: ").split(" ", 1)
    assert where == f"(generated, kept in {running.data_dir / 'auth' / 'generated-credentials.json'})"
    return secret


def test_the_generated_iam_secret_is_printed_at_start(unconfigured: RunningEmulator) -> None:
    """A user can sign requests with what the start printed, without reading the data dir."""
    secret = printed_secret(unconfigured)
    signed = unconfigured.iam_graphql("{ listNotes { items { id } } }", access_key_id=unconfigured.iam_access_key_id,
                                      secret_access_key=secret)
    assert data(signed) == {"listNotes": {"items": []}}


def test_a_leftover_session_token_is_refused_with_what_to_set(unconfigured: RunningEmulator) -> None:
    """As after an SSO sign-in: the emulator's key pair, plus AWS_SESSION_TOKEN still in the environment."""
    refused = unconfigured.iam_graphql("{ listNotes { items { id } } }", access_key_id=unconfigured.iam_access_key_id,
                                       secret_access_key=printed_secret(unconfigured), session_token="IQoJb3JpZ2luX2VjE")
    assert refused.status_code == 401
    message = refused.json()["errors"][0]["message"]
    assert message.startswith("The security token included in the request is invalid. ")
    assert "unset AWS_SESSION_TOKEN" in message and "session_token" in message


def test_configured_key_pairs_are_not_printed(served: tuple[RunningEmulator, Path]) -> None:
    running, _ = served
    assert running.iam_access_key_id == "AKIABLOGEXAMPLELOCAL"
    assert not [line for line in running.output if "secret" in line.lower()]


ISSUE_EXAMPLE = {"Blog": [{"id": 5, "name": 7}, {"id": "b3"}]}  # a number for a String, a required field missing


def test_seed_refuses_what_create_refuses(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(ISSUE_EXAMPLE))
    config = tmp_path / "appsync-emulator.toml"
    config.write_text(BLOG_CONFIG)
    done = cli("serve", str(BLOG_SCHEMA), "--config", str(config), "--data-dir", str(tmp_path / "data"),
               "--in-memory", "--port", "0", "--no-reload", "--seed", str(seed))
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"appsync-emulator: {seed}: 'Blog' item 0: field 'name': String cannot represent a non string value: 7")


def test_import_refuses_what_create_refuses_and_writes_nothing(served: tuple[RunningEmulator, Path], tmp_path: Path) -> None:
    running, _ = served
    before = data(running.graphql("{ listBlogs { items { id name } } }"))
    for items, message in [(ISSUE_EXAMPLE["Blog"][1:], "'Blog' item 0: field 'name' (String!) is required, and the item has none"),
                           ([{"id": "b4", "name": "ok"}, {"id": "b5", "name": "ok", "tags": ["x"]}],
                            "'Blog' item 1: field 'tags' is not a field of Blog")]:
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"Blog": items}))
        done = cli("import", str(bad), "--config", str(running.config_path), "--dynamodb-endpoint", running.base_url)
        assert done.returncode == 2 and message in done.stderr, done.stderr
    assert data(running.graphql("{ listBlogs { items { id name } } }")) == before
