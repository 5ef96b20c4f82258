"""Issue 6 over the real wire: the README's pytest example run as written, the handle's IAM
helper, data files that are refused without changing anything, DynamoDB JSON round trips,
hot reload of indexes and config, Amplify projects from the command line, client config kept
in place, the explorer's endpoints and the request log.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.cli_runner import cli
from tests.e2e.graphql_answers import data
from tests.e2e.waiting import eventually
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
KEY = "da2-gapsissuesixkey00000000000"
CONFIG = f'[auth]\ndefault = "API_KEY"\n[auth.api_key]\nkeys = ["{KEY}"]\n'






# --- the README's "Testing your app with pytest" example, as written -------------------------------

NOTES_SCHEMA = """
type Note @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  content: String
}
"""

CONFIG_FROM_README = """
[auth]
default = "AMAZON_COGNITO_USER_POOLS"
additional = ["API_KEY"]
[auth.api_key]
keys = ["da2-testkey00000000000000000"]
"""


@pytest.fixture(scope="module")
def notes_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An app folder with the schema where the example expects it; the example runs from there."""
    project = tmp_path_factory.mktemp("notes-app")
    schema = project / "amplify" / "backend" / "api" / "notes" / "schema.graphql"
    schema.parent.mkdir(parents=True)
    schema.write_text(NOTES_SCHEMA)
    before = Path.cwd()
    os.chdir(project)
    try:
        yield project
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def api(emulator_server, notes_project: Path):  # type: ignore[no-untyped-def]  # the README's fixture
    return emulator_server("amplify/backend/api/notes/schema.graphql", CONFIG_FROM_README)


def test_owner_sees_own_notes(api):  # type: ignore[no-untyped-def]  # the README's test, unchanged
    alice = api.token("alice", groups=("Editors",))          # a signed user-pool JWT
    created = api.graphql('mutation { createNote(input: {content: "hi"}) { id owner } }', token=alice)
    assert created.json()["data"]["createNote"]["owner"] == "alice"
    bob = api.token("bob")
    listed = api.graphql("{ listNotes { items { id } } }", token=bob).json()
    assert listed["data"]["listNotes"]["items"] == []           # owner rule filters bob out
    table = api.dynamodb().scan(TableName="Note-emulator-local")  # boto3 on the same tables
    assert table["Count"] == 1


# --- the handle's IAM-signed helper ---------------------------------------------------------------------

IAM_SCHEMA = """
type Job @model @auth(rules: [{ allow: private, provider: iam }]) {
  id: ID!
  name: String
}
"""


def test_iam_helper_signs_with_the_configured_or_generated_key_pair(tmp_path: Path) -> None:
    (tmp_path / "schema.graphql").write_text(IAM_SCHEMA)
    configured = CONFIG.replace('default = "API_KEY"', 'default = "AWS_IAM"') + (
        '[auth.iam]\nauth_role_arn = "arn:aws:iam::123456789012:role/jobs-auth"\n'
        '[[auth.iam.credentials]]\naccess_key_id = "AKIDJOBS"\nsecret_access_key = "jobs-secret"\n'
        'role_arn = "arn:aws:iam::123456789012:role/jobs-auth"\n'
    )
    running = start_emulator(tmp_path / "schema.graphql", configured, data_dir=tmp_path / "configured")
    try:
        created = running.iam_graphql('mutation { createJob(input: {name: "nightly"}) { name } }')
        assert created.json() == {"data": {"createJob": {"name": "nightly"}}}
        wrong = running.iam_graphql("{ listJobs { items { id } } }", access_key_id="AKIDJOBS", secret_access_key="nope")
        assert wrong.status_code == 403 and wrong.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
    finally:
        running.stop()
    generated = start_emulator(tmp_path / "schema.graphql", None, data_dir=tmp_path / "generated")
    try:  # no config: the key pair the server generated and printed
        signed = generated.iam_graphql("{ __typename }")
        assert signed.status_code == 200, signed.text
        assert generated.iam_access_key_id in signed.request.headers["authorization"]
    finally:
        generated.stop()


# --- hot reload: a new index on an existing table, and the config ------------------------------------

