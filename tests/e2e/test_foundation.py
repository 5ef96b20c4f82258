"""The foundation over the real wire: the bundled example served, AppSync's shapes, the engine's API.

Each test talks to a real `appsync-emulator serve` subprocess over HTTP, as a user's client does.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.graphql_answers import data
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA

API_KEY = "da2-blogexamplelocalkey000000"


@pytest.fixture(scope="module")
def blog(emulator_server) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return emulator_server(BLOG_SCHEMA, BLOG_CONFIG)


def test_startup_prints_the_contract_lines(blog: RunningEmulator) -> None:
    assert blog.startup["GraphQL endpoint"] == f"{blog.base_url}/graphql"
    assert blog.startup["Realtime endpoint"] == f"ws://127.0.0.1:{blog.port}/graphql/realtime"
    assert blog.startup["DynamoDB endpoint"] == blog.base_url
    assert blog.startup["Explorer"] == f"{blog.base_url}/"
    assert blog.api_key == API_KEY


def test_create_get_update_delete_round_trip(blog: RunningEmulator) -> None:
    created = data(blog.graphql('mutation { createBlog(input: {name: "One"}) { id name createdAt updatedAt __typename } }'))
    item = created["createBlog"]
    assert item["name"] == "One" and item["__typename"] == "Blog"
    assert item["createdAt"] == item["updatedAt"] and item["createdAt"].endswith("Z")
    uuid.UUID(item["id"])  # generated ids are UUIDs, as $util.autoId()

    fetched = data(blog.graphql("query($id: ID!) { getBlog(id: $id) { id name } }", {"id": item["id"]}))
    assert fetched["getBlog"] == {"id": item["id"], "name": "One"}

    updated = data(
        blog.graphql(
            "mutation($input: UpdateBlogInput!) { updateBlog(input: $input) { id name updatedAt } }",
            {"input": {"id": item["id"], "name": "Two"}},
        )
    )["updateBlog"]
    assert updated["name"] == "Two" and updated["updatedAt"] >= item["updatedAt"]

    deleted = data(blog.graphql("mutation($id: ID!) { deleteBlog(input: {id: $id}) { id name } }", {"id": item["id"]}))
    assert deleted["deleteBlog"] == {"id": item["id"], "name": "Two"}
    assert data(blog.graphql("query($id: ID!) { getBlog(id: $id) { id } }", {"id": item["id"]}))["getBlog"] is None


def test_fragments_aliases_typename_and_operation_names(blog: RunningEmulator) -> None:
    blog_id = data(blog.graphql('mutation { createBlog(input: {name: "Frag"}) { id } }'))["createBlog"]["id"]
    query = """
      query First($id: ID!) { a: getBlog(id: $id) { ...B } }
      query Second { __typename }
      fragment B on Blog { id label: name __typename }
    """
    first = data(blog.graphql(query, {"id": blog_id}, operation_name="First"))
    assert first == {"a": {"id": blog_id, "label": "Frag", "__typename": "Blog"}}
    assert data(blog.graphql(query, operation_name="Second")) == {"__typename": "Query"}


def test_relations_resolve_nested_data(blog: RunningEmulator) -> None:
    blog_id = data(blog.graphql('mutation { createBlog(input: {name: "Rel"}) { id } }'))["createBlog"]["id"]
    for title in ("p1", "p2"):
        data(
            blog.graphql(
                "mutation($b: ID!, $t: String!) { createPost(input: {title: $t, blogPostsId: $b}) { id } }",
                {"b": blog_id, "t": title},
            )
        )
    nested = data(blog.graphql("query($id: ID!) { getBlog(id: $id) { posts { items { title blog { name } } } } }", {"id": blog_id}))
    posts = nested["getBlog"]["posts"]["items"]
    assert sorted(p["title"] for p in posts) == ["p1", "p2"]
    assert {p["blog"]["name"] for p in posts} == {"Rel"}


def test_introspection_is_served(blog: RunningEmulator) -> None:
    body = data(blog.graphql("{ __schema { queryType { name } types { name } } }"))
    names = {t["name"] for t in body["__schema"]["types"]}
    assert {"Blog", "ModelBlogConnection", "ModelBlogFilterInput", "ModelStringInput", "AWSDateTime"} <= names


def test_validation_errors_are_worded_like_appsync(blog: RunningEmulator) -> None:
    response = blog.graphql("{ badfield }")
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"] == [
        {
            "path": None,
            "locations": [{"line": 1, "column": 3, "sourceName": None}],
            "message": "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'",
        }
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"", "Request body is empty."), (b"meow", "Unable to parse GraphQL query."), (b"{}", "Unable to parse GraphQL query.")],
)
def test_malformed_requests_are_400(blog: RunningEmulator, body: bytes, message: str) -> None:
    response = httpx.post(blog.graphql_url, content=body, headers={"x-api-key": API_KEY})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"errorType": "MalformedHttpRequestException", "message": message}]}


def test_missing_or_wrong_api_key_is_401_with_error_type_header(blog: RunningEmulator) -> None:
    missing = httpx.post(blog.graphql_url, json={"query": "{ __typename }"})
    assert missing.status_code == 401
    assert missing.headers["x-amzn-ErrorType"] == "UnauthorizedException"
    assert missing.json()["errors"][0]["errorType"] == "UnauthorizedException"
    wrong = blog.graphql("{ __typename }", api_key="da2-wrong")
    assert wrong.status_code == 401 and wrong.headers["x-amzn-ErrorType"] == "UnauthorizedException"


def test_cors_preflight_and_headers(blog: RunningEmulator) -> None:
    preflight = httpx.options(
        blog.graphql_url,
        headers={"origin": "http://localhost:3000", "access-control-request-method": "POST",
                 "access-control-request-headers": "content-type,x-api-key"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "x-api-key" in preflight.headers["access-control-allow-headers"]
    response = blog.graphql("{ __typename }")
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-amzn-RequestId"]


def test_dynamodb_api_on_the_same_port_sees_the_same_tables(blog: RunningEmulator) -> None:
    blog_id = data(blog.graphql('mutation { createBlog(input: {name: "Shared"}) { id } }'))["createBlog"]["id"]
    client = blog.dynamodb()
    assert "Blog-emulator-local" in client.list_tables()["TableNames"]
    item = client.get_item(TableName="Blog-emulator-local", Key={"id": {"S": blog_id}})["Item"]
    assert item["name"] == {"S": "Shared"} and item["__typename"] == {"S": "Blog"}
    # A write straight to the table is visible to the API (and, as in the cloud, publishes nothing).
    client.put_item(TableName="Blog-emulator-local", Item={"id": {"S": "direct"}, "name": {"S": "Direct"}, "__typename": {"S": "Blog"},
                                                          "createdAt": {"S": "2024-01-01T00:00:00.000Z"}, "updatedAt": {"S": "2024-01-01T00:00:00.000Z"}})
    assert data(blog.graphql('{ getBlog(id: "direct") { name } }'))["getBlog"] == {"name": "Direct"}


def test_schema_error_stops_start_with_line_and_column(tmp_path: Path) -> None:
    schema = tmp_path / "schema.graphql"
    schema.write_text("type Post @model {\n  id: ID!\n  title: String @index(nme: \"x\")\n}\n")
    done = subprocess.run(
        [sys.executable, "-m", "emulator", "serve", str(schema), "--port", "0", "--data-dir", str(tmp_path / "d")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert "line 3" in done.stderr.lower() or ":3:" in done.stderr
    assert "Traceback" not in done.stderr


def test_config_error_names_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "appsync-emulator.toml"
    config.write_text('[auth]\ndefault = "PASSWORD"\n')
    done = subprocess.run(
        [sys.executable, "-m", "emulator", "serve", str(BLOG_SCHEMA), "--config", str(config)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert str(config) in done.stderr and "auth.default" in done.stderr
    assert "Traceback" not in done.stderr


def test_sigterm_exits_cleanly(tmp_path: Path) -> None:
    running = start_emulator(BLOG_SCHEMA, BLOG_CONFIG, data_dir=tmp_path)
    assert running.graphql("{ __typename }").status_code == 200
    assert running.stop() == 0


def test_request_log_line_per_operation(blog: RunningEmulator) -> None:
    import time

    before = len(blog.output)
    blog.graphql("query ListForLog { listBlogs(limit: 3) { items { id } } }")
    deadline = time.monotonic() + 10
    lines: list[str] = []
    while time.monotonic() < deadline and not lines:
        lines = [line for line in blog.output[before:] if "query ListForLog" in line]
        time.sleep(0.05)
    (line,) = lines
    assert "mode=API_KEY" in line and "caller=da2-blog…" in line and API_KEY not in line
    assert "ddb_calls=1" in line and "items_read=" in line and "items_returned=" in line and "errors=0" in line


def test_port_zero_prints_the_bound_port_and_expired_keys_are_not_printed(tmp_path: Path) -> None:
    import re

    config = BLOG_CONFIG.replace(
        'keys = ["da2-blogexamplelocalkey000000"]',
        'keys = [{ key = "da2-expiredkey", expires = "2020-01-01T00:00:00Z" }, "da2-blogexamplelocalkey000000"]',
    )
    (tmp_path / "appsync-emulator.toml").write_text(config)
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", str(BLOG_SCHEMA), "--port", "0", "--in-memory",
         "--config", str(tmp_path / "appsync-emulator.toml"), "--data-dir", str(tmp_path / "d")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        lines: dict[str, str] = {}
        assert process.stdout is not None
        for line in process.stdout:
            key, _, value = line.strip().partition(": ")
            lines[key] = value
            if key == "Ready in" or line.startswith("Ready in"):
                break
        match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/graphql", lines["GraphQL endpoint"])
        assert match and int(match[1]) > 0
        assert lines["API key"] == API_KEY
        answer = httpx.post(lines["GraphQL endpoint"], json={"query": "{ __typename }"}, headers={"x-api-key": API_KEY})
        assert answer.json() == {"data": {"__typename": "Query"}}
    finally:
        process.terminate()
        process.wait(timeout=15)
