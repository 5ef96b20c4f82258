"""The schema served for a Gen 2 project against Amplify's own synthesis (tests/fixtures/gen2-golden).

Each case's ``transform.graphql`` (Amplify's ``transform()`` output, read from the project by the
helper) goes through the served path (``apply_gen2``, then the v2 transform) and is compared with
``appsync.graphql`` (the CDK synthesis) as the Gen 1 goldens are: ``references`` relations, the
``@function(invocationType: Event)`` of ``.async()``, where Gen 2 puts ``@aws_iam`` (every model,
connection, root field and custom type, with the default mode's directive only where Amplify adds
it), custom identifiers, and every ``allow.*`` rule.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from graphql import ObjectTypeDefinitionNode, parse

from emulator.app import load_api
from emulator.gen2.merge import apply_gen2
from emulator.gen2.model import project_from_answer
from emulator.settings import Settings, load_config
from tests.paths import ROOT
from tests.schema_compare import schema_differences

GOLDEN = ROOT / "tests" / "fixtures" / "gen2-golden"

CASES = ("notes", "indexes-identifiers", "relations", "custom-operations", "auth-rules")
# auth-rules uses a Lambda authorizer written in TypeScript; the emulator's is a Python handler
LAMBDA_CONFIG = '[auth.lambda]\nhandler = "authorizer:handler"\n'


def served_settings(case: str, sdl: str, tmp_path: Path) -> Settings:
    """Settings as ``serve`` builds them for the case's project, with ``sdl`` as the schema."""
    answer = json.loads((GOLDEN / case / "extract.json").read_text())
    answer["data"]["schema"] = sdl
    project_dir = GOLDEN / case / "project"
    project = project_from_answer(answer, project_dir, project_dir / "amplify/data/resource.ts", None, "real")
    config = tmp_path / "appsync-emulator.toml"
    config.write_text(LAMBDA_CONFIG)
    return apply_gen2(load_config(config), project, tmp_path)


def served_differences(case: str, sdl: str, tmp_path: Path) -> list[str]:
    api = load_api(served_settings(case, sdl, tmp_path))
    return schema_differences((GOLDEN / case / "appsync.graphql").read_text(), api.sdl)


@pytest.mark.parametrize("case", CASES)
def test_served_schema_equals_golden(case: str, tmp_path: Path) -> None:
    differences = served_differences(case, (GOLDEN / case / "transform.graphql").read_text(), tmp_path)
    assert not differences, f"{case}: {len(differences)} differences\n" + "\n".join(differences)


def test_goldens_cover_what_the_issue_lists() -> None:
    """Relations with references, every allow.* rule, function and custom handlers (sync and async),
    secondary indexes and identifiers are all in the inputs (so the gap list is about real Gen 2 SDL)."""
    sdl = "\n".join((GOLDEN / case / "transform.graphql").read_text() for case in CASES)
    for construct in ("@hasMany(references:", "@hasOne(references:", "@belongsTo(references:", "provider: identityPool",
                      "allow: public, provider: identityPool", "allow: private, provider: identityPool",
                      "allow: custom", "groupsField:", "ownerField:", "invocationType: Event", "@function(name:",
                      "@index(", "@primaryKey", "@aws_subscribe"):
        assert construct in sdl, construct
    access = json.loads((GOLDEN / "auth-rules" / "extract.json").read_text())["data"]["functionSchemaAccess"]
    assert access == [{"actions": ["query", "mutate", "listen"], "function": "reporter"}]
    handlers = json.loads((GOLDEN / "custom-operations" / "extract.json").read_text())["data"]["jsFunctions"]
    assert {h["fieldName"] for h in handlers} == {"likePost", "ping", "likeTwice", "onLike"}


def test_the_golden_sdl_parses_as_appsync_schema() -> None:
    for case in CASES:
        document = parse((GOLDEN / case / "appsync.graphql").read_text())
        names = {d.name.value for d in document.definitions if isinstance(d, ObjectTypeDefinitionNode)}
        assert {"Query", "Mutation"} <= names


@pytest.mark.parametrize("case", CASES)
def test_auth_modes_equal_the_synthesized_api(case: str, tmp_path: Path) -> None:
    """The modes the emulator enables are the GraphQL API's in the CDK synthesis: default, the
    additional ones in their order, OIDC settings, and the API key with its lifetime (or no API key)."""
    expected = json.loads((GOLDEN / case / "api-auth.json").read_text())
    auth = served_settings(case, (GOLDEN / case / "transform.graphql").read_text(), tmp_path).auth
    providers = expected["AdditionalAuthenticationProviders"]
    assert auth.default == expected["AuthenticationType"]
    assert list(auth.additional) == [p["AuthenticationType"] for p in providers]  # amplify_outputs keeps this order
    oidc = next((p["OpenIDConnectConfig"] for p in providers if p["AuthenticationType"] == "OPENID_CONNECT"), None)
    if oidc is not None:
        assert (auth.oidc.issuer, auth.oidc.client_id) == (oidc["Issuer"], oidc["ClientId"])
        assert (auth.oidc.auth_ttl_seconds * 1000, auth.oidc.iat_ttl_seconds * 1000) == (oidc["AuthTTL"], oidc["IatTTL"])
    if "ApiKeyExpiresInDays" in expected:
        expires = auth.api_keys[0].expires
        assert expires is not None
        assert round((expires - datetime.now(UTC)) / timedelta(days=1)) == expected["ApiKeyExpiresInDays"]
    else:
        assert "API_KEY" not in auth.modes and auth.api_keys == ()