RELOAD_V1 = 'input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\ntype Todo @model { id: ID! name: String! }\n'
RELOAD_V2 = RELOAD_V1.replace("name: String! }", 'name: String! @index(name: "byName", queryField: "todosByName") }')


def test_a_new_index_on_an_existing_table_serves_the_existing_items(tmp_path: Path) -> None:
    schema = tmp_path / "schema.graphql"
    schema.write_text(RELOAD_V1)
    server = start_emulator(schema, CONFIG, data_dir=tmp_path / "data", extra_args=[])
    try:
        data(server.graphql('mutation { createTodo(input: {id: "t1", name: "old item"}) { id } }'))
        schema.write_text(RELOAD_V2)
        eventually(lambda: "todosByName" in server.graphql("{ __schema { queryType { fields { name } } } }").text)
        found = data(server.graphql('{ todosByName(name: "old item") { items { id } } }'))
        assert found == {"todosByName": {"items": [{"id": "t1"}]}}
    finally:
        assert server.stop() == 0


def test_config_changes_are_applied_and_a_broken_config_keeps_the_old_one(tmp_path: Path) -> None:
    schema = tmp_path / "schema.graphql"
    schema.write_text(RELOAD_V1)
    server = start_emulator(schema, CONFIG, data_dir=tmp_path / "data", extra_args=[])
    assert server.config_path is not None
    try:
        new_key = "da2-gapsissuesixrotated000000"
        server.config_path.write_text(CONFIG.replace(KEY, new_key))
        eventually(lambda: server.graphql("{ __typename }", api_key=new_key).status_code == 200)
        assert server.graphql("{ __typename }", api_key=KEY).status_code == 401
        server.config_path.write_text(CONFIG + "[auth.nonsense]\n")
        eventually(lambda: any("reload failed" in line for line in server.output))
        assert server.graphql("{ __typename }", api_key=new_key).status_code == 200
    finally:
        assert server.stop() == 0


RELOAD_NEW_KEY = RELOAD_V1.replace("type Todo @model { id: ID! name: String! }",
                                   'type Todo @model { name: String! @primaryKey(sortKeyFields: ["id"]) id: ID! }')


def test_a_changed_primary_key_is_refused_on_reload_and_at_start(tmp_path: Path) -> None:
    """DynamoDB cannot re-key a table: the reload keeps the old API, a restart stops, both say why."""
    schema = tmp_path / "schema.graphql"
    schema.write_text(RELOAD_V1)
    server = start_emulator(schema, CONFIG, data_dir=tmp_path / "data", in_memory=False, extra_args=[])
    try:
        data(server.graphql('mutation { createTodo(input: {id: "t1", name: "kept"}) { id } }'))
        schema.write_text(RELOAD_NEW_KEY)
        eventually(lambda: any("reload failed" in line for line in server.output))
        (line,) = [line for line in server.output if line.startswith("appsync-emulator: reload failed")]
        assert "table Todo-emulator-local: its key is id (HASH S), the schema asks for name (HASH S), id (RANGE S)" in line
        assert data(server.graphql('{ getTodo(id: "t1") { name } }')) == {"getTodo": {"name": "kept"}}
    finally:
        assert server.stop() == 0
    done = cli("serve", str(schema), "--config", str(tmp_path / "data" / "appsync-emulator.toml"),
               "--data-dir", str(tmp_path / "data"), "--port", "0")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "DynamoDB cannot change the keys of an existing table or index" in done.stderr


# --- Amplify projects from the command line ----------------------------------------------------------


def test_several_apis_without_a_choice_stop_with_their_names(tmp_path: Path) -> None:
    done = cli("serve", str(FIXTURES / "amplify-two-apis"), "--data-dir", str(tmp_path), "--port", "0")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "this project has 2 GraphQL APIs (adminapi, shopapi); choose one with --api NAME" in done.stderr


