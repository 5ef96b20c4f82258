"""Real JavaScript AppSync clients, unmodified, against the emulator in every auth mode.

aws-amplify v6 and Apollo Client 4 with aws-appsync-auth-link / aws-appsync-subscription-link run
as Node scripts (tests/js/). Each subscribes over the real-time WebSocket, runs a mutation over
HTTP, waits for that mutation's subscription event, queries the item back and prints one JSON
line, which is asserted here. The npm dependencies are installed with ``npm ci`` when missing.

Under ``CI=true`` these tests never skip: a missing Node is a failure there. Elsewhere they skip,
saying why, only when node or npm is not installed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.tools import JS_DIR, node_with_dependencies
from tests.fixtures.clients import (
    API_KEY,
    GUEST_KEYS,
    LAMBDA_TOKEN,
    REGION,
    SIGNED_IN_KEYS,
    KeyPair,
    oidc_token,
    start_clients_emulator,
    user_pool_token,
)

STEP_TIMEOUT_MS = 20_000  # each client step (ack, mutation, event, query)
SCRIPT_TIMEOUT_S = 90  # the whole script; the scripts bound themselves well below this


@pytest.fixture(scope="module")
def node() -> str:
    """The node binary, with tests/js dependencies installed (``npm ci``) when needed."""
    return node_with_dependencies()


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return start_clients_emulator(emulator_server, tmp_path_factory.mktemp("real-clients-js"))


@dataclass(frozen=True)
class Case:
    """One client script in one auth mode."""

    script: str
    mode: str

    @property
    def id(self) -> str:
        return f"{Path(self.script).stem}-{self.mode}"


AMPLIFY = "amplify_client.mjs"
APOLLO = "apollo_client.mjs"
APOLLO_CJS = "apollo_client_iam.cjs"

CASES = [
    Case(AMPLIFY, "apiKey"),
    Case(AMPLIFY, "userPool"),
    Case(AMPLIFY, "oidc"),
    Case(AMPLIFY, "lambda"),
    Case(AMPLIFY, "iam"),
    Case(APOLLO, "API_KEY"),
    Case(APOLLO, "AMAZON_COGNITO_USER_POOLS"),
    Case(APOLLO, "OPENID_CONNECT"),
    Case(APOLLO, "AWS_LAMBDA"),
    Case(APOLLO_CJS, "AWS_IAM"),
]


def iam_env(keys: KeyPair) -> dict[str, str]:
    return {"AWS_ACCESS_KEY_ID": keys.access_key_id, "AWS_SECRET_ACCESS_KEY": keys.secret_access_key}


def credentials_env(server: RunningEmulator, mode: str) -> dict[str, str]:
    """What an app would hand its client for this mode.

    Amplify sends the access token of its token provider; apps using the Apollo links usually
    pass the Cognito id token, so both token kinds get exercised.
    """
    user = f"user-{uuid.uuid4().hex[:8]}"
    if mode in ("apiKey", "API_KEY"):
        return {"APPSYNC_API_KEY": API_KEY}
    if mode == "userPool":
        return {
            "APPSYNC_AUTH_TOKEN": user_pool_token(server, user, "access"),
            "APPSYNC_ID_TOKEN": user_pool_token(server, user, "id"),
        }
    if mode == "AMAZON_COGNITO_USER_POOLS":
        return {"APPSYNC_AUTH_TOKEN": user_pool_token(server, user, "id")}
    if mode in ("oidc", "OPENID_CONNECT"):
        return {"APPSYNC_AUTH_TOKEN": oidc_token(server, user)}
    if mode in ("lambda", "AWS_LAMBDA"):
        return {"APPSYNC_AUTH_TOKEN": LAMBDA_TOKEN}
    if mode in ("iam", "AWS_IAM"):
        return iam_env(SIGNED_IN_KEYS)
    raise AssertionError(f"no credentials for mode {mode}")


@dataclass
class ScriptRun:
    """A finished client script: its JSON result line and everything needed to explain a failure."""

    result: dict[str, Any]
    returncode: int
    stderr: str
    server_output: list[str]

    def explain(self) -> str:
        tail = "\n".join(self.server_output[-40:])
        return (
            f"client result: {json.dumps(self.result, indent=2)}\n"
            f"client exit status: {self.returncode}\nclient stderr:\n{self.stderr[-4000:]}\n"
            f"emulator output (tail):\n{tail}"
        )


def run_script(node: str, server: RunningEmulator, script: str, mode: str, env: dict[str, str]) -> ScriptRun:
    """Run one client script against the server; its last stdout line is the JSON result."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "APPSYNC_"))}
    clean |= {"AWS_REGION": REGION, "CLIENT_TIMEOUT_MS": str(STEP_TIMEOUT_MS), **env}
    seen = len(server.output)
    done = subprocess.run(
        [node, script, mode, server.graphql_url],
        cwd=JS_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT_S,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise AssertionError(
            f"{script} {mode} printed no result line\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        )
    return ScriptRun(json.loads(lines[-1]), done.returncode, done.stderr, server.output[seen:])


def without_typename(item: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if item is None else {k: v for k, v in item.items() if k != "__typename"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_query_mutation_and_subscription_event(node: str, server: RunningEmulator, case: Case) -> None:
    run = run_script(node, server, case.script, case.mode, credentials_env(server, case.mode))
    result = run.result
    assert result["ok"] is True and run.returncode == 0, run.explain()
    assert result["acknowledged"] is True, run.explain()

    created = result["mutation"]
    uuid.UUID(created["id"])
    assert created["content"].startswith("hello from"), run.explain()
    # The event carries the mutation's selection; the query reads the stored item back.
    assert without_typename(result["event"]) == without_typename(created), run.explain()
    assert without_typename(result["query"]) == without_typename(created), run.explain()
    if case.script != AMPLIFY:  # Apollo adds __typename to every selection set
        assert result["event"]["__typename"] == result["query"]["__typename"] == "Message", run.explain()


def test_amplify_iam_guest_credentials_use_the_unauthenticated_role(
    node: str, server: RunningEmulator
) -> None:
    run = run_script(node, server, AMPLIFY, "iam", iam_env(GUEST_KEYS))
    assert run.result["ok"] is True, run.explain()
    assert without_typename(run.result["event"]) == without_typename(run.result["mutation"]), run.explain()


@pytest.mark.parametrize(
    ("script", "mode", "env"),
    [
        (AMPLIFY, "apiKey", {"APPSYNC_API_KEY": "da2-notarealkey0000000000000000"}),
        (AMPLIFY, "lambda", {"APPSYNC_AUTH_TOKEN": "a-token-the-authorizer-refuses"}),
        (APOLLO, "API_KEY", {"APPSYNC_API_KEY": "da2-notarealkey0000000000000000"}),
        (APOLLO_CJS, "AWS_IAM", iam_env(KeyPair(SIGNED_IN_KEYS.access_key_id, "a-wrong-secret"))),
    ],
    ids=["amplify-apiKey", "amplify-lambda", "apollo-API_KEY", "apollo-cjs-AWS_IAM-wrong-secret"],
)
def test_wrong_credentials_are_refused(
    node: str, server: RunningEmulator, script: str, mode: str, env: dict[str, str]
) -> None:
    """The clients surface the refusal (no data, an auth error) instead of hanging or succeeding."""
    run = run_script(node, server, script, mode, env)
    result = run.result
    assert result["ok"] is False and run.returncode == 1, run.explain()
    assert result["mutation"] is None and result["event"] is None, run.explain()
    error_text = json.dumps(result["error"])
    assert "timed out" not in error_text, run.explain()
    assert re.search(r"Unauthori[sz]ed|InvalidSignature|401|403", error_text), run.explain()


BAD_API_KEY = {"APPSYNC_API_KEY": "da2-notarealkey0000000000000000"}


def test_amplify_reads_the_401_of_a_wrong_api_key_over_http(node: str, server: RunningEmulator) -> None:
    """Amplify names an HTTP refusal "Unauthorized" only from the ``x-amzn-ErrorType`` header."""
    run = run_script(node, server, AMPLIFY, "apiKey", {**BAD_API_KEY, "CLIENT_HTTP_ONLY": "1"})
    assert run.result["ok"] is False and run.result["mutation"] is None, run.explain()
    errors = run.result["error"]["errors"]
    assert errors[0]["message"] == "Unauthorized", run.explain()


def test_apollo_reads_the_401_of_a_wrong_api_key_over_http(node: str, server: RunningEmulator) -> None:
    run = run_script(node, server, APOLLO, "API_KEY", {**BAD_API_KEY, "CLIENT_HTTP_ONLY": "1"})
    assert run.result["ok"] is False and run.result["mutation"] is None, run.explain()
    error_text = json.dumps(run.result["error"])
    assert "401" in error_text and "UnauthorizedException" in error_text, run.explain()
