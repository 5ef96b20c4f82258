"""Every ``allow.*`` rule of Amplify Gen 2 at run time, over the wire, on a copy of the auth-rules
golden project (tests/fixtures/gen2-golden/auth-rules: one model per rule, the schema equal to
Amplify's CDK synthesis in test_gen2_golden.py). Each rule lets its callers in and keeps the others
out, with the project's own modes: user pools (default), API key, IAM (the identity pool's
generated callers and functions given ``allow.resource``), OIDC (the project's issuer, tokens from
``appsync-emulator token --oidc`` run in the project) and its TypeScript Lambda authorizer.

The example's rules (owner, group, publicApiKey, authenticated on custom operations,
allow.resource with the data client) run in test_gen2_wire.py.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.auth.generated import function_credential
from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.auth_calls import as_key, as_user, unauthorized
from tests.node_projects import GEN2_EXAMPLE, gen2_project_copy, node_with_installed
from tests.paths import ROOT

GOLDEN_PROJECT = ROOT / "tests" / "fixtures" / "gen2-golden" / "auth-rules" / "project"
ROLE = "arn:aws:iam::123456789012:role/amplify-{}-lambda"
STAMPS = {"createdAt": {"S": "2025-01-01T00:00:00.000Z"}, "updatedAt": {"S": "2025-01-01T00:00:00.000Z"}}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    node_with_installed(GEN2_EXAMPLE, "serving Amplify Gen 2 projects")
    return gen2_project_copy(GOLDEN_PROJECT, tmp_path_factory.mktemp("gen2-auth-rules") / "app")


@pytest.fixture(scope="module")
def rules(project: Path) -> Iterator[RunningEmulator]:
    server = start_emulator(project, data_dir=project.parent / "data", extra_args=["--no-reload"])
    yield server
    server.stop()


@pytest.fixture(scope="module")
def users(rules: RunningEmulator) -> dict[str, str]:
    """User-pool tokens: two users without groups, an Admin and an Editor (the project's groups)."""
    return {"alice": rules.token("alice"), "bob": rules.token("bob"),
            "admin": rules.token("root", groups=("Admin",)), "editor": rules.token("ed", groups=("Editors",))}


def oidc_token(rules: RunningEmulator, project: Path, username: str) -> str:
    """An OIDC token from the project's issuer (``oidcAuthorizationMode``), minted in the project."""
    done = subprocess.run([sys.executable, "-m", "emulator", "token", "--oidc", "--username", username,
                           "--data-dir", str(rules.data_dir)], cwd=project, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def ok(body: dict[str, Any], field: str) -> Any:
    assert "errors" not in body, body
    return body["data"][field]


def errors_of(body: dict[str, Any]) -> list[str]:
    return [error.get("errorType") for error in body.get("errors") or []]


def test_owner_and_authenticated_on_user_pools(rules: RunningEmulator, users: dict[str, str]) -> None:
    """allow.owner() (OwnerNote) and allow.authenticated() (MembersOnly)."""
    created = ok(as_user(rules, users["alice"], 'mutation { createOwnerNote(input: {content: "mine"}) { id owner } }'),
                 "createOwnerNote")
    assert created["owner"] == "alice"
    get = "query($id: ID!) { getOwnerNote(id: $id) { content } }"
    assert ok(as_user(rules, users["alice"], get, {"id": created["id"]}), "getOwnerNote") == {"content": "mine"}
    unauthorized(as_user(rules, users["bob"], get, {"id": created["id"]}), "getOwnerNote")
    assert ok(as_user(rules, users["bob"], "{ listOwnerNotes { items { id } } }"), "listOwnerNotes") == {"items": []}
    unauthorized(as_key(rules, get, {"id": created["id"]}), "getOwnerNote")
    member = ok(as_user(rules, users["bob"], 'mutation { createMembersOnly(input: {content: "m"}) { id } }'),
                "createMembersOnly")
    read = as_user(rules, users["alice"], "query($id: ID!) { getMembersOnly(id: $id) { content } }", {"id": member["id"]})
    assert ok(read, "getMembersOnly") == {"content": "m"}
    unauthorized(as_key(rules, "{ listMembersOnlies { items { id } } }"), "listMembersOnlies")


def test_owner_and_authenticated_on_oidc(rules: RunningEmulator, project: Path, users: dict[str, str]) -> None:
    """allow.owner('oidc').to(['create', 'read']) (OwnerOidc) and allow.authenticated('oidc') (MembersViaOidc)."""
    olga, oscar = oidc_token(rules, project, "olga"), oidc_token(rules, project, "oscar")
    created = ok(as_user(rules, olga, 'mutation { createOwnerOidc(input: {content: "o"}) { id owner } }'), "createOwnerOidc")
    assert created["owner"] == "olga"
    assert ok(as_user(rules, olga, "{ listOwnerOidcs { items { content } } }"), "listOwnerOidcs") == {"items": [{"content": "o"}]}
    assert ok(as_user(rules, oscar, "{ listOwnerOidcs { items { content } } }"), "listOwnerOidcs") == {"items": []}
    update = "mutation($id: ID!) { updateOwnerOidc(input: {id: $id, content: \"changed\"}) { id } }"
    unauthorized(as_user(rules, olga, update, {"id": created["id"]}), "updateOwnerOidc", "Mutation")  # not in .to()
    unauthorized(as_user(rules, users["alice"], "{ listOwnerOidcs { items { id } } }"), "listOwnerOidcs")  # user pools
    ok(as_user(rules, oscar, 'mutation { createMembersViaOidc(input: {content: "m"}) { id } }'), "createMembersViaOidc")
    assert ok(as_user(rules, olga, "{ listMembersViaOidcs { items { content } } }"), "listMembersViaOidcs") == {
        "items": [{"content": "m"}]}
    unauthorized(as_user(rules, users["alice"], "{ listMembersViaOidcs { items { id } } }"), "listMembersViaOidcs")


def test_owner_defined_in_a_field(rules: RunningEmulator, users: dict[str, str]) -> None:
    """allow.ownerDefinedIn('author').to(['read', 'update']): nobody creates or deletes through the API,
    the author named in the item reads and updates it."""
    unauthorized(as_user(rules, users["alice"], 'mutation { createAuthorDoc(input: {content: "c", author: "alice"}) { id } }'),
                 "createAuthorDoc", "Mutation")
    rules.dynamodb().put_item(TableName="AuthorDoc-emulator-local", Item={
        "id": {"S": "doc-1"}, "content": {"S": "draft"}, "author": {"S": "alice"}, "__typename": {"S": "AuthorDoc"}, **STAMPS})
    get = '{ getAuthorDoc(id: "doc-1") { content author } }'
    assert ok(as_user(rules, users["alice"], get), "getAuthorDoc") == {"content": "draft", "author": "alice"}
    unauthorized(as_user(rules, users["bob"], get), "getAuthorDoc")
    update = 'mutation($c: String) { updateAuthorDoc(input: {id: "doc-1", content: $c}) { content } }'
    assert ok(as_user(rules, users["alice"], update, {"c": "final"}), "updateAuthorDoc") == {"content": "final"}
    unauthorized(as_user(rules, users["bob"], update, {"c": "bob's"}), "updateAuthorDoc", "Mutation")
    unauthorized(as_user(rules, users["alice"], 'mutation { deleteAuthorDoc(input: {id: "doc-1"}) { id } }'),
                 "deleteAuthorDoc", "Mutation")


def test_owners_defined_in_a_list_field(rules: RunningEmulator, users: dict[str, str]) -> None:
    """allow.ownersDefinedIn('editors'): every user in the list owns the item; the creator is put in
    the list when the input has no list (an explicit null is not that), and may not create an item
    that leaves them out."""
    create = "mutation($e: [String]) { createSharedDoc(input: {content: \"s\", editors: $e}) { id editors } }"
    shared = ok(as_user(rules, users["alice"], create, {"e": ["alice", "bob"]}), "createSharedDoc")
    own = ok(as_user(rules, users["bob"], 'mutation { createSharedDoc(input: {content: "b"}) { id editors } }'),
             "createSharedDoc")
    assert own["editors"] == ["bob"]
    unauthorized(as_user(rules, users["alice"], create, {"e": ["bob"]}), "createSharedDoc", "Mutation")
    unauthorized(as_user(rules, users["alice"], create, {"e": None}), "createSharedDoc", "Mutation")
    listed = ok(as_user(rules, users["bob"], "{ listSharedDocs { items { id } } }"), "listSharedDocs")["items"]
    assert sorted(item["id"] for item in listed) == sorted([shared["id"], own["id"]])
    update = "mutation($id: ID!) { updateSharedDoc(input: {id: $id, content: \"edited\"}) { content } }"
    assert ok(as_user(rules, users["bob"], update, {"id": shared["id"]}), "updateSharedDoc") == {"content": "edited"}
    unauthorized(as_user(rules, users["alice"], update, {"id": own["id"]}), "updateSharedDoc", "Mutation")


def test_static_groups(rules: RunningEmulator, users: dict[str, str]) -> None:
    """allow.group('Admin') (AdminReport) and allow.groups(['Admin', 'Editors']).to(['read']) (StaffReport)."""
    report = ok(as_user(rules, users["admin"], 'mutation { createAdminReport(input: {content: "r"}) { id } }'),
                "createAdminReport")
    get = "query($id: ID!) { getAdminReport(id: $id) { content } }"
    assert ok(as_user(rules, users["admin"], get, {"id": report["id"]}), "getAdminReport") == {"content": "r"}
    unauthorized(as_user(rules, users["editor"], get, {"id": report["id"]}), "getAdminReport")
    unauthorized(as_user(rules, users["alice"], 'mutation { createAdminReport(input: {content: "x"}) { id } }'),
                 "createAdminReport", "Mutation")
    rules.dynamodb().put_item(TableName="StaffReport-emulator-local", Item={
        "id": {"S": "staff-1"}, "content": {"S": "s"}, "__typename": {"S": "StaffReport"}, **STAMPS})
    for reader in ("admin", "editor"):
        assert ok(as_user(rules, users[reader], '{ getStaffReport(id: "staff-1") { content } }'), "getStaffReport") == {
            "content": "s"}
    unauthorized(as_user(rules, users["alice"], '{ getStaffReport(id: "staff-1") { content } }'), "getStaffReport")
    unauthorized(as_user(rules, users["admin"], 'mutation { createStaffReport(input: {content: "x"}) { id } }'),
                 "createStaffReport", "Mutation")  # read only


def test_groups_defined_in_fields(rules: RunningEmulator, users: dict[str, str]) -> None:
    """allow.groupDefinedIn('team') (TeamDoc) and allow.groupsDefinedIn('teams') (TeamsDoc): the
    item names the group(s) whose members may reach it."""
    team = ok(as_user(rules, users["editor"], 'mutation { createTeamDoc(input: {content: "t", team: "Editors"}) { id } }'),
              "createTeamDoc")
    unauthorized(as_user(rules, users["editor"], 'mutation { createTeamDoc(input: {content: "t", team: "Admin"}) { id } }'),
                 "createTeamDoc", "Mutation")
    get = "query($id: ID!) { getTeamDoc(id: $id) { content team } }"
    assert ok(as_user(rules, users["editor"], get, {"id": team["id"]}), "getTeamDoc") == {"content": "t", "team": "Editors"}
    unauthorized(as_user(rules, users["admin"], get, {"id": team["id"]}), "getTeamDoc")
    assert ok(as_user(rules, users["admin"], "{ listTeamDocs { items { id } } }"), "listTeamDocs") == {"items": []}
    teams = ok(as_user(rules, users["editor"],
                       'mutation { createTeamsDoc(input: {content: "ts", teams: ["Editors", "Admin"]}) { id } }'),
               "createTeamsDoc")
    for member in ("admin", "editor"):
        listed = ok(as_user(rules, users[member], "{ listTeamsDocs { items { id } } }"), "listTeamsDocs")
        assert listed == {"items": [{"id": teams["id"]}]}
    # a user in no group has no group to filter by: Amplify's list refuses rather than scanning
    unauthorized(as_user(rules, users["alice"], "{ listTeamsDocs { items { id } } }"), "listTeamsDocs")


def test_public_api_key(rules: RunningEmulator, users: dict[str, str]) -> None:
    """allow.publicApiKey() (PublicPage): the API key does everything, a user-pool token nothing."""
    page = ok(as_key(rules, 'mutation { createPublicPage(input: {content: "p"}) { id } }'), "createPublicPage")
    assert ok(as_key(rules, "query($id: ID!) { getPublicPage(id: $id) { content } }", {"id": page["id"]}),
              "getPublicPage") == {"content": "p"}
    assert ok(as_key(rules, "mutation($id: ID!) { deletePublicPage(input: {id: $id}) { id } }", {"id": page["id"]}),
              "deletePublicPage") == {"id": page["id"]}
    unauthorized(as_user(rules, users["alice"], "{ listPublicPages { items { id } } }"), "listPublicPages")


def test_field_rules(rules: RunningEmulator, users: dict[str, str]) -> None:
    """Profile.email: allow.owner() and allow.group('Admin') on the field, under the model's owner,
    authenticated-read and guest-read rules."""
    profile = ok(as_user(rules, users["alice"], 'mutation { createProfile(input: {name: "A", email: "a@example.com"}) { id } }'),
                 "createProfile")
    get = "query($id: ID!) { getProfile(id: $id) { name email } }"
    for reader in ("alice", "admin"):
        assert ok(as_user(rules, users[reader], get, {"id": profile["id"]}), "getProfile") == {
            "name": "A", "email": "a@example.com"}
    other = as_user(rules, users["bob"], get, {"id": profile["id"]})
    assert other["data"] == {"getProfile": {"name": "A", "email": None}}
    assert [(e["errorType"], e["path"]) for e in other["errors"]] == [("Unauthorized", ["getProfile", "email"])]
    guest = rules.iam_graphql("query($id: ID!) { getProfile(id: $id) { name } }", {"id": profile["id"]}, guest=True).json()
    assert guest == {"data": {"getProfile": {"name": "A"}}}


def test_custom_the_projects_lambda_authorizer(rules: RunningEmulator) -> None:
    """allow.custom() (CustomGuarded) with ``lambdaAuthorizationMode.function``, a TypeScript handler."""
    created = rules.graphql('mutation { createCustomGuarded(input: {content: "by lambda"}) { id } }',
                            token="let-me-in").json()
    assert "errors" not in created, created
    listed = rules.graphql("{ listCustomGuardeds { items { content } } }", token="let-me-in").json()
    assert listed["data"]["listCustomGuardeds"]["items"] == [{"content": "by lambda"}]
    refused = rules.graphql("{ listCustomGuardeds { items { content } } }", token="not-the-password")
    assert refused.status_code == 401


def test_guest_and_authenticated_on_the_identity_pool(rules: RunningEmulator) -> None:
    """allow.guest().to(['read']) (GuestBook) and allow.authenticated('identityPool') (MembersViaIdentityPool)."""
    signed_in = rules.iam_graphql('mutation { createMembersViaIdentityPool(input: {content: "m"}) { id } }').json()
    assert "errors" not in signed_in, signed_in
    guest_write = rules.iam_graphql('mutation { createMembersViaIdentityPool(input: {content: "g"}) { id } }', guest=True)
    assert errors_of(guest_write.json()) == ["Unauthorized"]
    assert rules.iam_graphql("{ listGuestBooks { items { id } } }", guest=True).json() == {
        "data": {"listGuestBooks": {"items": []}}}
    assert errors_of(rules.iam_graphql("{ listGuestBooks { items { id } } }").json()) == ["Unauthorized"]
    assert errors_of(rules.iam_graphql('mutation { createGuestBook(input: {content: "x"}) { id } }',
                                       guest=True).json()) == ["Unauthorized"]


def test_resource_a_function_with_schema_access_passes_every_rule(rules: RunningEmulator) -> None:
    """allow.resource(reporter).to(['query', 'mutate', 'listen']): the function's IAM key pair passes
    every model rule; a function without it (the authorizer) reaches nothing."""
    reporter = function_credential(rules.data_dir, "reporter", ROLE.format("reporter"), ("Query", "Mutation", "Subscription"))
    owned = rules.iam_graphql('mutation { createOwnerNote(input: {content: "by the reporter"}) { id content } }',
                              access_key_id=reporter.access_key_id, secret_access_key=reporter.secret_access_key).json()
    assert owned["data"]["createOwnerNote"]["content"] == "by the reporter", owned
    admin_only = rules.iam_graphql("{ listAdminReports { items { id } } }", access_key_id=reporter.access_key_id,
                                   secret_access_key=reporter.secret_access_key).json()
    assert "errors" not in admin_only, admin_only
    authorizer = function_credential(rules.data_dir, "authorizer", ROLE.format("authorizer"), ())
    denied = rules.iam_graphql("{ listPublicPages { items { id } } }", access_key_id=authorizer.access_key_id,
                               secret_access_key=authorizer.secret_access_key).json()
    assert errors_of(denied) == ["Unauthorized"]
