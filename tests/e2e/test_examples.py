"""The runnable examples under examples/ do what their READMEs say, over the real wire; the README's
quick-start tour of ``make run``'s example, run as written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.testing import RunningEmulator, start_emulator
from tests.paths import ROOT

USER_OWNER = ROOT / "examples" / "user-owner"
BLOG = ROOT / "examples" / "blog"
API_KEY = "da2-userownerexamplekey0000000"


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    config = (USER_OWNER / "appsync-emulator.toml").read_text().replace(
        'schema = "schema.graphql"', f'schema = "{(USER_OWNER / "schema.graphql").as_posix()}"'
    )
    return emulator_server(USER_OWNER / "schema.graphql", config, data_dir=tmp_path_factory.mktemp("user-owner"))


def iam_post(server: RunningEmulator, query: str, variables: dict) -> httpx.Response:
    body = json.dumps({"query": query, "variables": variables})
    request = AWSRequest(method="POST", url=server.graphql_url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("AKIDUSEROWNERBACKEND", "user-owner-backend-secret"), "appsync", "us-east-1").add_auth(request)
    return httpx.post(server.graphql_url, content=body, headers=dict(request.headers))


def test_owner_full_access_others_read_only_iam_writes_api_key_denied(server: RunningEmulator) -> None:
    alice, bob = server.token("alice"), server.token("bob")
    created = server.graphql('mutation { createUser(input: {id: "u1", name: "Alice"}) { id name owner } }', token=alice)
    assert created.json() == {"data": {"createUser": {"id": "u1", "name": "Alice", "owner": "alice"}}}

    read = server.graphql('{ getUser(id: "u1") { id name } }', token=bob).json()
    assert read == {"data": {"getUser": {"id": "u1", "name": "Alice"}}}

    denied = server.graphql('mutation { updateUser(input: {id: "u1", name: "Bob"}) { id } }', token=bob).json()
    assert denied["data"] == {"updateUser": None}
    assert denied["errors"][0]["message"] == "Not Authorized to access updateUser on type Mutation"

    owner_update = server.graphql('mutation { updateUser(input: {id: "u1", name: "Al"}) { name } }', token=alice).json()
    assert owner_update == {"data": {"updateUser": {"name": "Al"}}}

    by_iam = iam_post(server, "mutation($i: CreateUserInput!) { createUser(input: $i) { id name } }",
                      {"i": {"id": "u2", "name": "From backend"}})
    assert by_iam.status_code == 200 and by_iam.json() == {"data": {"createUser": {"id": "u2", "name": "From backend"}}}
    iam_update = iam_post(server, 'mutation { updateUser(input: {id: "u1", name: "Renamed"}) { name } }', {})
    assert iam_update.json() == {"data": {"updateUser": {"name": "Renamed"}}}
    iam_delete = iam_post(server, 'mutation { deleteUser(input: {id: "u1"}) { id } }', {}).json()
    assert iam_delete["data"] == {"deleteUser": None} and iam_delete["errors"][0]["errorType"] == "Unauthorized"

    by_key = server.graphql("{ listUsers { items { id } } }", api_key=API_KEY).json()
    assert by_key["data"] == {"listUsers": None}
    assert by_key["errors"][0]["message"] == "Not Authorized to access listUsers on type Query"


SEARCHABLE = ROOT / "examples" / "searchable"
SEARCHABLE_KEY = "da2-searchableexamplekey000000"


@pytest.fixture(scope="module")
def searchable(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    config = (SEARCHABLE / "appsync-emulator.toml").read_text().replace(
        'schema = "schema.graphql"', f'schema = "{(SEARCHABLE / "schema.graphql").as_posix()}"'
    )
    return emulator_server(SEARCHABLE / "schema.graphql", config, data_dir=tmp_path_factory.mktemp("searchable"))


def test_searchable_example(searchable: RunningEmulator) -> None:
    created = searchable.graphql(
        'mutation { a: createProduct(input: {id: "p1", name: "Trail Running Shoe", category: "shoes", price: 120, '
        'stock: 4, tags: ["running", "outdoor"]}) { id } b: createProduct(input: {id: "p2", name: "Road running shoe", '
        'category: "shoes", price: 95.5, stock: 0}) { id } c: createProduct(input: {id: "p3", name: "Rain Jacket", '
        'category: "clothing", price: 80, tags: ["outdoor"]}) { id } }', api_key=SEARCHABLE_KEY).json()
    assert created == {"data": {"a": {"id": "p1"}, "b": {"id": "p2"}, "c": {"id": "p3"}}}
    found = searchable.graphql(
        '{ searchProducts(filter: {name: {match: "Running"}}, sort: [{field: price, direction: asc}], limit: 1, '
        'aggregates: [{name: "byCategory", type: terms, field: category}, {name: "avgPrice", type: avg, field: price}]) '
        '{ items { id name price } nextToken total aggregateItems { name result { '
        '... on SearchableAggregateBucketResult { buckets { key doc_count } } '
        '... on SearchableAggregateScalarResult { value } } } } }', api_key=SEARCHABLE_KEY).json()["data"]["searchProducts"]
    assert found["items"] == [{"id": "p2", "name": "Road running shoe", "price": 95.5}] and found["total"] == 2
    assert found["nextToken"] and found["aggregateItems"] == [
        {"name": "byCategory", "result": {"buckets": [{"key": "shoes", "doc_count": 2}]}},
        {"name": "avgPrice", "result": {"value": 107.75}}]

    searchable.dynamodb().put_item(TableName="Product-emulator-local", Item={
        "id": {"S": "p4"}, "name": {"S": "Running Socks"}, "category": {"S": "clothing"}, "__typename": {"S": "Product"}})
    direct = searchable.graphql(
        '{ searchProducts(filter: {and: [{name: {matchPhrase: "running socks"}}, {category: {eq: "clothing"}}]}) '
        '{ items { id name } total } }', api_key=SEARCHABLE_KEY).json()
    assert direct == {"data": {"searchProducts": {"items": [{"id": "p4", "name": "Running Socks"}], "total": 1}}}

    alice = searchable.token("alice")
    note = searchable.graphql('mutation { createProductNote(input: {productId: "p1", text: "gift"}) { id } }', token=alice)
    assert "errors" not in note.json()
    mine = searchable.graphql("{ searchProductNotes { items { text } total } }", token=alice).json()
    theirs = searchable.graphql("{ searchProductNotes { items { text } total } }", token=searchable.token("bob")).json()
    assert mine == {"data": {"searchProductNotes": {"items": [{"text": "gift"}], "total": 1}}}
    assert theirs == {"data": {"searchProductNotes": {"items": [], "total": 0}}}
# --- the README's quick start: `make run`'s example, the tour as written -----------------------------


def quick_start_tour() -> str:
    """The quick start's "what to try" shell block."""
    section = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    tour = next(block for block in re.findall(r"```bash\n(.*?)```", section, re.S) if "curl" in block)
    return tour


