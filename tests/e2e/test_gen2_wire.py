"""An Amplify Gen 2 project served over the wire: the example (examples/gen2-notes) as a user runs
it, its function queries, aws-amplify v6's ``client.models`` against it (relations both ways), Gen 2
model names in seed and export, the ``token`` command in the project, and hot reload of
``amplify/data/resource.ts``.

Node and the example's ``npm ci`` (kept between runs) come from ``tests/node_projects.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.waiting import eventually
from tests.node_projects import GEN2_EXAMPLE, gen2_project_copy, node_with_installed
from tests.paths import ROOT

JS_DIR = ROOT / "tests" / "js"
GOLDEN_NOTES = ROOT / "tests" / "fixtures" / "gen2-golden" / "notes"
SCRIPT_TIMEOUT_S = 120


@pytest.fixture(scope="module")
def node() -> str:
    node_with_installed(JS_DIR, "aws-amplify's Gen 2 data client")
    return node_with_installed(GEN2_EXAMPLE, "serving Amplify Gen 2 projects")


@pytest.fixture(scope="module")
def client_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gen2-client")


@pytest.fixture(scope="module")
def example(node: str, client_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    """The example served as its README says: the project folder, its seed, client config written."""
    server = start_emulator(
        GEN2_EXAMPLE,
        data_dir=tmp_path_factory.mktemp("gen2-example-data"),
        extra_args=["--seed", str(GEN2_EXAMPLE / "seed.json"), "--write-client-config", str(client_dir), "--no-reload"],
    )
    yield server
    server.stop()


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "emulator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_example_serves_its_models_with_gen2_names(example: RunningEmulator) -> None:
    seeded = example.graphql("{ listProfiles { items { handle displayName } } }").json()
    assert sorted(p["handle"] for p in seeded["data"]["listProfiles"]["items"]) == ["ada", "grace"]
    assert example.graphql('{ getProfile(handle: "ada") { displayName } }').json()["data"]["getProfile"] == {
        "displayName": "Ada Lovelace"}
    alice = example.token("alice")
    created = example.graphql('mutation { createNote(input: {title: "Hello", priority: HIGH}) { id owner done } }',
                              token=alice).json()["data"]["createNote"]
    assert created["owner"] == "alice" and created["done"] is False  # the stored "sub::alice" reads as "alice"
    by_priority = example.graphql("{ notesByPriority(priority: HIGH) { items { title } } }").json()
    assert by_priority["data"]["notesByPriority"]["items"] == [{"title": "Hello"}]
    refused = example.graphql('mutation { createNote(input: {title: "anonymous"}) { id } }').json()
    assert refused["errors"][0]["errorType"] == "Unauthorized"
    assert example.dynamodb().scan(TableName="Profile-emulator-local")["Count"] == 2


def test_the_examples_functions_answer_its_queries(example: RunningEmulator) -> None:
    """wordCount: a TypeScript handler reading ``$amplify/env/word-count``; noteDigest: the Amplify data
    client in the function, calling the API with the function's own IAM access (allow.resource), so it
    sees every user's notes where each user sees only their own."""
    counted = example.graphql('{ wordCount(text: "one two  three") { count unit } }').json()
    assert counted == {"data": {"wordCount": {"count": 3, "unit": "words"}}}, counted
    alice, bob = example.token("alice"), example.token("bob")
    for token, title in ((alice, "alice's digest note"), (bob, "bob's digest note")):
        made = example.graphql('mutation($t: String!) { createNote(input: {title: $t, done: true}) { id } }',
                               {"t": title}, token=token).json()
        assert "errors" not in made, made
    own = example.graphql("{ listNotes { items { title } } }", token=alice).json()["data"]["listNotes"]["items"]
    assert "bob's digest note" not in [n["title"] for n in own]
    digest = example.graphql("{ noteDigest { total done titles } }", token=alice).json()
    assert "errors" not in digest, digest
    titles = digest["data"]["noteDigest"]["titles"]
    assert {"alice's digest note", "bob's digest note"} <= set(titles)
    assert digest["data"]["noteDigest"]["total"] == len(titles) and digest["data"]["noteDigest"]["done"] >= 2
    refused = example.graphql("{ noteDigest { total } }").json()  # allow.authenticated(): not the API key
    assert refused["errors"][0]["errorType"] == "Unauthorized"


def test_amplify_outputs_match_what_ampx_writes(example: RunningEmulator, client_dir: Path) -> None:
    outputs = json.loads((client_dir / "amplify_outputs.json").read_text())
    data = outputs["data"]
    assert data["url"] == example.graphql_url
    assert (data["default_authorization_type"], data["authorization_types"]) == ("API_KEY", ["AMAZON_COGNITO_USER_POOLS", "AWS_IAM"])
    assert data["api_key"] == example.api_key
    assert data["model_introspection"] == json.loads((GOLDEN_NOTES / "model-introspection.json").read_text())