def test_project_in_the_current_folder_with_an_api_choice(tmp_path: Path) -> None:
    project = FIXTURES / "amplify-two-apis"
    token = cli("token", "--username", "x", "--api", "shopapi", "--data-dir", str(tmp_path), cwd=project)
    assert token.returncode == 0 and token.stdout.count(".") == 2, token.stderr
    running = start_emulator(project, None, data_dir=tmp_path, extra_args=["--api", "shopapi"])
    try:
        fields = data(running.graphql('{ __type(name: "Query") { fields { name } } }', api_key=running.api_key))
        assert fields["__type"]["fields"]
    finally:
        running.stop()


def test_legacy_project_reads_backend_config_and_the_schema_folder(tmp_path: Path) -> None:
    running = start_emulator(FIXTURES / "amplify-v1-legacy", None, data_dir=tmp_path)
    try:
        notebook = data(running.graphql('mutation { createNotebook(input: {id: "nb", name: "N"}) { id } }'))
        assert notebook == {"createNotebook": {"id": "nb"}}  # API_KEY is the project's default mode
        created = running.graphql('mutation { createNote(input: {notebookId: "nb", title: "t"}) { owner } }',
                                  token=running.token("alice"))
        assert created.json() == {"data": {"createNote": {"owner": "alice"}}}
        nested = data(running.graphql('{ getNotebook(id: "nb") { notes { items { title } } } }'))
        assert nested == {"getNotebook": {"notes": {"items": [{"title": "t"}]}}}
    finally:
        running.stop()


def test_custom_roles_admin_role_has_full_access(tmp_path: Path) -> None:
    config = ('[[auth.iam.credentials]]\naccess_key_id = "AKIDBLOGBACKEND"\nsecret_access_key = "blog-backend-secret"\n'
              'role_arn = "arn:aws:iam::123456789012:role/blog-backend-lambda-role"\n')
    running = start_emulator(FIXTURES / "amplify-v2-multiauth", config, data_dir=tmp_path)
    try:
        alice = running.token("alice")
        post = running.graphql('mutation { createPost(input: {id: "ap", title: "mine"}) { id } }', token=alice).json()
        assert post == {"data": {"createPost": {"id": "ap"}}}, post
        deleted = running.iam_graphql('mutation { deletePost(input: {id: "ap"}) { id } }')
        assert deleted.json() == {"data": {"deletePost": {"id": "ap"}}}, deleted.text
    finally:
        running.stop()


def test_cli_json_decides_the_version_of_an_undecidable_schema(tmp_path: Path) -> None:
    """A schema using only ``@model`` is v2 by default; the project's ``cli.json`` says v1 here."""
    project = tmp_path / "app"
    shutil.copytree(FIXTURES / "amplify-v1-legacy", project)
    folder = project / "amplify" / "backend" / "api" / "notesapi" / "schema"
    for old in folder.iterdir():
        old.unlink()
    (folder / "Inventory.graphql").write_text("type Inventory @model { id: ID! }\n")
    running = start_emulator(project, None, data_dir=tmp_path / "data")
    try:
        fields = data(running.graphql('{ __type(name: "Query") { fields { name } } }'))["__type"]["fields"]
        assert "listInventorys" in {f["name"] for f in fields}  # v1 with improvepluralization false
    finally:
        running.stop()


# --- client config ------------------------------------------------------------------------------------


def test_existing_client_files_keep_everything_but_the_api_and_bad_ones_stop_the_start(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "amplify_outputs.json").write_text(json.dumps({
        "version": "1.3", "auth": {"user_pool_id": "us-east-1_Cloud"}, "data": {"url": "https://cloud/graphql",
                                                                              "model_introspection": {"models": {}}}}))
    running = start_emulator(BLOG_SCHEMA, BLOG_CONFIG, data_dir=tmp_path / "d", extra_args=["--write-client-config", str(web)])
    try:
        outputs = json.loads((web / "amplify_outputs.json").read_text())
        assert outputs["auth"] == {"user_pool_id": "us-east-1_Cloud"}
        assert outputs["data"]["url"] == running.graphql_url and "model_introspection" in outputs["data"]
        assert outputs["data"]["api_key"] == running.api_key
    finally:
        running.stop()
    (web / "aws-exports.js").write_text("this is { not javascript")
    untouched = (web / "amplify_outputs.json").read_text()
    done = cli("serve", str(BLOG_SCHEMA), "--config", str(tmp_path / "d" / "appsync-emulator.toml"),
               "--data-dir", str(tmp_path / "d2"), "--write-client-config", str(web), "--port", "0")
    assert done.returncode == 2 and "aws-exports.js" in done.stderr and "Traceback" not in done.stderr
    assert (web / "amplify_outputs.json").read_text() == untouched


