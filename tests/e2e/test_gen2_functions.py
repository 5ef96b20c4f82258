"""Gen 2 functions and auth over the wire, on copies of two golden projects (tests/fixtures/gen2-golden):

* custom-operations: ``a.handler.function(echo)`` (a TypeScript handler importing
  ``$amplify/env/echo``, with a ``secret('API_TOKEN')``), the same function ``.async()`` (Event:
  ``{success: true}`` at once), ``postStats`` for the Admin group only;
* auth-rules: its TypeScript Lambda authorizer (``lambdaAuthorizationMode.function``), the
  identity pool's guests and signed-in users against ``allow.guest()`` and
  ``allow.authenticated('identityPool')``, and IAM callers outside the pool: the function given
  ``allow.resource(reporter)`` passes every rule, a function without it reaches nothing.

The examples' own functions (a data client calling the API with IAM) run in test_gen2_wire.py.
"""

from __future__ import annotations

import pytest

from emulator.auth.generated import function_credential
from emulator.testing import RunningEmulator, start_emulator
from tests.node_projects import GEN2_EXAMPLE, gen2_project_copy, node_with_installed
from tests.paths import ROOT

GOLDEN = ROOT / "tests" / "fixtures" / "gen2-golden"
ECHO_WITH_SECRET = """import { env } from '$amplify/env/echo';

export const handler = async (event: { arguments: { content?: string } }) => ({
  content: `${env.GREETING}: ${event.arguments.content ?? ''} (${env.API_TOKEN})`,
  executionDuration: 0,
});
"""
ROLE = "arn:aws:iam::123456789012:role/amplify-{}-lambda"


@pytest.fixture(scope="module")
def node() -> str:
    return node_with_installed(GEN2_EXAMPLE, "serving Amplify Gen 2 projects")


@pytest.fixture(scope="module")
def operations(node: str, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:
    folder = tmp_path_factory.mktemp("gen2-operations")
    project = gen2_project_copy(GOLDEN / "custom-operations" / "project", folder / "app")
    (project / "amplify/functions/echo/handler.ts").write_text(ECHO_WITH_SECRET)
    (project / ".amplify").mkdir()
    (project / ".amplify/secrets.env").write_text("API_TOKEN=from-the-secrets-file\n")
    server = start_emulator(project, data_dir=folder / "data", extra_args=["--no-reload"])
    yield server
    server.stop()


@pytest.fixture(scope="module")
def rules(node: str, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:
    folder = tmp_path_factory.mktemp("gen2-auth-rules")
    project = gen2_project_copy(GOLDEN / "auth-rules" / "project", folder / "app")
    server = start_emulator(project, data_dir=folder / "data", extra_args=["--no-reload"])
    yield server
    server.stop()


def errors_of(body: dict) -> list[str]:
    return [error.get("errorType") for error in body.get("errors") or []]


def test_a_function_query_reads_its_environment_and_secret(operations: RunningEmulator) -> None:
    body = operations.graphql('{ echo(content: "hi") { content } }').json()
    assert body == {"data": {"echo": {"content": "hello: hi (from-the-secrets-file)"}}}, body
    shim = operations.data_dir.parent / "app" / ".amplify/generated/env/echo.ts"
    assert shim.read_text().endswith("export const env = process.env as any;\n")  # what $amplify/env/echo is


def test_async_is_an_event_invocation(operations: RunningEmulator) -> None:
    token = operations.token("ann")
    body = operations.graphql('mutation { echoLater(content: "later") { success } }', token=token).json()
    assert body == {"data": {"echoLater": {"success": True}}}, body


def test_a_group_only_function_query(operations: RunningEmulator) -> None:
    admin, user = operations.token("root", groups=("Admin",)), operations.token("ann")
    assert operations.graphql("{ postStats { posts likes } }", token=admin).json() == {
        "data": {"postStats": {"posts": 0, "likes": 0}}}
    assert errors_of(operations.graphql("{ postStats { posts } }", token=user).json()) == ["Unauthorized"]


def test_the_projects_lambda_authorizer_guards_its_models(rules: RunningEmulator) -> None:
    created = rules.graphql('mutation { createCustomGuarded(input: {content: "by lambda"}) { id } }',
                            token="let-me-in").json()
    assert "errors" not in created, created
    listed = rules.graphql("{ listCustomGuardeds { items { content } } }", token="let-me-in").json()
    assert listed["data"]["listCustomGuardeds"]["items"] == [{"content": "by lambda"}]
    refused = rules.graphql("{ listCustomGuardeds { items { content } } }", token="not-the-password")
    assert refused.status_code == 401


def test_identity_pool_guests_and_signed_in_users(rules: RunningEmulator) -> None:
    signed_in = rules.iam_graphql('mutation { createMembersViaIdentityPool(input: {content: "m"}) { id } }').json()
    assert "errors" not in signed_in, signed_in
    guest_write = rules.iam_graphql('mutation { createMembersViaIdentityPool(input: {content: "g"}) { id } }', guest=True)
    assert errors_of(guest_write.json()) == ["Unauthorized"]
    assert rules.iam_graphql("{ listGuestBooks { items { id } } }", guest=True).json() == {
        "data": {"listGuestBooks": {"items": []}}}  # allow.guest().to(['read'])
    assert errors_of(rules.iam_graphql("{ listGuestBooks { items { id } } }").json()) == ["Unauthorized"]
    assert errors_of(rules.iam_graphql('mutation { createGuestBook(input: {content: "x"}) { id } }',
                                       guest=True).json()) == ["Unauthorized"]


def test_a_function_with_schema_access_passes_every_rule_and_one_without_reaches_nothing(rules: RunningEmulator) -> None:
    reporter = function_credential(rules.data_dir, "reporter", ROLE.format("reporter"), ("Query", "Mutation", "Subscription"))
    owned = rules.iam_graphql('mutation { createOwnerNote(input: {content: "by the reporter"}) { id content } }',
                              access_key_id=reporter.access_key_id, secret_access_key=reporter.secret_access_key).json()
    assert owned["data"]["createOwnerNote"]["content"] == "by the reporter", owned
    admin_only = rules.iam_graphql("{ listAdminReports { items { id } } }", access_key_id=reporter.access_key_id,
                                   secret_access_key=reporter.secret_access_key).json()
    assert admin_only == {"data": {"listAdminReports": {"items": []}}}
    authorizer = function_credential(rules.data_dir, "authorizer", ROLE.format("authorizer"), ())
    denied = rules.iam_graphql("{ listPublicPages { items { id } } }", access_key_id=authorizer.access_key_id,
                               secret_access_key=authorizer.secret_access_key).json()
    assert errors_of(denied) == ["Unauthorized"]