def test_amplify_v6_client_models_work_against_the_example(node: str, example: RunningEmulator, client_dir: Path) -> None:
    token = example.token("carol", extra=["--token-use", "access"])
    done = subprocess.run(
        [node, "gen2_models_client.mjs", str(client_dir / "amplify_outputs.json")],
        cwd=JS_DIR, capture_output=True, text=True, timeout=SCRIPT_TIMEOUT_S, check=False,
        env={"PATH": os.environ.get("PATH", ""), "APPSYNC_AUTH_TOKEN": token, "CLIENT_TIMEOUT_MS": "20000"},
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no result line\nstdout: {done.stdout}\nstderr: {done.stderr}"
    report = json.loads(lines[-1])
    assert report["ok"], json.dumps(report, indent=1) + done.stderr[-3000:]
    handle = report["create"]["handle"]
    assert report["acknowledged"] is True and report["event"]["handle"] == handle
    assert report["observed"]["hasNew"] and report["observed"]["snapshots"][0]["isSynced"]
    assert report["get"]["displayName"] == "Ada" and report["update"]["bio"] == "First programmer"
    assert [p["handle"] for p in report["list"]] == [handle]
    assert report["delete"]["handle"] == handle and report["afterDelete"] is None
    assert report["note"]["owner"] == "carol" and report["note"]["tags"] == ["local"]
    assert report["note"]["id"] in [n["id"] for n in report["byPriority"]]
    assert report["publicRead"]["title"] == report["note"]["title"]
    book = f"book {handle}"
    with_notes = report["notebookWithNotes"]
    assert with_notes["name"] == book and sorted(n["title"] for n in with_notes["notes"]) == ["first", "second"]
    assert report["noteWithNotebook"]["notebook"] == {"name": book}
    assert report["lazyNotes"] == ["first", "second"] and report["lazyNotebook"] == book


def test_export_and_token_in_the_project_folder(example: RunningEmulator) -> None:
    exported = run_cli("export", "--dynamodb-endpoint", example.base_url, "--data-dir", str(example.data_dir), cwd=GEN2_EXAMPLE)
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert {"ada", "grace"} <= {p["handle"] for p in document["Profile"]}
    items = example.data_dir / "import.json"
    items.write_text(json.dumps({"Profile": [{"handle": "zed", "displayName": "Zed"}]}))
    imported = run_cli("import", str(items), "--dynamodb-endpoint", example.base_url, "--data-dir", str(example.data_dir),
                       cwd=GEN2_EXAMPLE)
    assert imported.returncode == 0 and "Profile-emulator-local: 1 items" in imported.stderr, imported.stderr
    assert example.graphql('{ getProfile(handle: "zed") { displayName } }').json()["data"]["getProfile"] == {"displayName": "Zed"}
    token = run_cli("token", "--username", "dave", "--groups", "Admin,Auditors", "--data-dir", str(example.data_dir),
                    cwd=GEN2_EXAMPLE)
    assert token.returncode == 0, token.stderr
    assert "group 'Auditors' is not defined in amplify/auth/resource.ts (defined: Admin, Editors)" in token.stderr
    admin = token.stdout.strip()
    listed = example.graphql("{ listNotes { items { title } } }", token=admin).json()
    assert "errors" not in listed  # Admin may read every note (allow.group('Admin'))


def test_hot_reload_follows_resource_ts_and_function_code(node: str, tmp_path: Path) -> None:
    project = gen2_project_copy(GEN2_EXAMPLE, tmp_path / "app")
    server = start_emulator(project, data_dir=tmp_path / "data", extra_args=["--write-client-config", str(project)])
    try:
        resource = project / "amplify/data/resource.ts"
        assert "errors" in server.graphql("{ listProfiles { items { website } } }").json()
        resource.write_text(resource.read_text().replace("bio: a.string(),", "bio: a.string(),\n      website: a.url(),"))
        eventually(lambda: "errors" not in server.graphql("{ listProfiles { items { website } } }").json(), timeout=60)
        outputs = json.loads((project / "amplify_outputs.json").read_text())
        assert "website" in outputs["data"]["model_introspection"]["models"]["Profile"]["fields"]
        handler = project / "amplify/functions/word-count/handler.ts"
        assert server.graphql('{ wordCount(text: "a") { unit } }').json()["data"]["wordCount"]["unit"] == "words"
        handler.write_text(handler.read_text().replace("unit: env.UNIT", "unit: `${env.UNIT} (edited)`"))
        eventually(lambda: server.graphql('{ wordCount(text: "a") { unit } }').json()["data"]["wordCount"]["unit"]
                   == "words (edited)", timeout=60)  # the function's runner restarted on its new code
        resource.write_text(resource.read_text().replace("website: a.url(),", "website: a.url(,"))
        eventually(lambda: any("reload failed, still serving the previous API" in line for line in server.output), timeout=60)
        assert "errors" not in server.graphql("{ listProfiles { items { website } } }").json()
    finally:
        server.stop()