# --- explorer endpoints, over the wire ------------------------------------------------------------------


def test_explorer_page_is_offline_and_its_endpoints_refuse_other_origins(emulator_server: Any) -> None:
    running: RunningEmulator = emulator_server(BLOG_SCHEMA, BLOG_CONFIG)
    page = httpx.get(running.base_url + "/", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "https://" not in page.text and "//cdn" not in page.text
    config = httpx.get(running.base_url + "/explorer/config", timeout=10).json()
    assert "secret" not in json.dumps(config).lower() or "secret_access_key" not in json.dumps(config)
    minted = httpx.post(running.base_url + "/explorer/token", json={"username": "alice", "groups": ["Admin"]}, timeout=10)
    assert minted.status_code == 200
    token = minted.json()["token"]
    assert running.graphql("{ __typename }", token=token).status_code == 200
    foreign = httpx.post(running.base_url + "/explorer/token", json={"username": "eve"},
                         headers={"origin": "https://evil.example"}, timeout=10)
    assert foreign.status_code == 403
    for body in (b"", b"[]", b'{"username": 5}', b"\xff"):
        refused = httpx.post(running.base_url + "/explorer/token", content=body, timeout=10)
        assert 400 <= refused.status_code < 500, (body, refused.status_code, refused.text)
    assert not [line for line in running.output if "Traceback" in line]


def test_explorer_signs_with_a_configured_iam_key_pair(emulator_server: Any) -> None:
    running: RunningEmulator = emulator_server(BLOG_SCHEMA, BLOG_CONFIG)
    body = json.dumps({"query": "{ __typename }"})
    signed = httpx.post(running.base_url + "/explorer/sign", timeout=10, json={
        "accessKeyId": running.iam_access_key_id, "host": running.host, "path": "/graphql", "body": body,
        "headers": {"content-type": "application/json"}})
    assert signed.status_code == 200, signed.text
    headers = signed.json()["headers"]
    assert "secret" not in json.dumps(headers).lower()
    answered = httpx.post(running.graphql_url, content=body, headers=headers, timeout=10)
    assert answered.status_code == 200 and answered.json() == {"data": {"__typename": "Query"}}
    unknown = httpx.post(running.base_url + "/explorer/sign", timeout=10, json={
        "accessKeyId": "AKIDNOBODY", "host": running.host, "path": "/graphql", "body": body})
    assert unknown.status_code == 400


# --- the request log ----------------------------------------------------------------------------------


def test_request_log_has_one_line_per_operation_and_log_level_quiets_it(tmp_path: Path) -> None:
    running = start_emulator(BLOG_SCHEMA, BLOG_CONFIG, data_dir=tmp_path)
    try:
        data(running.graphql("query ListThem { listBlogs { items { id } } }"))  # the name from the document
        data(running.graphql("query Named { listBlogs { items { id } } }", operation_name="Named"))
        for name in ("ListThem", "Named"):
            eventually(lambda name=name: any(f"query {name} " in line for line in running.output), 10)
            (line,) = [line for line in running.output if f"query {name} " in line]
            assert "mode=API_KEY caller=da2-" in line
            for figure in ("resolvers=", "ddb_calls=1", "items_read=", "items_returned=", "errors=0"):
                assert figure in line, line
    finally:
        running.stop()
    quiet = start_emulator(BLOG_SCHEMA, BLOG_CONFIG, data_dir=tmp_path / "q", extra_args=["--log-level", "warning"])
    try:
        data(quiet.graphql("query ListThem { listBlogs { items { id } } }", operation_name="ListThem"))
        time.sleep(0.5)
        assert not any("ListThem" in line for line in quiet.output)
    finally:
        quiet.stop()
