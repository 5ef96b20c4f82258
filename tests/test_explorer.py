"""The explorer's endpoints: config without secrets, minted tokens and SigV4 signatures the emulator accepts.

The auth gateway that verifies real requests is the judge here: a minted token and a signed
request must authenticate exactly as a real client's would.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from emulator import explorer
from emulator.auth.gateway import AuthGateway
from emulator.auth.identity import AuthMode, AuthRequest, Headers
from emulator.errors import UnauthorizedRequest
from emulator.settings import ApiKey, AuthSettings, IamCredential, IamSettings, Settings

SECRET = "explorer-test-secret-key"
AUTH = AuthSettings(
    default="API_KEY",
    additional=("AMAZON_COGNITO_USER_POOLS", "AWS_IAM", "OPENID_CONNECT"),
    api_keys=(ApiKey("da2-explorertestkey"),),
    iam=IamSettings(credentials=(IamCredential("AKIAEXPLORERTEST0001", SECRET, "arn:aws:iam::123456789012:role/amplify-authRole"),)),
)
HOST = "127.0.0.1:20002"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(auth=AUTH, data_dir=tmp_path)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=[Route("/", explorer.page), *explorer.routes()])
    app.state.emulator = SimpleNamespace(settings=settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{HOST}") as client:
        yield client


def gateway(settings: Settings) -> AuthGateway:
    return AuthGateway(settings.auth, settings.data_dir)


async def test_config_lists_modes_and_key_ids_but_no_secret(client: httpx.AsyncClient) -> None:
    answer = await client.get("/explorer/config")
    assert answer.status_code == 200
    config = answer.json()
    assert config["modes"] == ["API_KEY", "AMAZON_COGNITO_USER_POOLS", "AWS_IAM", "OPENID_CONNECT"]
    assert config["apiKeys"] == [{"key": "da2-explorertestkey", "expires": None}]
    assert config["iam"]["credentials"][0]["accessKeyId"] == "AKIAEXPLORERTEST0001"
    assert SECRET not in answer.text


@pytest.mark.parametrize("oidc", [False, True])
async def test_minted_tokens_authenticate(client: httpx.AsyncClient, settings: Settings, oidc: bool) -> None:
    answer = await client.post("/explorer/token", json={"username": "bob", "groups": "Admins, Editors", "oidc": oidc})
    assert answer.status_code == 200, answer.text
    identity = gateway(settings).authenticate(AuthRequest(headers=Headers({"authorization": answer.json()["token"]})))
    assert identity.mode == (AuthMode.OPENID_CONNECT if oidc else AuthMode.AMAZON_COGNITO_USER_POOLS)
    if not oidc:
        assert identity.username == "bob"
        assert identity.groups == ("Admins", "Editors")


async def test_token_requests_are_checked(client: httpx.AsyncClient) -> None:
    assert (await client.post("/explorer/token", json={"username": " "})).status_code == 400
    assert (await client.post("/explorer/token", json={"username": "bob", "tokenUse": "refresh"})).status_code == 400
    form = await client.post("/explorer/token", content=b"username=bob",
                             headers={"content-type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400
    other_site = await client.post("/explorer/token", json={"username": "bob"}, headers={"origin": "https://evil.example"})
    assert other_site.status_code == 403
    same_site = await client.post("/explorer/token", json={"username": "bob"}, headers={"origin": f"http://{HOST}"})
    assert same_site.status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "headers"),
    [
        ("/graphql", '{"query":"{ __typename }"}', {"content-type": "application/json"}),
        ("/graphql/connect", "{}", {"accept": "application/json, text/javascript", "content-encoding": "amz-1.0",
                                    "content-type": "application/json; charset=UTF-8"}),
    ],
)
async def test_signed_requests_authenticate_as_the_configured_role(
    client: httpx.AsyncClient, settings: Settings, path: str, body: str, headers: dict[str, str]
) -> None:
    answer = await client.post("/explorer/sign", json={"accessKeyId": "AKIAEXPLORERTEST0001", "host": HOST,
                                                 "path": path, "body": body, "headers": headers})
    assert answer.status_code == 200, answer.text
    signed = answer.json()["headers"]
    assert signed["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIAEXPLORERTEST0001/")
    request = AuthRequest(headers=Headers(signed), body=body.encode(), path=path)
    identity = gateway(settings).authenticate(request)
    assert identity.mode == AuthMode.AWS_IAM
    assert identity.user_arn == "arn:aws:sts::123456789012:assumed-role/amplify-authRole/CognitoIdentityCredentials"
    tampered = AuthRequest(headers=Headers(signed), body=body.encode() + b" ", path=path)
    with pytest.raises(UnauthorizedRequest):
        gateway(settings).authenticate(tampered)


async def test_sign_requests_are_checked(client: httpx.AsyncClient) -> None:
    unknown = await client.post("/explorer/sign", json={"accessKeyId": "AKIAUNKNOWN", "host": HOST, "path": "/graphql"})
    assert unknown.status_code == 400 and "AKIAUNKNOWN" in unknown.json()["error"]
    elsewhere = await client.post("/explorer/sign", json={"accessKeyId": "AKIAEXPLORERTEST0001", "host": HOST, "path": "/other"})
    assert elsewhere.status_code == 400


async def test_page_and_every_asset_it_names_are_served_from_the_package(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    assets = re.findall(r'(?:src|href)="(/explorer/[^"]+)"', html)
    assert {"/explorer/vendor/graphiql.min.js", "/explorer/vendor/react.production.min.js",
            "/explorer/vendor/react-dom.production.min.js", "/explorer/app/main.js"} <= set(assets)
    for asset in assets:
        assert (await client.get(asset)).status_code == 200, asset
    for script in ("main.js", "auth.js", "realtime.js"):
        text = (await client.get(f"/explorer/app/{script}")).text
        imports = re.findall(r'from "\./([^"]+)"', text)
        for name in imports:
            assert (await client.get(f"/explorer/app/{name}")).status_code == 200, name
        assert not re.search(r"https?://(?!\$\{)", text), f"{script} names an outside URL"


def test_vendored_bundles_have_their_licenses() -> None:
    vendor = explorer.STATIC_DIR / "vendor"
    versions = (vendor / "VERSIONS.txt").read_text()
    for package in ("graphiql", "react", "react-dom"):
        assert re.search(rf"^{package}@\S+ sha512-", versions, re.MULTILINE)
        assert "Permission is hereby granted" in (vendor / "licenses" / f"{package}.LICENSE").read_text()
    notices = (vendor / "licenses" / "THIRD-PARTY-NOTICES.txt").read_text()
    for bundled in ("graphql", "codemirror", "@graphiql/react"):
        assert re.search(rf"^{re.escape(bundled)}@\S+  license: ", notices, re.MULTILINE)
