"""Lambda authorizers written in JavaScript, TypeScript and Python, run by the function runners
(``[auth.lambda] handler`` naming a handler file, or a function of the project), over the wire."""

from __future__ import annotations

import json

import pytest

from emulator.testing import RunningEmulator
from tests.functions_support import handler, require_node

SCHEMA = """
type Query {
  whoami: AWSJSON @function(name: "whoami")
  secret: String
}
"""

CASES = {
    # language: ([auth.lambda] handler, extra config, the token the authorizer allows)
    "javascript": (handler("authorizer.mjs"), "", "js-allow"),
    "typescript": (handler("authorizer.ts"), "", "ts-allow"),
    "python": ("py-auth", f'[functions.py-auth]\nhandler = "{handler("authorizer.py")}"\n', "py-allow"),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest, emulator_server, tmp_path_factory: pytest.TempPathFactory  # type: ignore[no-untyped-def]
         ) -> tuple[str, str, RunningEmulator]:
    require_node()
    language = request.param
    authorizer, extra, token = CASES[language]
    folder = tmp_path_factory.mktemp(f"authorizer-{language}")
    (folder / "schema.graphql").write_text(SCHEMA)
    config = (f'[auth]\ndefault = "AWS_LAMBDA"\n[auth.lambda]\nhandler = "{authorizer}"\n'
              f'[functions.whoami]\nhandler = "{handler("echo.mjs")}"\n{extra}')
    return language, token, emulator_server(folder / "schema.graphql", config)


def test_the_authorizer_admits_its_token_with_its_resolver_context(case: tuple[str, str, RunningEmulator]) -> None:
    language, token, server = case
    body = server.graphql("{ whoami }", token=token).json()
    assert "errors" not in body, body
    identity = json.loads(body["data"]["whoami"])["identity"]
    assert identity["resolverContext"]["language"] == language
    assert identity["resolverContext"]["api"] == "emulator"


def test_the_authorizer_refuses_other_tokens(case: tuple[str, str, RunningEmulator]) -> None:
    _, _, server = case
    refused = server.graphql("{ whoami }", token="someone-else")
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["errorType"] == "UnauthorizedException"


def test_denied_fields_are_unauthorized(case: tuple[str, str, RunningEmulator]) -> None:
    _, token, server = case
    body = server.graphql("{ secret }", token=token).json()
    assert body["data"] == {"secret": None}
    assert body["errors"][0]["errorType"] == "Unauthorized"
