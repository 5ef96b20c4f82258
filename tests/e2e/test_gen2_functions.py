"""Gen 2 functions over the wire, on a copy of the custom-operations golden project
(tests/fixtures/gen2-golden): ``a.handler.function(echo)`` (a TypeScript handler importing
``$amplify/env/echo``, with a ``secret('API_TOKEN')``), the same function ``.async()`` (Event:
``{success: true}`` at once), ``postStats`` for the Admin group only.

The example's own functions (a data client calling the API with IAM) run in test_gen2_wire.py; the
auth-rules project's Lambda authorizer and ``allow.resource`` in test_gen2_auth_rules_wire.py.
"""

from __future__ import annotations

import pytest

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