def expected_answers(tour: str) -> list[re.Pattern[str]]:
    """Each ``#    {...}`` comment after a curl: the answer, ``...`` standing for what varies."""
    shown = [re.split(r"\s{2,}", line.strip().lstrip("#").strip())[0]
             for line in tour.splitlines() if re.match(r"#\s+\{", line.strip())]
    return [re.compile(".*".join(re.escape(part) for part in text.split("..."))) for text in shown]


def answers(stdout: str) -> list[str]:
    """curl prints each body with no newline: split the stream into its JSON documents."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(stdout):
        if stdout[at].isspace():
            at += 1
            continue
        document, end = decoder.raw_decode(stdout, at)
        found.append(stdout[at:end])
        at = end
    return found


def test_the_quick_start_tour_answers_as_the_readme_says(tmp_path: Path) -> None:
    """``make run``'s arguments (config, seed), then the tour with the port it got, in a shell."""
    running = start_emulator(BLOG / "schema.graphql", None, data_dir=tmp_path / ".appsync-emulator", in_memory=False,
                             extra_args=["--config", str(BLOG / "appsync-emulator.toml"),
                                         "--seed", str(BLOG / "seed.json"), "--no-reload"])
    try:
        tour = quick_start_tour()
        script = tour.replace("20002", str(running.port)).replace(
            ".venv/bin/appsync-emulator", f"{sys.executable} -m emulator")
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        got, expected = answers(done.stdout), expected_answers(tour)
        assert len(got) == len(expected) == len(re.findall(r"^gql ", tour, re.M))
        for answer, pattern in zip(got, expected, strict=True):
            assert pattern.fullmatch(answer), (answer, pattern.pattern)
        hint = next(line.strip().lstrip("#").strip() for line in tour.splitlines() if "read 5 items" in line)
        assert any(line.endswith(hint) for line in running.output), hint
    finally:
        running.stop()
