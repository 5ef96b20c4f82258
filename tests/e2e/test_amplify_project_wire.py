"""``serve <Amplify project> --write-client-config DIR`` over the wire: the project's auth modes are
enforced, and a client configured only from the written files reaches the API."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx

from emulator.client_config import parse_aws_exports
from emulator.testing import start_emulator

PROJECT = Path(__file__).resolve().parent.parent / "fixtures" / "amplify-v2-multiauth"


def test_project_served_with_its_auth_modes_and_client_config(tmp_path: Path) -> None:
    web = tmp_path / "web"
    running = start_emulator(PROJECT, data_dir=tmp_path / "data", extra_args=["--write-client-config", str(web)])
    try:
        outputs = json.loads((web / "amplify_outputs.json").read_text())["data"]
        exports = parse_aws_exports(web / "aws-exports.js")
        assert outputs["url"] == exports["aws_appsync_graphqlEndpoint"] == running.graphql_url
        assert outputs["default_authorization_type"] == "AMAZON_COGNITO_USER_POOLS"
        assert outputs["authorization_types"] == ["API_KEY", "AWS_IAM", "OPENID_CONNECT"]
        assert outputs["api_key"] == running.api_key

        title = f"Post {uuid.uuid4().hex[:8]}"
        create = "mutation($t: String!) { createPost(input: {title: $t}) { id title owner } }"
        owner = running.token("alice")
        created = httpx.post(outputs["url"], json={"query": create, "variables": {"t": title}},
                             headers={"Authorization": owner}, timeout=30).json()
        assert "alice" in created["data"]["createPost"]["owner"], created  # the owner rule filled it in

        by_key = httpx.post(outputs["url"], json={"query": "{ listPosts { items { title } } }"},
                            headers={"x-api-key": outputs["api_key"]}, timeout=30).json()
        assert title in [item["title"] for item in by_key["data"]["listPosts"]["items"]]  # public read

        denied = httpx.post(outputs["url"], json={"query": create, "variables": {"t": "no"}},
                            headers={"x-api-key": outputs["api_key"]}, timeout=30).json()
        assert denied["data"]["createPost"] is None
        assert denied["errors"][0]["errorType"] == "Unauthorized"  # public may only read
    finally:
        assert running.stop() == 0
