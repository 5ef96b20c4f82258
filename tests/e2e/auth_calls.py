"""Calling the API as each kind of caller, and AppSync's Unauthorized answer (e2e support, no tests)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.testing import RunningEmulator


def unauthorized(body: dict[str, Any], field: str, parent: str = "Query") -> None:
    """AppSync's ``$util.unauthorized()`` answer for a root field."""
    assert body["data"] == {field: None}, body
    (error,) = body["errors"]
    assert (error["errorType"], error["path"]) == ("Unauthorized", [field]), error
    assert error["message"] == f"Not Authorized to access {field} on type {parent}"


def as_user(server: RunningEmulator, token: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = server.graphql(query, variables, token=token)
    assert response.status_code == 200, response.text
    return response.json()


def as_key(server: RunningEmulator, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = server.graphql(query, variables, api_key=server.api_key)
    assert response.status_code == 200, response.text
    return response.json()


def as_iam(server: RunningEmulator, credentials: Credentials, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """A SigV4-signed POST, as botocore signs it for a Lambda or a server."""
    body = json.dumps({"query": query, "variables": variables or {}})
    request = AWSRequest("POST", server.graphql_url, data=body, headers={"content-type": "application/json"})
    SigV4Auth(credentials, "appsync", "us-east-1").add_auth(request)
    response = httpx.post(server.graphql_url, content=body, headers=dict(request.headers), timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def as_lambda(server: RunningEmulator, token: str, query: str) -> httpx.Response:
    return httpx.post(server.graphql_url, json={"query": query}, headers={"Authorization": token}, timeout=30)
